package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.collaboration.CommentFixture;
import dev.runway.tenancy.Role;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A comment on a run page, written with @ completion (a click for a CJK name, the keyboard for one of two members of
 * the same name): Markdown renders, the mentions are highlighted, a script stays text; a viewer reads it without a
 * composer; the panel also sits on the dataset version page and in the model version view.
 */
@QuarkusTest
class CommentsBrowserTest extends BrowserTestBase {

    @Inject
    CommentFixture fixture;

    @Test
    void a_member_comments_with_mention_completion_and_a_viewer_reads_it_safely() {
        CommentFixture.Subjects subjects = fixture.subjects();
        CommentFixture.Member wang = fixture.member(subjects.company(), "王小明", Role.VIEWER);
        CommentFixture.Member ana = fixture.member(subjects.company(), "Ana Silva", Role.ENGINEER);
        CommentFixture.Member namesake = fixture.member(subjects.company(), "Ana Silva", Role.ANALYST);

        try (BrowserContext context = newContext()) {
            Page page = signIn(context, subjects.company().ownerEmail());
            page.navigate(url("runs/" + subjects.runId()));
            assertThat(page.locator(".page-header h2")).containsText("Training run");
            assertThat(page.getByText("No comments yet.")).isVisible();

            Locator composer = page.getByLabel("Add a comment", EXACT);
            composer.pressSequentially("Look at **this** and `x < 1` <script>alert(1)</script> cc @王");
            Locator options = page.locator(".mention-option");
            assertThat(options).hasCount(1);
            assertThat(options.first()).containsText("王小明");
            screenshot(page, "comments-completion.png");
            options.first().click();
            assertThat(options).hasCount(0);

            composer.pressSequentially("and @ana");
            assertThat(options).hasCount(2);
            assertThat(options.nth(0)).containsText(ana.email());
            assertThat(options.nth(1)).containsText(namesake.email());
            composer.press("ArrowDown");
            assertThat(options.nth(1)).hasAttribute("aria-selected", "true");
            composer.press("Enter");
            assertThat(options).hasCount(0);
            composer.pressSequentially("please check");
            assertThat(composer).hasValue("Look at **this** and `x < 1` <script>alert(1)</script> cc "
                    + "@[王小明](user:" + wang.actor().userId() + ") and @[Ana Silva](user:"
                    + namesake.actor().userId() + ") please check");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Comment").setExact(true)).click();
            Locator body = page.locator(".comment-body").first();
            assertThat(body.locator("strong")).hasText("this");
            assertThat(body.locator("code")).hasText("x < 1");
            assertThat(body).containsText("<script>alert(1)</script>");
            assertThat(body.locator("script")).hasCount(0);
            Locator mentions = body.locator(".mention");
            assertThat(mentions).hasCount(2);
            assertThat(mentions.nth(0)).hasText("@王小明");
            assertThat(mentions.nth(1)).hasText("@Ana Silva");
            assertThat(mentions.nth(1)).hasAttribute("data-user", Long.toString(namesake.actor().userId()));
            assertThat(composer).hasValue("");
            assertThat((String) mentions.nth(0).evaluate("e => getComputedStyle(e).backgroundColor"))
                    .as("the mention is highlighted").isNotEqualTo("rgba(0, 0, 0, 0)");
            page.locator(".comments-panel").scrollIntoViewIfNeeded();
            screenshot(page, "comments-run.png");
            page.setViewportSize(390, 844);
            page.locator(".comments-panel").scrollIntoViewIfNeeded();
            screenshot(page, "comments-run-narrow.png");
            page.setViewportSize(1366, 900);

            page.navigate(url("datasets/versions/" + subjects.datasetVersionId()));
            assertThat(page.locator(".comments-panel")).containsText("No comments yet.");
            page.locator(".comments-panel").scrollIntoViewIfNeeded();
            screenshot(page, "comments-dataset.png");

            page.navigate(url("models/" + subjects.modelVersionId()));
            Locator dialog = page.locator(".comments-panel");
            dialog.getByLabel("Add a comment", new Locator.GetByLabelOptions().setExact(true)).pressSequentially("Ship _it_");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Comment").setExact(true))
                    .click();
            assertThat(dialog.locator(".comment-body em")).hasText("it");
            screenshot(page, "comments-model.png");
            page.setViewportSize(390, 844);
            screenshot(page, "comments-model-narrow.png");
            page.setViewportSize(1366, 900);

            // One's own comment: edit it (the mention written in it stays a mention), then delete it.
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit")).click();
            Locator editor = dialog.getByLabel("Edit comment", new Locator.GetByLabelOptions().setExact(true));
            assertThat(editor).hasValue("Ship _it_");
            editor.pressSequentially(" @王");
            options.first().click();
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
            assertThat(dialog.locator(".comment-edited")).hasText("edited");
            assertThat(dialog.locator(".comment-body .mention")).hasText("@王小明");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
            page.locator("vaadin-confirm-dialog-overlay").getByRole(AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Delete")).click();
            assertThat(dialog.locator(".comment")).hasCount(0);
            assertThat(dialog).containsText("No comments yet.");
        }

        try (BrowserContext context = newContext()) {
            Page page = signIn(context, wang.email());
            page.navigate(url("runs/" + subjects.runId()));
            Locator mention = page.locator(".comment-body .mention").first();
            assertThat(mention).hasText("@王小明");
            assertThat(page.getByLabel("Add a comment", EXACT)).hasCount(0);
            assertThat(page.locator(".comment-actions")).hasCount(0);
        }
    }
}
