package dev.runway.training;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fair admission of a claimed run, in a transaction as the run's tenant: a tenant never holds more than its
 * concurrency quota ({@code tenant_queue_state}, its row locked while a place is taken), and a due run of another
 * tenant with room in its quota goes first when it has a higher priority, or the same priority and a tenant that
 * started a run less recently. Also decides what becomes of a run that comes back running (resumed, cancelled, or given
 * up after too many restarts), and frees the tenant's place when a run ends. Lock order, here and at a run's end: the
 * run row, then the tenant's queue row.
 */
@ApplicationScoped
class FairAdmission {

    static final Duration DEFER = Duration.ofSeconds(2);

    enum Admission { GO, DEFER, DONE }

    /** What admission decided, and the run as admitted (with its attempt) when it may go. */
    record Admitted(Admission admission, Run run) {}

    @Inject
    EntityManager em;

    @Inject
    RunEvents events;

    @Inject
    Clock clock;

    /** How many times a run is revived after its worker died before it fails instead (a crash would loop). */
    @ConfigProperty(name = "runway.executor.max-restarts", defaultValue = "3")
    int maxRestarts;

    Admitted admit(RunRef ref, String node) {
        Run run = em.find(Run.class, ref.runId(), LockModeType.PESSIMISTIC_WRITE);
        Instant now = clock.instant();
        if (run == null || run.getStatus().finished()) {
            return new Admitted(Admission.DONE, null);
        }
        if (run.isCancelRequested() && run.getStatus() == Run.Status.QUEUED) {
            run.cancel(now);
            events.log(run.getId(), "Cancelled before it started");
            events.endedInQueue(ref, run);
            return new Admitted(Admission.DONE, null);
        }
        Object[] state = lockQueueState(ref.tenantId());
        int running = ((Number) state[0]).intValue();
        int quota = ((Number) state[1]).intValue();
        if (run.getStatus() == Run.Status.RUNNING) {
            return comeBack(ref, run, node, now);
        }
        if (running >= quota || anotherTenantGoesFirst(run.getPriority(), run.getPool())) {
            return new Admitted(Admission.DEFER, null);
        }
        em.createNativeQuery("update tenant_queue_state set running = running + 1, last_started_at = :now "
                        + "where tenant_id = :tenant")
                .setParameter("now", now).setParameter("tenant", ref.tenantId()).executeUpdate();
        run.start(node, now);
        events.log(run.getId(), "Started on " + node
                + (run.getAttempt() > 1 ? " (attempt " + run.getAttempt() + ")" : ""));
        events.started(ref, run, node);
        return new Admitted(Admission.GO, run);
    }

    /**
     * A run that comes back running, its place still held: handed over by a draining node, or revived after its worker
     * died. It resumes, unless it was cancelled while it waited or its workers died too often.
     */
    private Admitted comeBack(RunRef ref, Run run, String node, Instant now) {
        if (run.isCancelRequested() && !run.workerDied()) {
            // Handed over by a draining node and cancelled while it waited: nothing to resume for.
            run.cancel(now);
            events.log(run.getId(), "Cancelled while it waited after a hand-over; the last checkpoint is kept");
            leave(ref, run);
            return new Admitted(Admission.DONE, null);
        }
        if (run.workerDied() && run.getRestarts() >= maxRestarts) {
            String reason = "Its worker stopped " + (run.getRestarts() + 1) + " times (limit " + maxRestarts
                    + (maxRestarts == 1 ? " restart)" : " restarts)");
            run.giveUp(reason, now);
            events.log(run.getId(), "Failed: " + reason);
            leave(ref, run);
            return new Admitted(Admission.DONE, null);
        }
        boolean died = run.workerDied();
        run.resume(node, now);
        events.log(run.getId(), "Resumed on " + node + " (attempt " + run.getAttempt() + ")" + (died
                ? " after the previous executor stopped; work since the last checkpoint is redone and not billed"
                : ", handed over by a draining executor"));
        return new Admitted(Admission.GO, run);
    }

    /** The run has ended: its tenant's place in the queue frees up and the other features hear of it. */
    void leave(RunRef ref, Run run) {
        em.createNativeQuery("update tenant_queue_state set running = greatest(running - 1, 0) "
                + "where tenant_id = :tenant").setParameter("tenant", ref.tenantId()).executeUpdate();
        events.ended(ref, run);
    }

    /** The tenant's row, created on first use, locked so that two slots cannot both take its last place. */
    private Object[] lockQueueState(long tenantId) {
        em.createNativeQuery("insert into tenant_queue_state (tenant_id) values (:tenant) on conflict do nothing")
                .setParameter("tenant", tenantId).executeUpdate();
        return (Object[]) em.createNativeQuery("select running, concurrency_quota "
                        + "from tenant_queue_state where tenant_id = :tenant for update")
                .setParameter("tenant", tenantId).getSingleResult();
    }

    /**
     * Whether a due, waiting run of another tenant in the same pool that has room in its quota should start before
     * this one: it has a higher priority, or the same priority and its tenant has run less recently. A tenant reads
     * only its own queue state, so an owner-run function (V19__worker_pools.sql) answers for the transaction's tenant,
     * with a boolean and nothing else.
     */
    private boolean anotherTenantGoesFirst(int priority, String pool) {
        return (Boolean) em.createNativeQuery("select public.run_queue_another_tenant_goes_first(:priority, :pool)")
                .setParameter("priority", priority).setParameter("pool", pool)
                .getSingleResult();
    }
}
