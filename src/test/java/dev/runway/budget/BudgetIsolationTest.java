package dev.runway.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.base.NotFoundException;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Company B can neither see nor touch company A's funding, spend, budgets or alerts. */
@QuarkusTest
class BudgetIsolationTest {

    @Inject
    BudgetService budget;

    @Inject
    FundingService funds;

    @Inject
    SpendService spending;

    @Inject
    ComputeBudgetService compute;

    @Inject
    ProjectService projects;

    @Inject
    TenancyFixture fixture;

    @Inject
    EntityManager em;

    Actor a;
    Actor b;
    long aFunding;
    long aSpend;
    long aBudget;
    long aProject;

    @BeforeEach
    void twoCompaniesWithBudgets() {
        a = fixture.company().owner();
        b = fixture.company().owner();
        aProject = as(a, () -> projects.create(new ProjectService.ProjectForm("secret", "", "", true))).getId();
        aFunding = as(a, () -> funds.addFunding(new FundingService.FundingForm(FundingKind.VENTURE,
                new BigDecimal("5000"), "USD", budget.today(), "series A"))).getId();
        aSpend = as(a, () -> spending.addActual(new SpendService.ActualForm(budget.today(), SpendCategory.COMPUTE,
                new BigDecimal("20"), "", aProject))).getId();
        aBudget = as(a, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(aProject,
                new BigDecimal("10"), null))).getId();
        as(a, () -> spending.savePlan(java.time.YearMonth.from(budget.today()),
                java.util.Map.of(SpendCategory.COMPUTE, BigDecimal.TEN)));

        as(b, () -> budget.changeCurrency("EUR"));
        as(b, () -> funds.addFunding(new FundingService.FundingForm(FundingKind.GRANT, new BigDecimal("7"), "EUR",
                budget.today(), "")));
        as(b, () -> spending.savePlan(java.time.YearMonth.from(budget.today()),
                java.util.Map.of(SpendCategory.OTHER, BigDecimal.ONE)));
        as(b, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("2"), "")));
        as(b, () -> budget.recordComputeSpend(null, new BigDecimal("3"), null, "b-1"));
    }

    @Test
    void b_sees_only_its_own_figures() {
        as(b, () -> {
            assertThat(funds.funding()).singleElement().extracting(FundingSource::getNote).isEqualTo("");
            assertThat(spending.actuals(null)).singleElement().extracting(ActualSpend::getSource)
                    .isEqualTo(SpendSource.BILLING);
            assertThat(budget.summary().cashOnHand()).isEqualTo(new BigDecimal("4.00"));
            assertThat(compute.computeBudgets()).singleElement().extracting(s -> s.scope()).isEqualTo("Company");
            assertThat(compute.recentAlerts()).extracting(BudgetAlert::getScope).containsOnly("Company");
            assertThat(budget.currency().getCurrencyCode()).isEqualTo("EUR");
        });
        assertThat(as(a, budget::currency).getCurrencyCode()).isEqualTo("USD");
    }

    @Test
    void a_foreign_id_looks_exactly_like_a_missing_one() {
        long missing = Long.MAX_VALUE;
        FundingService.FundingForm form = new FundingService.FundingForm(FundingKind.OTHER, BigDecimal.ONE, "EUR",
                budget.today(), "");
        SpendService.ActualForm spend = new SpendService.ActualForm(budget.today(), SpendCategory.OTHER,
                BigDecimal.ONE, "", null);
        as(b, () -> {
            assertThat(messageOf(() -> funds.updateFunding(aFunding, form)))
                    .isEqualTo(messageOf(() -> funds.updateFunding(missing, form)));
            assertThat(messageOf(() -> funds.deleteFunding(aFunding)))
                    .isEqualTo(messageOf(() -> funds.deleteFunding(missing)));
            assertThat(messageOf(() -> spending.updateActual(aSpend, spend)))
                    .isEqualTo(messageOf(() -> spending.updateActual(missing, spend)));
            assertThat(messageOf(() -> spending.deleteActual(aSpend)))
                    .isEqualTo(messageOf(() -> spending.deleteActual(missing)));
            assertThat(messageOf(() -> compute.deleteComputeBudget(aBudget)))
                    .isEqualTo(messageOf(() -> compute.deleteComputeBudget(missing)));
            assertThat(messageOf(() -> compute.maySpend(aProject, BigDecimal.ONE)))
                    .isEqualTo(messageOf(() -> compute.maySpend(missing, BigDecimal.ONE)));
            assertThat(messageOf(() -> budget.recordComputeSpend(aProject, BigDecimal.ONE, null, "x")))
                    .isEqualTo(messageOf(() -> budget.recordComputeSpend(missing, BigDecimal.ONE, null, "x")));
        });
        as(a, () -> {
            assertThat(funds.funding()).singleElement().extracting(FundingSource::getNote).isEqualTo("series A");
            assertThat(spending.actuals(null)).hasSize(1);
            assertThat(compute.computeBudgets()).hasSize(1);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"budget_settings", "funding_source", "planned_spend", "actual_spend", "compute_budget",
            "budget_alert"})
    void native_sql_in_b_sees_only_b_rows(String table) {
        List<?> tenants = as(b, () -> QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select distinct tenant_id from " + table).getResultList()));
        assertThat(tenants).singleElement()
                .satisfies(t -> assertThat(((Number) t).longValue()).isEqualTo(b.tenantId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"budget_settings", "funding_source", "planned_spend", "actual_spend", "compute_budget",
            "budget_alert"})
    void with_no_tenant_set_budget_tables_look_empty(String table) {
        Number count = QuarkusTransaction.requiringNew().call(() ->
                (Number) em.createNativeQuery("select count(*) from " + table).getSingleResult());
        assertThat(count.longValue()).isZero();
    }

    private static String messageOf(Runnable action) {
        try {
            action.run();
        } catch (NotFoundException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected not found");
    }

    private static <T> T as(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, work);
    }

    private static void as(Actor actor, Runnable work) {
        TenantContext.runAs(actor, work);
    }
}
