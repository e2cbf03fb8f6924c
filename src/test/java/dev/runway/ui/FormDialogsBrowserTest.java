package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The form dialogs (budget, team, API keys) and the show-once secret field as a person meets them: a bad value is
 * refused at its field and the dialog stays open; a saved form closes it; a secret is shown once with a copy button.
 * Screenshots at 1366 px and 390 px.
 */
@QuarkusTest
class FormDialogsBrowserTest extends BrowserTestBase {

    private static final Locator.GetByLabelOptions IN_DIALOG = new Locator.GetByLabelOptions().setExact(true);

    @Inject
    TenancyFixture fixture;

    @Test
    void form_dialogs_refuse_bad_values_at_their_field_and_show_secrets_once() {
        TenancyFixture.Company company = fixture.company();
        for (int[] size : new int[][] {{1366, 900}, {390, 844}}) {
            String width = Integer.toString(size[0]);
            try (BrowserContext context = newContext()) {
                Page page = signIn(context, company.ownerEmail());
                page.setViewportSize(size[0], size[1]);

                page.navigate(url("budget"));
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Record funding")).first().click();
                Locator dialog = page.getByRole(AriaRole.DIALOG);
                dialog.getByLabel("Amount", IN_DIALOG).fill("12.345");
                dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
                assertThat(page.locator("vaadin-big-decimal-field[invalid]")).containsText("at most 2 decimals");
                screenshot(page, "dialog-funding-" + width + ".png");
                dialog.getByLabel("Amount", IN_DIALOG).fill("5000");
                dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
                assertThat(page.getByRole(AriaRole.DIALOG)).hasCount(0);
                assertThat(page.getByText("Funding recorded")).isVisible();

                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Record spend")).first().click();
                screenshot(page, "dialog-spend-" + width + ".png");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel")).click();
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set a compute budget")).click();
                page.getByRole(AriaRole.DIALOG).getByLabel("Alert thresholds (%)", IN_DIALOG).fill("50, 200");
                page.getByRole(AriaRole.DIALOG).getByLabel("Monthly limit (USD)", IN_DIALOG).fill("100");
                page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON,
                        new Locator.GetByRoleOptions().setName("Save")).click();
                assertThat(page.locator("vaadin-text-field[invalid]")).containsText("100");
                screenshot(page, "dialog-compute-" + width + ".png");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel")).click();

                page.navigate(url("team"));
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Invite member")).click();
                page.getByRole(AriaRole.DIALOG).getByLabel("Email", IN_DIALOG).fill("not-an-address");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create invitation")).click();
                assertThat(page.locator("vaadin-email-field[invalid]")).isVisible();
                screenshot(page, "dialog-invite-bad-" + width + ".png");
                page.getByRole(AriaRole.DIALOG).getByLabel("Email", IN_DIALOG)
                        .fill("new-" + width + "-" + TenancyFixture.unique() + "@example.com");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create invitation")).click();
                assertThat(page.locator(".invitation-link input")).hasValue(
                        java.util.regex.Pattern.compile("http.*/invitation/.+"));
                assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create invitation")))
                        .isHidden();
                screenshot(page, "dialog-invite-link-" + width + ".png");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();

                page.navigate(url("settings"));
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create API key")).first().click();
                page.getByRole(AriaRole.DIALOG).getByLabel("Name", IN_DIALOG).fill("CI " + width);
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
                String key = page.locator(".api-key-value input").inputValue();
                assertThat(key).startsWith("rw_");
                assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy"))).isVisible();
                screenshot(page, "dialog-api-key-" + width + ".png");
            }
        }
    }
}
