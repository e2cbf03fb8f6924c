package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.billing.InvoiceService;
import dev.runway.billing.Plan;
import dev.runway.billing.PlanService;
import dev.runway.billing.Resource;
import dev.runway.billing.Usage;
import dev.runway.billing.UsageLedger;
import dev.runway.budget.BudgetService;
import dev.runway.budget.FundingService;
import dev.runway.budget.SpendService;
import dev.runway.budget.ComputeBudgetService;
import dev.runway.budget.FundingKind;
import dev.runway.budget.SpendCategory;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Budget page as a person uses it: an unreadable plan amount is refused at its field and nothing is lost; this
 * month's budget alerts show on the dashboard and in the header; amounts fit at 1366 px and the page works at 390 px.
 */
@QuarkusTest
class BudgetBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Inject
    BudgetService budget;

    @Inject
    FundingService funds;

    @Inject
    SpendService spending;

    @Inject
    ComputeBudgetService compute;

    @Inject
    PlanService plans;

    @Inject
    InvoiceService invoices;

    @Inject
    UsageLedger ledger;

    @Test
    void an_unreadable_plan_amount_is_refused_at_its_field_and_alerts_show_on_the_dashboard_and_header() {
        TenancyFixture.Company company = fixture.company();
        Actor owner = company.owner();
        YearMonth month = YearMonth.from(budget.today());
        TenantContext.runAs(owner, () -> {
            funds.addFunding(new FundingService.FundingForm(FundingKind.VENTURE, new BigDecimal("1250000"), "USD",
                    budget.today(), "Seed round led by a fund with a long name"));
            spending.savePlan(month, Map.of(SpendCategory.PEOPLE, new BigDecimal("30000"),
                    SpendCategory.COMPUTE, new BigDecimal("1200")));
            spending.addActual(new SpendService.ActualForm(budget.today(), SpendCategory.PEOPLE,
                    new BigDecimal("28750.50"), "Salaries", null));
            compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("30000"), "50, 100"));
            budget.recordComputeSpend(null, new BigDecimal("30000.00"), null, "browser-test-compute");
            plans.changePlan(Plan.TEAM, null);
            invoices.addCredit(new BigDecimal("30000.00"), "prepayment TR-30000");
            Instant now = Instant.now();
            QuarkusTransaction.requiringNew().run(() -> ledger.record(owner.tenantId(), new Usage("browser:gpu",
                    Resource.GPU, new BigDecimal("45000000"), null, null, now, now.plusSeconds(45_000_000))));
        });

        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            assertThat(page.locator(".budget-alerts")).containsText("Company compute budget: 100 % reached");
            assertThat(page.locator(".budget-alert-indicator")).isVisible();
            screenshot(page, "dashboard-budget-alert.png");

            page.navigate(url("budget"));
            Locator people = page.getByLabel("People (USD)", EXACT);
            for (String unreadable : new String[] {"1.2.3", "--"}) {
                people.fill(unreadable);
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save plan")).click();
                assertThat(page.locator("vaadin-big-decimal-field[invalid]")).containsText("is not an amount");
                assertThat(page.getByText("saved")).hasCount(0);
                BigDecimal kept = TenantContext.runAs(owner, () -> spending.plan(month)).get(SpendCategory.PEOPLE);
                assertThat(kept).as("after “" + unreadable + "”").isEqualByComparingTo("30000");
            }
            screenshot(page, "budget-plan-unreadable.png");

            page.navigate(url("budget"));
            assertThat(page.locator("vaadin-grid.plan-vs-actual")).containsText("Total");
            assertThat(page.getByText("Export (CSV)")).isVisible();
            screenshot(page, "budget-1366.png");
            sections(page, "1366");
            page.setViewportSize(390, 844);
            page.reload();
            assertThat(page.locator(".page-header h2")).isVisible();
            screenshot(page, "budget-390.png");
            sections(page, "390");
            assertThat((Integer) page.evaluate("document.documentElement.scrollWidth")).as("page width at 390 px")
                    .isLessThanOrEqualTo(390);
            page.navigate(url("billing"));
            assertThat(page.locator(".page-header h2")).isVisible();
            screenshot(page, "billing-390.png");
            page.locator("#billing-invoices").scrollIntoViewIfNeeded();
            screenshot(page, "billing-390-invoices.png");
            assertThat((Integer) page.evaluate("document.documentElement.scrollWidth")).as("page width at 390 px")
                    .isLessThanOrEqualTo(390);
            page.setViewportSize(1366, 900);
            page.reload();
            assertThat(page.locator(".page-header h2")).isVisible();
            screenshot(page, "billing-1366.png");
            page.locator("#billing-invoices").scrollIntoViewIfNeeded();
            screenshot(page, "billing-1366-invoices.png");
        }
    }

    /** Each section of the Budget page in view, for a person to look at. */
    private static void sections(Page page, String width) {
        for (String section : new String[] {"Funding", "Spending plan", "Actual spend", "Compute budgets"}) {
            page.locator("h3", new Page.LocatorOptions().setHasText(section)).scrollIntoViewIfNeeded();
            page.evaluate("document.querySelector('vaadin-dev-tools')?.remove()");
            screenshot(page, "budget-" + width + "-" + section.toLowerCase().replace(' ', '-') + ".png");
        }
    }
}
