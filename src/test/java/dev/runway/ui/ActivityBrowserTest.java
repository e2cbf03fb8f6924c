package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.collaboration.ActivityService;
import dev.runway.collaboration.NotificationCategory;
import dev.runway.base.Happened;
import dev.runway.base.Happened.Kind;
import dev.runway.base.Happened.Subject;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.testing.Acting;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bell, the notifications page and the activity feed as a member sees them: what another member does reaches the
 * page without a reload, through PostgreSQL LISTEN/NOTIFY and Vaadin Push, within a second of the commit.
 */
@QuarkusTest
class ActivityBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    @Inject
    ActivityService activity;

    @Inject
    Event<Happened> happened;

    @Inject
    ProjectService projects;

    @Test
    void the_bell_counts_a_new_notification_within_a_second_without_a_reload() {
        TenancyFixture.Company company = fixture.company();
        String email = "engineer-" + TenancyFixture.unique() + "@example.com";
        Actor engineer = fixture.join(company, email, Role.ENGINEER);

        try (BrowserContext context = newContext()) {
            Page page = signIn(context, email);
            Locator count = page.locator(".notification-bell .notification-count");
            assertThat(count).isHidden();
            assertThat(page.locator(".unread-notifications")).containsText("Nothing unread");

            long committed = fire(company, Kind.COMMENT_ADDED, company.owner().userId(),
                    "Owner commented on Training run #7: @engineer the loss is flat", Set.of(engineer.userId()));
            assertThat(count).hasText("1", new LocatorAssertions.HasTextOptions().setTimeout(1000));
            long millis = (System.nanoTime() - committed) / 1_000_000;
            System.out.printf("Bell: commit to count shown in the browser in %d ms%n", millis);
            assertThat(millis).isLessThan(1000);
            assertThat(page.locator(".unread-notifications")).containsText("the loss is flat");
            assertThat(page.locator(".latest-activity")).containsText("the loss is flat");
            screenshot(page, "dashboard-activity.png");

            // The company feed grows at the top while it is open.
            page.navigate(url("activity"));
            assertThat(page.locator(".activity-entry").first()).containsText("the loss is flat");
            fire(company, Kind.DATASET_VERSION_ADDED, company.owner().userId(), "tickets v2 uploaded: 120 rows",
                    Set.of());
            assertThat(page.locator(".activity-entry").first()).containsText("tickets v2 uploaded",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(2000));
            assertThat(count).hasText("1");
            screenshot(page, "activity.png");

            // The bell opens the notifications; reading them clears it.
            page.locator(".notification-bell").click();
            assertThat(page.locator(".notification.unread")).containsText("the loss is flat");
            screenshot(page, "notifications.png");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark all read")).click();
            assertThat(count).isHidden();
            assertThat(page.locator(".notification.unread")).hasCount(0);

            // Settings: off in Runway means no bell for it.
            page.getByLabel("Mentions of me in Runway").uncheck();
            assertThat(page.locator("vaadin-notification-card").last()).containsText("Saved");
            assertThat(Acting.tx(engineer, activity::settings)).filteredOn(s -> s.category()
                    == NotificationCategory.MENTIONS).singleElement().satisfies(s -> assertThat(s.inApp()).isFalse());

            // A project's page shows the project's own activity.
            long project = Acting.tx(company.owner(), () -> projects.create(new ProjectService.ProjectForm(
                    "Feed " + TenancyFixture.unique(), "", "", true)).getId());
            Acting.tx(company.owner(), () -> {
                happened.fire(new Happened(company.owner().tenantId(), Kind.DATASET_VERSION_ADDED, project,
                        new Subject(Subject.Type.DATASET_VERSION, 3, "iris v1"), company.owner().userId(),
                        "iris v1 uploaded: 150 rows", Set.of(), Map.of()));
                return null;
            });
            page.navigate(url("projects/" + project));
            assertThat(page.locator(".project-activity .activity-entry")).hasCount(1);
            assertThat(page.locator(".project-activity")).containsText("iris v1 uploaded");
            assertThat(page.locator(".project-activity a").first()).hasAttribute("href", "datasets/versions/3");

            page.setViewportSize(390, 844);
            page.navigate(url("notifications"));
            assertThat(page.locator(".notification").first()).isVisible();
            screenshot(page, "notifications-narrow.png");
        }
    }

    /** Fires a happening in a transaction of its own, as the feature that made it would; returns when it committed. */
    private long fire(TenancyFixture.Company company, Kind kind, Long actorId, String summary, Set<Long> addressed) {
        Acting.tx(new Actor(actorId == null ? 0 : actorId, company.owner().tenantId()), () -> {
            happened.fire(new Happened(company.owner().tenantId(), kind, null,
                    new Subject(Subject.Type.RUN, 7, "Training run #7"), actorId, summary, addressed, Map.of()));
            return null;
        });
        return System.nanoTime();
    }
}
