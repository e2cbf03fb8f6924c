package dev.runway.training;

import dev.runway.base.PlanConcurrency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Keeps each company's executor quota ({@code tenant_queue_state.concurrency_quota}, read at admission) at its plan's
 * concurrency. Billing announces the plan; training alone writes its queue table. Heard in the announcing transaction,
 * so a plan change and its quota commit or roll back together.
 */
@ApplicationScoped
public class ConcurrencyQuota {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    void planned(@Observes PlanConcurrency plan) {
        // Written only when it changes: the hourly job announces every company's plan, and a no-op update would still
        // lock the row the executor takes a place under.
        em.createNativeQuery("""
                        insert into tenant_queue_state (tenant_id, concurrency_quota) values (:tenant, :quota)
                        on conflict (tenant_id) do update set concurrency_quota = excluded.concurrency_quota
                        where tenant_queue_state.concurrency_quota <> excluded.concurrency_quota""")
                .setParameter("tenant", plan.tenantId()).setParameter("quota", plan.runsAtOnce()).executeUpdate();
    }
}
