package dev.runway.training;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fair admission of a claimed run, in a transaction as the run's tenant: a tenant never holds more than its
 * concurrency quota ({@code tenant_queue_state}, its row locked while a place is taken), and a due run of another
 * tenant with room in its quota goes first when it has a higher priority, or the same priority and a tenant that
 * started a run less recently. Also decides what becomes of a run that comes back running (resumed, cancelled, or given
 * up after too many restarts), and frees the tenant's place when a run ends. Lock order, here and at a run's end: the
 * run row, then the tenant's queue row.
 *
 * <p>A run that may not go yet is put back in the queue, at a time that depends on why. One whose tenant is at its
 * quota waits ({@link #DEFER}) until one of the tenant's runs ends, which brings the tenant's best waiting run forward
 * ({@link #release}); the wait is only the fallback. One that steps back for another tenant's run is due again at once,
 * but behind every run already due, so that the favoured run is claimed first: stepping back costs that run no fixed
 * delay, and the slot it took is free at once for the run that goes first.
 */
@ApplicationScoped
class FairAdmission {

    static final Duration DEFER = Duration.ofSeconds(2);

    enum Admission { GO, DEFER, DONE }

    /**
     * What admission decided: the run as admitted (with its attempt) when it may go; when it is deferred, when it is
     * due again.
     */
    record Admitted(Admission admission, Run run, Instant dueAgain) {

        static final Admitted DONE = new Admitted(Admission.DONE, null, null);

        static Admitted go(Run run) {
            return new Admitted(Admission.GO, run, null);
        }

        static Admitted deferUntil(Instant at) {
            return new Admitted(Admission.DEFER, null, at);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    RunEvents events;

    /** To look for a woken run at once (the queue itself; it injects the executor, which injects this). */
    @Inject
    RunScheduler scheduler;

    @Inject
    Clock clock;

    /** How many times a run is revived after its worker died before it fails instead (a crash would loop). */
    @ConfigProperty(name = "runway.executor.max-restarts", defaultValue = "3")
    int maxRestarts;

    FairAdmission() {}

    /** Admission for another node in a test, with its own restart limit. */
    FairAdmission(EntityManager em, RunEvents events, Clock clock, RunScheduler scheduler, int maxRestarts) {
        this.em = em;
        this.events = events;
        this.clock = clock;
        this.scheduler = scheduler;
        this.maxRestarts = maxRestarts;
    }

    Admitted admit(RunRef ref, String node) {
        Run run = em.find(Run.class, ref.runId(), LockModeType.PESSIMISTIC_WRITE);
        if (run == null || run.getStatus().finished()) {
            return Admitted.DONE;
        }
        if (run.isCancelRequested() && run.getStatus() == Run.Status.QUEUED) {
            run.cancel(clock.instant());
            events.log(run.getId(), "Cancelled before it started");
            events.endedInQueue(ref, run);
            return Admitted.DONE;
        }
        QueueState state = lockQueueState(ref.tenantId(), run);
        // Read after the locks: a place freed by a run that ended meanwhile is taken after that end.
        Instant now = clock.instant();
        if (run.getStatus() == Run.Status.RUNNING) {
            return comeBack(ref, run, node, now);
        }
        if (state.running() >= state.quota()) {
            parkWaiting(ref, run.getPool(), now);
            return Admitted.deferUntil(now.plus(DEFER));
        }
        if (state.anotherGoesFirst()) {
            return Admitted.deferUntil(now);
        }
        em.createNativeQuery("update tenant_queue_state set running = running + 1, last_started_at = :now "
                        + "where tenant_id = :tenant")
                .setParameter("now", now).setParameter("tenant", ref.tenantId()).executeUpdate();
        run.start(node, now);
        events.log(run.getId(), "Started on " + node
                + (run.getAttempt() > 1 ? " (attempt " + run.getAttempt() + ")" : ""));
        events.started(ref, run, node);
        return Admitted.go(run);
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
            events.ended(ref, run);
            release(ref, run);
            return Admitted.DONE;
        }
        if (run.workerDied() && run.getRestarts() >= maxRestarts) {
            String reason = "Its worker stopped " + (run.getRestarts() + 1) + " times (limit " + maxRestarts
                    + (maxRestarts == 1 ? " restart)" : " restarts)");
            run.giveUp(reason, now);
            events.log(run.getId(), "Failed: " + reason);
            events.ended(ref, run);
            release(ref, run);
            return Admitted.DONE;
        }
        boolean died = run.workerDied();
        run.resume(node, now);
        events.log(run.getId(), "Resumed on " + node + " (attempt " + run.getAttempt() + ")" + (died
                ? " after the previous executor stopped; work since the last checkpoint is redone and not billed"
                : ", handed over by a draining executor"));
        return Admitted.go(run);
    }

    /**
     * The tenant is at its quota: its other queued runs due in the pool are put back too, so that no slot claims them
     * only to put them back one by one while the tenant's places are taken (with short runs that costs a slot an
     * admission for every run of a full tenant it meets). A run that comes back running needs no place and is left due.
     */
    private void parkWaiting(RunRef ref, String pool, Instant now) {
        em.createNativeQuery("""
                        update scheduled_tasks st set execution_time = :until
                        where st.task_name = :lane and st.task_instance like :prefix and not st.picked
                          and st.execution_time <= :now
                          and exists (select 1 from run r
                                      where r.id = cast(split_part(st.task_instance, '-', 2) as bigint)
                                        and r.status = 'QUEUED')""")
                .setParameter("until", now.plus(DEFER)).setParameter("lane", Pools.taskName(pool))
                .setParameter("prefix", ref.tenantId() + "-%").setParameter("now", now).executeUpdate();
    }

    /**
     * The run has ended: its tenant's place in the queue frees up. The tenant's best run waiting for a place in the
     * run's pool (highest priority, then the first submitted: runs put back again after their wait ran out must not
     * fall behind later ones) is due at once instead of at the end of its wait, and this node looks for it as soon as
     * the end commits. The queue row stays locked until the end commits, so this is the end's last statement.
     */
    void release(RunRef ref, Run run) {
        em.createNativeQuery("update tenant_queue_state set running = greatest(running - 1, 0) "
                + "where tenant_id = :tenant").setParameter("tenant", ref.tenantId()).executeUpdate();
        // A statement of its own after the row lock: two ends of one tenant at once then each see what the other
        // brought forward (one statement would pick from the snapshot taken before it waited, the same run twice).
        Instant now = clock.instant();
        int woken = em.createNativeQuery("""
                        update scheduled_tasks set execution_time = :now
                        where task_name = :lane and task_instance = (
                            select w.task_instance from scheduled_tasks w
                            where w.task_name = :lane and w.task_instance like :prefix and not w.picked
                              and w.execution_time > :now and w.execution_time <= :deferred
                            order by w.priority desc, cast(split_part(w.task_instance, '-', 2) as bigint)
                            limit 1)""")
                .setParameter("lane", Pools.taskName(run.getPool()))
                .setParameter("prefix", ref.tenantId() + "-%").setParameter("now", now)
                .setParameter("deferred", now.plus(DEFER)).executeUpdate();
        if (woken > 0) {
            scheduler.wakeAfterCommit();
        }
    }

    /**
     * When a run put back for its tenant's quota is due, asked once its admission has committed: at once if a place
     * freed meanwhile. The end that freed it could not bring this run forward, which was still claimed then.
     */
    Instant dueAgain(RunRef ref, Instant planned) {
        List<?> room = em.createNativeQuery("select 1 from tenant_queue_state where tenant_id = :tenant "
                + "and running < concurrency_quota").setParameter("tenant", ref.tenantId()).getResultList();
        return room.isEmpty() ? planned : clock.instant();
    }

    /**
     * When a newly queued run is due: now, or, while its tenant is at its quota with runs already waiting in the pool
     * for a place, after the wait like them. A slot would otherwise claim it only to put it back (an admission for
     * nothing); the ends of the tenant's runs bring the waiting runs forward one by one. Read without locks: a place
     * freed meanwhile leaves the others waiting to be brought forward, and this one to its fallback.
     */
    Instant dueAt(RunRef ref, String pool, Instant now) {
        List<?> waiting = em.createNativeQuery("""
                        select 1 from tenant_queue_state q
                        where q.tenant_id = :tenant and q.running >= q.concurrency_quota
                          and exists (select 1 from scheduled_tasks st
                                      where st.task_name = :lane and st.task_instance like :prefix and not st.picked
                                        and st.execution_time > :now)""")
                .setParameter("tenant", ref.tenantId()).setParameter("lane", Pools.taskName(pool))
                .setParameter("prefix", ref.tenantId() + "-%").setParameter("now", now).getResultList();
        return waiting.isEmpty() ? now : now.plus(DEFER);
    }

    /** The tenant's running count and quota, and whether another tenant's run goes first (asked only with room). */
    record QueueState(int running, int quota, boolean anotherGoesFirst) {}

    /**
     * The tenant's row, created on first use and locked (so that two slots cannot both take its last place), and the
     * fairness question, in one statement. A tenant reads only its own queue state, so an owner-run function
     * (V19__worker_pools.sql) answers for the transaction's tenant whether a due, waiting run of another tenant in the
     * same pool that has room in its quota should start first (a higher priority, or the same and a tenant that ran
     * less recently), with a boolean and nothing else.
     */
    private QueueState lockQueueState(long tenantId, Run run) {
        Object[] row = (Object[]) em.createNativeQuery("""
                        insert into tenant_queue_state as q (tenant_id) values (:tenant)
                        on conflict (tenant_id) do update set tenant_id = q.tenant_id
                        returning q.running, q.concurrency_quota, case when q.running < q.concurrency_quota
                            then public.run_queue_another_tenant_goes_first(:priority, :pool) else false end""")
                .setParameter("tenant", tenantId).setParameter("priority", run.getPriority())
                .setParameter("pool", run.getPool()).getSingleResult();
        return new QueueState(((Number) row[0]).intValue(), ((Number) row[1]).intValue(), (Boolean) row[2]);
    }
}
