package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.billing.Plan;
import dev.runway.billing.PlanService;
import dev.runway.billing.Resource;
import dev.runway.billing.Usage;
import dev.runway.billing.UsageLedger;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.OperatorFixture;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Operator page as the platform operator sees it (nodes, the queue by pool, companies; refreshed by itself) at
 * 1366 and 390 px, and as everyone else does: a page that does not exist, and no menu entry.
 */
@QuarkusTest
class OperatorBrowserTest extends BrowserTestBase {

    @Inject
    OperatorFixture operators;

    @Inject
    TenancyFixture tenancy;

    @Inject
    PlanService plans;

    @Inject
    UsageLedger ledger;

    @Inject
    TestClock clock;

    @Test
    void the_operator_sees_nodes_the_queue_by_pool_and_companies_and_the_page_follows_the_nodes() {
        String id = TenancyFixture.unique();
        String cpu = "cpu-" + id;
        String gpu = "gpu-" + id;
        List<String> nodes = List.of("console-" + id, "gpu-worker-" + id, "cpu-worker-" + id);
        TenancyFixture.Company company = tenancy.company();
        TenantContext.runAs(company.owner(), () -> {
            plans.changePlan(Plan.TEAM, null);
            Instant start = clock.instant();
            QuarkusTransaction.requiringNew().run(() -> ledger.record(company.owner().tenantId(), new Usage(
                    "browser:gpu", Resource.GPU, new BigDecimal("5400"), null, null, start,
                    start.plusSeconds(5400))));
        });
        operators.operator();
        clock.advance(OperatorFixture.AHEAD);
        Instant now = clock.instant();
        try {
            operators.node(new OperatorFixture.NodeRow(nodes.get(0), "web", cpu, cpu, 1, 1, 0, true, false,
                    now.minusSeconds(7200), now));
            // Its heartbeat stopped two minutes ago: gone, so the GPU pool's runs have no live node.
            operators.node(new OperatorFixture.NodeRow(nodes.get(1), "worker", gpu, gpu + "," + cpu, 2, 2, 2, true,
                    false, now.minusSeconds(7200), now.minusSeconds(120)));
            operators.execution(cpu, "1-" + id, now.minusSeconds(30), false);
            operators.execution(cpu, "2-" + id, now.minusSeconds(60), true);
            operators.execution(gpu, "3-" + id, now.minusSeconds(300), false);

            try (BrowserContext context = newContext()) {
                Page page = signInAsOperator(context);
                page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Operator")).click();
                assertThat(page.locator(".page-header h2")).hasText("Operator");
                for (String section : List.of("Nodes", "Queue by pool", "Companies")) {
                    assertThat(page.locator("h3", new Page.LocatorOptions().setHasText(section))).isVisible();
                }
                assertThat(page.locator("vaadin-grid.operator-nodes")).containsText(nodes.get(0));
                assertThat(page.locator("vaadin-grid.operator-nodes")).containsText("gone");
                assertThat(page.locator("vaadin-grid.operator-queue")).containsText(gpu);
                assertThat(page.locator("vaadin-grid.operator-queue")).containsText("no live node");
                // Other tests' companies fill the grid, which renders only the rows in view: find this one by name.
                String name = "Company " + company.slug().substring(3);
                page.getByLabel("Find a company", EXACT).fill(name);
                assertThat(page.locator("vaadin-grid.operator-companies")).containsText(name);
                assertThat(page.locator("vaadin-grid.operator-companies")).containsText("3.60 USD");

                // A node starting while the page is open shows up without a reload.
                operators.node(new OperatorFixture.NodeRow(nodes.get(2), "worker", cpu, cpu, 4, 0, 0, true, false,
                        clock.instant(), clock.instant()));
                assertThat(page.locator("vaadin-grid.operator-nodes")).containsText(nodes.get(2));
                sections(page, "1366");
                assertThat((Integer) page.evaluate("document.documentElement.scrollWidth")).as("page width")
                        .isLessThanOrEqualTo(1366);

                page.setViewportSize(390, 844);
                page.reload();
                page.getByLabel("Find a company", EXACT).fill(name);
                assertThat(page.locator("vaadin-grid.operator-companies")).containsText("3.60 USD");
                sections(page, "390");
                assertThat((Integer) page.evaluate("document.documentElement.scrollWidth")).as("page width at 390 px")
                        .isLessThanOrEqualTo(390);
            }
        } finally {
            clock.reset();
            operators.clear(nodes, List.of(cpu, gpu));
        }
    }

    /** The operator signs in with password and two-factor code, as an operator must. */
    private Page signInAsOperator(BrowserContext context) {
        Page page = context.newPage();
        page.navigate(url("login"));
        page.getByLabel("Email", EXACT).fill(OperatorFixture.EMAIL);
        page.getByLabel("Password", EXACT).fill(TenancyFixture.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.getByText("Two-factor sign-in").first()).isVisible();
        page.getByLabel("Code", EXACT).fill(operators.code());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify")).click();
        assertThat(page.locator(".page-header h2")).isVisible();
        return page;
    }

    /** The top of the page and each section in view, for a person to look at. */
    private static void sections(Page page, String width) {
        screenshot(page, "operator-" + width + ".png");
        for (String section : List.of("nodes", "queue", "companies")) {
            // The section at the top: development mode's notice (bottom right) covers no figure.
            page.evaluate("id => document.getElementById(id).scrollIntoView({block: 'start'})",
                    "operator-" + section + "-title");
            screenshot(page, "operator-" + width + "-" + section + ".png");
        }
    }

    @Test
    void to_a_company_owner_and_to_a_stranger_the_operator_page_does_not_exist() {
        TenancyFixture.Company company = tenancy.company();
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            assertThat(page.locator("vaadin-side-nav")).containsText("Settings");
            assertThat(page.locator("vaadin-side-nav-item", new Page.LocatorOptions().setHasText("Operator")))
                    .hasCount(0);
            Response operator = page.navigate(url("operator"));
            assertThat(page.getByText("Page not found")).isVisible();
            assertThat(page.locator("vaadin-grid")).hasCount(0);
            Response missing = page.navigate(url("no-such-page-" + TenancyFixture.unique()));
            assertThat(page.getByText("Page not found")).isVisible();
            assertThat(operator.status()).isEqualTo(missing.status()).isEqualTo(404);
            screenshot(page, "operator-owner-not-found.png");
        }
        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            Response operator = page.navigate(url("operator"));
            assertThat(page.getByText("Page not found")).isVisible();
            assertThat(operator.status()).isEqualTo(404);
        }
    }
}
