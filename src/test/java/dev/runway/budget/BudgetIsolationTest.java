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
        aFunding = as(a, () -> budget.addFunding(new BudgetService.FundingForm(FundingKind.VENTURE,
                new BigDecimal("5000"), "USD", budget.today(), "series A"))).getId();
        aSpend = as(a, () -> budget.addActual(new BudgetService.ActualForm(budget.today(), SpendCategory.COMPUTE,
                new BigDecimal("20"), "", aProject))).getId();
        aBudget = as(a, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(aProject,
                new BigDecimal("10"), null))).getId();
        as(a, () -> budget.savePlan(java.time.YearMonth.from(budget.today()),
                java.util.Map.of(SpendCategory.COMPUTE, BigDecimal.TEN)));

        as(b, () -> budget.changeCurrency("EUR"));
        as(b, () -> budget.addFunding(new BudgetService.FundingForm(FundingKind.GRANT, new BigDecimal("7"), "EUR",
                budget.today(), "")));
        as(b, () -> budget.savePlan(java.time.YearMonth.from(budget.today()),
                java.util.Map.of(SpendCategory.OTHER, BigDecimal.ONE)));
        as(b, () -> compute.saveComputeBudget(new ComputeBudgetService.BudgetForm(null, new BigDecimal("2"), "")));
        as(b, () -> budget.recordComputeSpend(null, new BigDecimal("3"), null, "b-1"));
    }

    @Test
    void b_sees_only_its_own_figures() {
        as(b, () -> {
            assertThat(budget.funding()).singleElement().extracting(FundingSource::getNote).isEqualTo("");
            assertThat(budget.actuals(null)).singleElement().extracting(ActualSpend::getSource)
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
        BudgetService.FundingForm form = new BudgetService.FundingForm(FundingKind.OTHER, BigDecimal.ONE, "EUR",
                budget.today(), "");
        BudgetService.ActualForm spend = new BudgetService.ActualForm(budget.today(), SpendCategory.OTHER,
                BigDecimal.ONE, "", null);
        as(b, () -> {
            assertThat(messageOf(() -> budget.updateFunding(aFunding, form)))
                    .isEqualTo(messageOf(() -> budget.updateFunding(missing, form)));
            assertThat(messageOf(() -> budget.deleteFunding(aFunding)))
                    .isEqualTo(messageOf(() -> budget.deleteFunding(missing)));
            assertThat(messageOf(() -> budget.updateActual(aSpend, spend)))
                    .isEqualTo(messageOf(() -> budget.updateActual(missing, spend)));
            assertThat(messageOf(() -> budget.deleteActual(aSpend)))
                    .isEqualTo(messageOf(() -> budget.deleteActual(missing)));
            assertThat(messageOf(() -> compute.deleteComputeBudget(aBudget)))
                    .isEqualTo(messageOf(() -> compute.deleteComputeBudget(missing)));
            assertThat(messageOf(() -> compute.maySpend(aProject, BigDecimal.ONE)))
                    .isEqualTo(messageOf(() -> compute.maySpend(missing, BigDecimal.ONE)));
            assertThat(messageOf(() -> budget.recordComputeSpend(aProject, BigDecimal.ONE, null, "x")))
                    .isEqualTo(messageOf(() -> budget.recordComputeSpend(missing, BigDecimal.ONE, null, "x")));
        });
        as(a, () -> {
            assertThat(budget.funding()).singleElement().extracting(FundingSource::getNote).isEqualTo("series A");
            assertThat(budget.actuals(null)).hasSize(1);
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
