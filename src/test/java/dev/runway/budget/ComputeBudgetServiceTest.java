package dev.runway.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.project.Project;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class ComputeBudgetServiceTest {

    @Inject
    ComputeBudgetService compute;

    @Inject
    BudgetService budget;

    @Inject
    FundingService funds;

    @Inject
    SpendService spending;

    @Inject
    ProjectService projects;

    @Inject
    AuditLog audit;

    @Inject
    TenancyFixture fixture;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void each_threshold_fires_once_per_period_and_again_next_month() {
        Actor owner = fixture.company().owner();
        LocalDate today = budget.today();
        as(owner, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("100"),
                null)));
        post(owner, "49.99", "a");
        assertThat(as(owner, compute::recentAlerts)).isEmpty();
        post(owner, "0.01", "b");
        post(owner, "0.01", "b");
        assertThat(as(owner, compute::recentAlerts)).extracting(BudgetAlert::getThreshold).containsExactly(50);
        post(owner, "30", "c");
        post(owner, "1", "d");
        post(owner, "25", "e");
        assertThat(as(owner, compute::recentAlerts)).extracting(BudgetAlert::getThreshold)
                .containsExactlyInAnyOrder(50, 80, 100);
        as(owner, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("100"),
                "50, 80, 100")));
        assertThat(as(owner, compute::recentAlerts)).hasSize(3)
                .allSatisfy(a -> assertThat(a.getPeriod()).isEqualTo(YearMonth.from(today)));

        clock.advance(Duration.ofDays(today.lengthOfMonth() - today.getDayOfMonth() + 1L));
        post(owner, "60", "f");
        assertThat(as(owner, compute::recentAlerts)).hasSize(4).first().satisfies(a -> {
            assertThat(a.getThreshold()).isEqualTo(50);
            assertThat(a.getPeriod()).isEqualTo(YearMonth.from(today).plusMonths(1));
            assertThat(a.getSpent()).isEqualByComparingTo("60.00");
            assertThat(a.getScope()).isEqualTo("Company");
        });
        assertThat(as(owner, () -> audit.list("", "budget.alert_fired"))).hasSize(4)
                .extracting(AuditEvent::getAfterValue).contains("50 % reached: 60.00 USD of 100.00 USD");
    }

    @Test
    void spend_by_day_adds_up_this_months_compute_spend_against_the_company_limit() {
        Actor owner = fixture.company().owner();
        LocalDate today = budget.today();
        assertThat(as(owner, compute::spendByDay).monthlyLimit()).isNull();
        as(owner, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("100"),
                null)));
        as(owner, () -> spending.addActual(new SpendService.ActualForm(today.withDayOfMonth(1), SpendCategory.COMPUTE,
                new BigDecimal("10"), "", null)));
        as(owner, () -> spending.addActual(new SpendService.ActualForm(today, SpendCategory.COMPUTE,
                new BigDecimal("2.50"), "", null)));
        as(owner, () -> spending.addActual(new SpendService.ActualForm(today, SpendCategory.PEOPLE,
                new BigDecimal("500"), "", null)));

        ComputeBudgetService.SpendByDay s = as(owner, compute::spendByDay);

        assertThat(s.month()).isEqualTo(YearMonth.from(today));
        assertThat(s.cumulative()).hasSize(today.lengthOfMonth());
        assertThat(s.cumulative().get(0)).isEqualByComparingTo(today.getDayOfMonth() == 1 ? "12.50" : "10.00");
        assertThat(s.cumulative().get(today.getDayOfMonth() - 1)).isEqualByComparingTo("12.50");
        assertThat(s.cumulative().subList(today.getDayOfMonth(), s.cumulative().size()))
                .allSatisfy(v -> assertThat(v).isNull());   // days still to come (none on the last day)
        assertThat(s.monthlyLimit()).isEqualByComparingTo("100");
    }

    @Test
    void a_project_budget_counts_only_that_projects_compute_spend() {
        Actor owner = fixture.company().owner();
        Project vision = project(owner, "vision");
        Project other = project(owner, "other");
        as(owner, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(vision.getId(),
                new BigDecimal("40.00"), "75")));
        as(owner, () -> budget.recordComputeSpend(other.getId(), new BigDecimal("39"), null, "o-1"));
        as(owner, () -> spending.addActual(new SpendService.ActualForm(budget.today(), SpendCategory.PEOPLE,
                new BigDecimal("39"), "", vision.getId())));
        assertThat(as(owner, compute::recentAlerts)).isEmpty();
        as(owner, () -> spending.addActual(new SpendService.ActualForm(budget.today(), SpendCategory.COMPUTE,
                new BigDecimal("30"), "GPU rental", vision.getId())));
        assertThat(as(owner, compute::recentAlerts)).singleElement().satisfies(a -> {
            assertThat(a.getThreshold()).isEqualTo(75);
            assertThat(a.getScope()).isEqualTo("Project “vision”");
        });
        assertThat(as(owner, compute::computeBudgets)).singleElement().satisfies(s -> {
            assertThat(s.spent()).isEqualByComparingTo("30.00");
            assertThat(s.left()).isEqualByComparingTo("10.00");
            assertThat(s.percentUsed()).isEqualTo(75);
        });
    }

    @Test
    void may_spend_answers_with_what_is_left_and_who_can_raise_it() {
        TenancyFixture.Company company = fixture.company();
        Actor owner = company.owner();
        Actor engineer = fixture.member(company, Role.ENGINEER);
        Project vision = project(owner, "vision");

        SpendDecision unlimited = as(engineer, () -> compute.maySpend(vision.getId(), new BigDecimal("1000")));
        assertThat(unlimited.allowed()).isTrue();
        assertThat(unlimited.left()).isNull();
        assertThat(unlimited.message()).contains("No compute budget");

        as(owner, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("100"),
                null)));
        as(owner, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(vision.getId(),
                new BigDecimal("40"), null)));
        as(owner, () -> budget.recordComputeSpend(vision.getId(), new BigDecimal("30"), null, "v-1"));

        SpendDecision fits = as(engineer, () -> compute.maySpend(vision.getId(), new BigDecimal("10")));
        assertThat(fits.allowed()).isTrue();
        assertThat(fits.left()).isEqualByComparingTo("10.00");
        assertThat(fits.projectLeft()).isEqualByComparingTo("10.00");
        assertThat(fits.tenantLeft()).isEqualByComparingTo("70.00");

        SpendDecision tooMuch = as(engineer, () -> compute.maySpend(vision.getId(), new BigDecimal("10.01")));
        assertThat(tooMuch.allowed()).isFalse();
        assertThat(tooMuch.message()).contains("Project “vision”", "10.00 USD left of 40.00 USD",
                "Billing, Admin or Owner");

        assertThat(as(engineer, () -> compute.maySpend(null, new BigDecimal("70"))).allowed()).isTrue();
        SpendDecision company70 = as(engineer, () -> compute.maySpend(null, new BigDecimal("70.01")));
        assertThat(company70.allowed()).isFalse();
        assertThat(company70.message()).contains("the company", "70.00 USD left of 100.00 USD");

        assertThatThrownBy(() -> as(engineer, () -> compute.maySpend(Long.MAX_VALUE, BigDecimal.ONE)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> as(engineer, () -> compute.maySpend(null, BigDecimal.ZERO)))
                .isInstanceOf(BadInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "50, 120", "-5", "abc", "50,,x"})
    void thresholds_outside_1_to_100_are_refused_at_their_field(String thresholds) {
        Actor owner = fixture.company().owner();
        assertThatThrownBy(() -> as(owner, () -> compute.saveComputeBudget(
                new ComputeBudgetService.BudgetForm(null, BigDecimal.TEN, thresholds))))
                .isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.field()).isEqualTo("thresholds"));
        assertThat(as(owner, compute::computeBudgets)).isEmpty();
    }

    @Test
    void thresholds_are_sorted_without_repeats_and_default_to_50_80_100() {
        assertThat(ComputeBudgetService.parseThresholds("100, 50 80 50%")).containsExactly(50, 80, 100);
        assertThat(ComputeBudgetService.parseThresholds(" ")).containsExactly(50, 80, 100);
        Actor owner = fixture.company().owner();
        assertThatThrownBy(() -> as(owner, () -> compute.saveComputeBudget(
                new ComputeBudgetService.BudgetForm(null, new BigDecimal("10.555"), null))))
                .isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.field()).isEqualTo("monthlyLimit"));
    }

    @Test
    void deleting_a_budget_keeps_its_alerts() {
        Actor owner = fixture.company().owner();
        ComputeBudget b = as(owner, () -> compute.saveComputeBudget(
                new ComputeBudgetService.BudgetForm(null, new BigDecimal("10"), "10")));
        post(owner, "5", "x");
        as(owner, () -> compute.deleteComputeBudget(b.getId()));
        assertThat(as(owner, compute::computeBudgets)).isEmpty();
        assertThat(as(owner, compute::recentAlerts)).singleElement()
                .satisfies(a -> assertThat(a.getBudgetId()).isNull());
    }

    private void post(Actor actor, String amount, String key) {
        as(actor, () -> budget.recordComputeSpend(null, new BigDecimal(amount), null, key));
    }

    private Project project(Actor owner, String name) {
        return as(owner, () -> projects.create(new ProjectService.ProjectForm(name, "", "", true)));
    }

    private static <T> T as(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, work);
    }

    private static void as(Actor actor, Runnable work) {
        TenantContext.runAs(actor, work);
    }
}
