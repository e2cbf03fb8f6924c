package dev.runway.budget;

import dev.runway.base.Happened;
import dev.runway.base.Money;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compute spend per month and the alerts it raises. Only called inside a budget service's transaction, after that
 * service has checked the caller's permission.
 */
@ApplicationScoped
public class BudgetAlerts {

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Inject
    ProjectService projects;

    @Inject
    Event<Happened> happened;

    @Inject
    Clock clock;

    /** Compute spend (manual and billing) in {@code month}; for one project, or the whole company when null. */
    @Transactional(Transactional.TxType.MANDATORY)
    public BigDecimal computeSpent(YearMonth month, Long projectId) {
        BigDecimal sum = em.createQuery("""
                        select coalesce(sum(a.amount), 0) from ActualSpend a
                        where a.category = :compute and a.spentOn between :from and :to
                          and (:project is null or a.projectId = :project)""", BigDecimal.class)
                .setParameter("compute", SpendCategory.COMPUTE)
                .setParameter("from", month.atDay(1))
                .setParameter("to", month.atEndOfMonth())
                .setParameter("project", projectId)
                .getSingleResult();
        return sum == null ? BigDecimal.ZERO : sum;
    }

    /** Raises every threshold crossed in {@code month} that has not fired yet for its budget and month. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void check(YearMonth month, Currency currency) {
        List<ComputeBudget> budgets = em.createQuery("select b from ComputeBudget b order by b.id",
                ComputeBudget.class).getResultList();
        for (ComputeBudget budget : budgets) {
            BigDecimal spent = computeSpent(month, budget.getProjectId());
            BigDecimal limit = budget.getMonthlyLimit();
            for (int threshold : budget.getThresholds()) {
                boolean crossed = spent.multiply(BigDecimal.valueOf(100))
                        .compareTo(limit.multiply(BigDecimal.valueOf(threshold))) >= 0;
                if (crossed) {
                    raise(budget, month, threshold, Money.round(spent, currency), limit, currency);
                }
            }
        }
    }

    /** A name for people: "Company" or "Project “name”". */
    @Transactional(Transactional.TxType.MANDATORY)
    public String scope(Long projectId) {
        return projectId == null ? "Company" : "Project “" + projects.get(projectId).getName() + "”";
    }

    private void raise(ComputeBudget budget, YearMonth month, int threshold, BigDecimal spent, BigDecimal limit,
            Currency currency) {
        Actor actor = TenantContext.current().orElseThrow();
        String scope = scope(budget.getProjectId());
        // Insert-if-absent on the unique key: concurrent spenders wait for each other, and only one inserts.
        int inserted = em.createNativeQuery("""
                        insert into budget_alert
                            (tenant_id, budget_id, scope, period, threshold, spent, monthly_limit, created_at)
                        values (:tenant, :budget, :scope, :period, :threshold, :spent, :limit, :now)
                        on conflict (tenant_id, budget_id, period, threshold) do nothing""")
                .setParameter("tenant", actor.tenantId())
                .setParameter("budget", budget.getId())
                .setParameter("scope", scope)
                .setParameter("period", month.atDay(1))
                .setParameter("threshold", threshold)
                .setParameter("spent", spent)
                .setParameter("limit", limit)
                .setParameter("now", clock.instant())
                .executeUpdate();
        if (inserted == 0) {
            return;
        }
        audit.record("budget.alert_fired", scope + " compute " + month, null,
                threshold + " % reached: " + Money.format(spent, currency) + " of " + Money.format(limit, currency));
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("budgetId", budget.getId());
        facts.put("projectId", budget.getProjectId());
        facts.put("scope", scope);
        facts.put("month", month.toString());
        facts.put("threshold", threshold);
        facts.put("spent", spent.toPlainString());
        facts.put("monthlyLimit", limit.toPlainString());
        facts.put("currency", currency.getCurrencyCode());
        happened.fire(new Happened(actor.tenantId(), Happened.Kind.BUDGET_THRESHOLD, budget.getProjectId(),
                new Happened.Subject(Happened.Subject.Type.BUDGET, budget.getId(), scope + " compute budget"), null,
                scope + " compute budget reached " + threshold + " % for " + month + ": "
                        + Money.format(spent, currency) + " of " + Money.format(limit, currency), Set.of(), facts));
    }
}
