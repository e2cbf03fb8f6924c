package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The durable queue against the real PostgreSQL: lifecycle, cancel, quotas, fairness and a dead worker. */
@QuarkusTest
@TestProfile(PacedWorkProfile.class)
class RunQueueTest {

    @Inject
    RunService runs;

    @Inject
    RunFixture fixture;

    @Inject
    TenancyFixture tenancy;

    @Inject
    RunScheduler runScheduler;

    @Inject
    ScheduleService schedules;

    @Inject
    dev.runway.dataset.DatasetService datasets;

    @Inject
    java.time.Clock clock;

    @Inject
    jakarta.enterprise.inject.Instance<RunLimits> limits;

    @Inject
    RunEvents events;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "runway.storage.root")
    Path storageRoot;

    @Inject
    EntityManager em;

    @Inject
    DataSource dataSource;

    @Inject
    RunCharges metering;

    @Inject
    RunMetrics runMetrics;

    @Inject
    dev.runway.billing.UsageLedger ledger;

    @Inject
    dev.runway.tenancy.TeamService team;

    /** This node's work: paced, and counting what the tests check. */
    @Inject
    PacedRunWork paced;

    @Test
    void a_run_is_queued_executed_and_recorded_with_its_metrics_and_log() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        long id = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(3), "auto",
                50)).getId());

        Run run = awaitStatus(owner, id, Run.Status.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(run.getAttempt()).isEqualTo(1);
        assertThat(run.getDeviceUsed()).isEqualTo("cpu");
        assertThat(run.getLastCheckpointEpoch()).isEqualTo(3);
        assertThat(run.getStartedAt()).isNotNull();
        assertThat(as(owner, () -> runs.metrics(id))).extracting(RunMetric::getEpoch).containsExactly(1, 2, 3);
        assertThat(as(owner, () -> runs.logTail(id))).extracting(l -> l.getLine())
                .contains("Starting", "Succeeded").anyMatch(l -> l.startsWith("Started on"));
        assertThat(running(owner)).isZero();
    }

    @Test
    void bad_submissions_are_refused_and_nothing_is_queued() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        assertRefused(owner, setup.versionId(), withRate(RunFixture.mlp(3), -0.1), "learningRate");
        assertRefused(owner, setup.versionId(), RunFixture.mlp(0), "epochs");
        assertRefused(owner, setup.versionId(), withLayers(RunFixture.mlp(3), List.of(0)), "hiddenLayers");
        assertRefused(owner, setup.versionId(), withTemplate(RunFixture.mlp(3),
                dev.runway.training.engine.Template.LINEAR_REGRESSION), "template");
        assertThat(as(owner, () -> runs.list(null))).isEmpty();

        Actor analyst = tenancy.member(setup.company(), Role.ANALYST);
        assertThatThrownBy(() -> as(analyst, () -> runs.submit(new RunService.Submission(setup.versionId(),
                RunFixture.mlp(3), "auto", 50)))).isInstanceOf(AccessDeniedException.class);
        TenancyFixture.Company other = tenancy.company();
        assertThatThrownBy(() -> as(other.owner(), () -> runs.submit(new RunService.Submission(setup.versionId(),
                RunFixture.mlp(3), "auto", 50)))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void cancel_stops_a_running_run_at_its_next_poll_and_keeps_its_checkpoint() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        long id;
        try (PacedRunWork.Pace pace = paced.pace(100)) {
            id = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(50), "auto",
                    50)).getId());
            await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> {
                Integer checkpoint = get(owner, id).getLastCheckpointEpoch();
                return checkpoint != null && checkpoint >= 1;
            });
            int before = paced.batchesDone(id);
            as(owner, () -> runs.cancel(id));
            Run run = awaitStatus(owner, id, Run.Status.CANCELLED, Duration.ofSeconds(20));
            // Counted in batches, not wall time (a loaded machine slows the test, not the batches): the flag is polled
            // every 0.4 s, so at most 4 batches of 0.1 s pass before the next poll, plus the one under way.
            assertThat(paced.batchesDone(id) - before).as("batches done after the cancel request")
                    .isLessThanOrEqualTo((int) (RunProgress.CANCEL_POLL.toMillis() / 100) + 1);
            assertThat(run.getLastCheckpointEpoch()).isGreaterThanOrEqualTo(1);
            assertThat(running(owner)).isZero();
        }

        as(owner, () -> runs.retry(id));
        Run retried = awaitStatus(owner, id, Run.Status.SUCCEEDED, Duration.ofSeconds(60));
        assertThat(retried.getAttempt()).isEqualTo(2);
        assertThat(as(owner, () -> runs.logTail(id))).extracting(l -> l.getLine())
                .anyMatch(l -> l.startsWith("Resuming from epoch-"));
    }

    @Test
    void a_tenant_never_holds_more_than_its_quota_and_a_waiting_tenant_goes_first() {
        RunFixture.Setup a = fixture.iris();
        RunFixture.Setup b = fixture.iris();
        Actor ownerA = a.company().owner();
        Actor ownerB = b.company().owner();
        setQuota(ownerA, 1);
        // Earlier tests share this database and executor: a run of theirs on the second slot would make B wait.
        awaitIdleQueue();
        CountDownLatch holdA = paced.hold(ownerA.tenantId());
        List<Long> aRuns = new ArrayList<>();
        long bRun;
        try {
            for (int i = 0; i < 3; i++) {
                aRuns.add(as(ownerA, () -> runs.submit(new RunService.Submission(a.versionId(), RunFixture.mlp(3),
                        "auto", 50)).getId()));
            }
            // A's first run holds A's only place (held at its start) while A's other runs wait in the queue.
            await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> running(ownerA) == 1);
            bRun = as(ownerB, () -> runs.submit(new RunService.Submission(b.versionId(), RunFixture.mlp(3), "auto",
                    50)).getId());
            // B takes the free slot and runs to its end while A is at its quota.
            awaitStatus(ownerB, bRun, Run.Status.SUCCEEDED, Duration.ofSeconds(30));
            assertThat(aRuns.subList(1, 3)).as("A's later runs wait for A's place")
                    .allSatisfy(id -> assertThat(get(ownerA, id).getStatus()).isEqualTo(Run.Status.QUEUED));
        } finally {
            holdA.countDown();
        }
        aRuns.forEach(id -> awaitStatus(ownerA, id, Run.Status.SUCCEEDED, Duration.ofSeconds(30)));
        assertThat(paced.mostAtOnce(ownerA.tenantId())).as("runs of A working at once, quota 1").isEqualTo(1);
        Run b1 = get(ownerB, bRun);
        System.out.printf("fairness: B started %d ms after it was queued; A's runs started %s%n",
                Duration.between(b1.getCreatedAt(), b1.getStartedAt()).toMillis(), aRuns.stream()
                        .map(id -> get(ownerA, id).getStartedAt()).toList());
        assertThat(b1.getStartedAt()).isBefore(get(ownerA, aRuns.get(1)).getStartedAt())
                .isBefore(get(ownerA, aRuns.get(2)).getStartedAt());
    }

    @Test
    void a_waiting_run_starts_as_soon_as_its_companys_place_frees_and_later_ones_queue_behind_it() throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        setQuota(owner, 1);
        awaitIdleQueue();
        CountDownLatch hold = paced.hold(owner.tenantId());
        long first;
        long second;
        long third;
        try {
            first = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(1),
                    "auto", 50)).getId());
            await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> running(owner) == 1);
            second = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(1),
                    "auto", 50)).getId());
            // A slot claims it, finds the company at its quota and puts it back in the queue to wait.
            await().pollInSameThread().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                    .alias("the second run waits in the queue").until(() -> waitsInQueue(owner, second));
            // A third queues behind it at once: no slot claims it only to put it back.
            third = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(1),
                    "auto", 50)).getId());
            assertThat(waitsInQueue(owner, third)).as("the third run waits from the start").isTrue();
        } finally {
            hold.countDown();
        }
        Run a = awaitStatus(owner, first, Run.Status.SUCCEEDED, Duration.ofSeconds(20));
        Run b = awaitStatus(owner, second, Run.Status.SUCCEEDED, Duration.ofSeconds(20));
        Duration gap = Duration.between(a.getFinishedAt(), b.getStartedAt());
        System.out.printf("quota: the waiting run started %d ms after the company's place was freed%n",
                gap.toMillis());
        // Before, it waited out its 2 s whatever happened meanwhile (here about 1.7 s after the first run's end).
        assertThat(gap).as("from the first run's end to the second's start")
                .isLessThan(FairAdmission.DEFER.dividedBy(2));
        Run c = awaitStatus(owner, third, Run.Status.SUCCEEDED, Duration.ofSeconds(20));
        assertThat(c.getStartedAt()).as("in the order they were queued").isAfter(b.getStartedAt());
        assertThat(paced.mostAtOnce(owner.tenantId())).as("runs of the company working at once, quota 1").isEqualTo(1);
    }

    /** Whether the run's execution is in the queue, not claimed, and due only later. */
    private boolean waitsInQueue(Actor owner, long runId) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement s = c.prepareStatement("select count(*) from scheduled_tasks "
                        + "where task_name = ? and task_instance = ? and not picked and execution_time > now()")) {
            s.setString(1, Pools.taskName(Pools.CPU));
            s.setString(2, new RunRef(owner.tenantId(), runId, owner.userId()).instanceId());
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) == 1;
            }
        }
    }

    @Test
    void a_run_whose_worker_dies_is_resumed_by_another_from_its_last_checkpoint() throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        CountDownLatch dead = new CountDownLatch(1);
        AtomicBoolean released = new AtomicBoolean();
        // A second executor node on the same database whose work hangs after its first checkpoint, as if killed.
        Scheduler doomed = doomedNode("doomed-node", 3, dead, released);
        runScheduler.pause();
        long id;
        try {
            doomed.start();
            id = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(4), "auto",
                    50)).getId());
            assertThat(dead.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the doomed node took the run")
                    .isTrue();
        } finally {
            doomed.stop();   // heartbeats stop, the execution stays picked: the node is gone
            runScheduler.resume();
        }
        // The hung work of the dead node is let go only after the test (whatever its outcome): by then another node
        // holds the run, and the released work stops at its next poll, fenced off by the attempt.
        try {
            long killed = System.nanoTime();
            Run run = awaitStatus(owner, id, Run.Status.SUCCEEDED, Duration.ofSeconds(60));
            double recovery = (System.nanoTime() - killed) / 1e9;
            System.out.printf("dead worker: run %d resumed and finished %.1f s after its node died%n", id, recovery);
            assertThat(run.getAttempt()).isEqualTo(2);
            assertThat(run.getWorker()).doesNotContain("doomed");
            assertThat(run.getLostSeconds()).isGreaterThan(0);
            assertThat(as(owner, () -> runs.logTail(id))).extracting(l -> l.getLine())
                    .anyMatch(l -> l.startsWith("Resumed on"))
                    .anyMatch(l -> l.equals("Resuming from epoch-1"));
            assertThat(as(owner, () -> runs.metrics(id))).extracting(RunMetric::getEpoch).containsExactly(1, 2, 3, 4);

            // Billing: the dead attempt's work after its checkpoint is not metered; no segment is metered twice.
            List<Object[]> segments = as(owner, () -> QuarkusTransaction.requiringNew().call(() -> em
                    .createNativeQuery("select idempotency_key, quantity from usage_event where run_id = :run "
                            + "order by id", Object[].class)
                    .setParameter("run", id).getResultList()));
            assertThat(segments).extracting(r -> (String) r[0]).containsExactly("run:" + id + ":1:1",
                    "run:" + id + ":2:1", "run:" + id + ":2:2", "run:" + id + ":2:3", "run:" + id + ":2:4");
            double billed = segments.stream().mapToDouble(r -> ((java.math.BigDecimal) r[1]).doubleValue()).sum();
            double wall = Duration.between(run.getCreatedAt(), run.getFinishedAt()).toMillis() / 1000.0;
            System.out.printf("dead worker: %.1f s billed of %.1f s from submit to finish, %.1f s lost and not "
                    + "billed%n", billed, wall, run.getLostSeconds());
            assertThat(billed).as("billed seconds").isLessThanOrEqualTo(wall - run.getLostSeconds() + 0.5);
        } finally {
            released.set(true);
        }
    }

    @Test
    void a_handed_over_run_cancelled_while_it_waits_is_cancelled_in_admission_without_resuming() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        runScheduler.pause();
        long id;
        try {
            id = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(3), "auto",
                    50)).getId());
            // As a draining node leaves it (Run.handOver): running, no worker, its execution waiting in the queue.
            as(owner, () -> QuarkusTransaction.requiringNew().run(() -> {
                em.createNativeQuery("update run set status = 'RUNNING', worker = null, started_at = now(), "
                        + "attempt_started_at = now(), cancel_requested = true where id = :id")
                        .setParameter("id", id).executeUpdate();
                em.createNativeQuery("insert into tenant_queue_state (tenant_id, running) values (:t, 1) "
                        + "on conflict (tenant_id) do update set running = 1")
                        .setParameter("t", owner.tenantId()).executeUpdate();
            }));
        } finally {
            runScheduler.resume();
        }

        Run run = awaitStatus(owner, id, Run.Status.CANCELLED, Duration.ofSeconds(20));
        assertThat(run.getAttempt()).as("not resumed first").isEqualTo(1);
        assertThat(as(owner, () -> runs.logTail(id))).extracting(l -> l.getLine())
                .noneMatch(l -> l.startsWith("Resumed on"))
                .contains("Cancelled while it waited after a hand-over; the last checkpoint is kept");
        assertThat(running(owner)).isZero();
    }

    @Test
    void a_run_whose_node_drains_is_resumed_by_another_at_the_batch_where_it_stopped_with_nothing_lost()
            throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        CountDownLatch reached = new CountDownLatch(1);
        // A second executor node on the same database that shuts down (as on SIGTERM) in the run's second epoch.
        Scheduler draining = drainingNode("draining-node", reached);
        runScheduler.pause();
        long id;
        long handedOver;
        try {
            draining.start();
            id = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(4), "auto",
                    50)).getId());
            assertThat(reached.await(30, TimeUnit.SECONDS)).as("the draining node took the run").isTrue();
            runScheduler.resume();
            draining.stop();
            handedOver = System.nanoTime();
        } finally {
            runScheduler.resume();
        }
        long runId = id;
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> get(owner, runId).getAttempt() == 2);
        long resumeMillis = (System.nanoTime() - handedOver) / 1_000_000;
        Run run = awaitStatus(owner, id, Run.Status.SUCCEEDED, Duration.ofSeconds(30));
        System.out.printf("drain: run %d resumed on another node %d ms after its node stopped%n", id, resumeMillis);
        assertThat(run.getRestarts()).as("a drain is no crash").isZero();
        assertThat(run.getLostSeconds()).as("nothing redone").isZero();
        assertThat(run.getWorker()).doesNotContain("draining");
        assertThat(as(owner, () -> runs.logTail(id))).extracting(l -> l.getLine())
                .contains("Stopped on draining-node (draining); another executor continues from where it stopped",
                        "Resuming from epoch-2-batch-2")
                .anyMatch(l -> l.startsWith("Resumed on") && l.endsWith("handed over by a draining executor"));
        assertThat(as(owner, () -> runs.metrics(id))).extracting(RunMetric::getEpoch).containsExactly(1, 2, 3, 4);

        // Billing: attempt 1 up to its checkpoints (epoch 1, then the hand-over's), attempt 2 from its resume to the
        // checkpoints of epochs 2, 3 and 4 and its end.
        List<Object[]> segments = as(owner, () -> QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select idempotency_key, quantity from usage_event where run_id = :run order by id", Object[].class)
                .setParameter("run", id).getResultList()));
        assertThat(segments).extracting(r -> (String) r[0]).containsExactly("run:" + id + ":1:1",
                "run:" + id + ":1:2", "run:" + id + ":2:1", "run:" + id + ":2:2", "run:" + id + ":2:3",
                "run:" + id + ":2:4");
        double billed = segments.stream().mapToDouble(r -> ((java.math.BigDecimal) r[1]).doubleValue()).sum();
        double gap = handOverGap(owner, id);
        double work = Duration.between(run.getStartedAt(), run.getFinishedAt()).toMillis() / 1000.0 - gap;
        System.out.printf("drain: %.3f s billed = %.3f s of work (start to finish less the %.3f s hand-over)%n",
                billed, work, gap);
        assertThat(billed).as("billed seconds").isCloseTo(work, within(0.005));
    }

    /** Seconds between attempt 1's last metered instant (its hand-over checkpoint) and attempt 2's start. */
    private double handOverGap(Actor owner, long id) {
        Object[] row = as(owner, () -> QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select extract(epoch from (select min(window_start) from usage_event where run_id = :run "
                        + "and idempotency_key like :second)), extract(epoch from (select max(window_end) "
                        + "from usage_event where run_id = :run and idempotency_key like :first))")
                .setParameter("run", id).setParameter("first", "run:" + id + ":1:%")
                .setParameter("second", "run:" + id + ":2:%").getSingleResult()));
        return ((Number) row[0]).doubleValue() - ((Number) row[1]).doubleValue();
    }

    private Scheduler drainingNode(String name, CountDownLatch reached) {
        return node(name, 3, (run, gpu, workDir, resume, listener) -> new PacedRunWork(60).execute(run, gpu, workDir,
                resume, new SignalAt(listener, 2, 2, reached)), Duration.ofSeconds(5));
    }

    /** Passes everything through, and says when batch {@code batch} of epoch {@code epoch} is done. */
    record SignalAt(dev.runway.training.engine.TrainingListener inner, int epoch, int batch, CountDownLatch reached)
            implements dev.runway.training.engine.TrainingListener {
        @Override
        public void onBatch(int e, int b, int batches) {
            inner.onBatch(e, b, batches);
            if (e == epoch && b == batch) {
                reached.countDown();
                // The next batch starts only once the test has begun stopping the node (its shutdown is what the
                // listener reports from here on).
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(inner::stopRequested);
            }
        }

        @Override
        public void onEpoch(dev.runway.training.engine.EpochMetrics metrics) {
            inner.onEpoch(metrics);
        }

        @Override
        public void onCheckpoint(int e, Path dir) {
            inner.onCheckpoint(e, dir);
        }

        @Override
        public void onBatchCheckpoint(int e, int b, Path dir) {
            inner.onBatchCheckpoint(e, b, dir);
        }

        @Override
        public void log(String line) {
            inner.log(line);
        }

        @Override
        public boolean stopRequested() {
            return inner.stopRequested();
        }

        @Override
        public boolean handOver() {
            return inner.handOver();
        }
    }

    @Test
    void a_run_whose_worker_keeps_dying_fails_after_the_restart_limit() throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        AtomicBoolean released = new AtomicBoolean();
        // Nodes that each die at the run's next checkpoint, with a limit of one restart.
        runScheduler.pause();
        long id;
        try {
            CountDownLatch firstDied = new CountDownLatch(1);
            Scheduler first = doomedNode("doomed-first", 1, firstDied, released);
            first.start();
            id = as(owner, () -> runs.submit(new RunService.Submission(setup.versionId(), RunFixture.mlp(6), "auto",
                    50)).getId());
            assertThat(firstDied.await(30, TimeUnit.SECONDS)).as("the first node took the run").isTrue();
            first.stop();

            CountDownLatch secondDied = new CountDownLatch(1);
            Scheduler second = doomedNode("doomed-second", 1, secondDied, released);
            second.start();
            assertThat(secondDied.await(30, TimeUnit.SECONDS)).as("the second node revived the run").isTrue();
            second.stop();
            assertThat(get(owner, id).getRestarts()).isEqualTo(1);

            Scheduler third = doomedNode("doomed-third", 1, new CountDownLatch(1), released);
            third.start();
            try {
                Run run = awaitStatus(owner, id, Run.Status.FAILED, Duration.ofSeconds(30));
                assertThat(run.getError()).isEqualTo("Its worker stopped 2 times (limit 1 restart)");
                assertThat(run.getAttempt()).as("not revived a second time").isEqualTo(2);
                assertThat(run.getLostSeconds()).isGreaterThan(0);
            } finally {
                third.stop();
            }
        } finally {
            released.set(true);
            runScheduler.resume();
        }
        assertThat(as(owner, () -> runs.logTail(id))).extracting(l -> l.getLine())
                .contains("Failed: Its worker stopped 2 times (limit 1 restart)");
        assertThat(running(owner)).as("the company's place in the queue is freed").isZero();

        // A retry starts the count again.
        as(owner, () -> runs.retry(id));
        Run retried = awaitStatus(owner, id, Run.Status.SUCCEEDED, Duration.ofSeconds(30));
        assertThat(retried.getRestarts()).isZero();
    }

    @Test
    void a_queued_run_says_its_place_in_the_companys_queue_and_what_holds_it_back() {
        RunFixture.Setup setup = fixture.iris();
        RunFixture.Setup other = fixture.iris();
        Actor owner = setup.company().owner();
        runScheduler.pause();
        setRunning(owner, 2);   // more than the plan allows at once: none of the company's runs may start
        List<Long> queued = new ArrayList<>();
        long otherRun = 0;
        try {
            long first = submit(owner, setup.versionId(), 50);
            long second = submit(owner, setup.versionId(), 50);
            long urgent = submit(owner, setup.versionId(), 90);
            // Another company's runs never count.
            otherRun = submit(other.company().owner(), other.versionId(), 100);
            queued.addAll(List.of(first, second, urgent));

            RunService.Waiting waiting = as(owner, () -> runs.waiting(second)).orElseThrow();
            assertThat(waiting.position()).as("behind the urgent run and the first").isEqualTo(3);
            assertThat(waiting.atQuota()).isTrue();
            assertThat(waiting.quota()).as("the Free plan's concurrency").isEqualTo(1);
            assertThat(waiting.slots()).isEqualTo(2);
            assertThat(as(owner, () -> runs.waiting(urgent)).orElseThrow().position()).isEqualTo(1);
            assertThat(as(owner, () -> runs.waiting(first)).orElseThrow().position()).isEqualTo(2);
        } finally {
            queued.forEach(id -> as(owner, () -> runs.cancel(id)));
            if (otherRun != 0) {
                // Left queued, it would start at top priority once resumed and take a slot from the next test.
                long id = otherRun;
                as(other.company().owner(), () -> runs.cancel(id));
            }
            setRunning(owner, 0);
            runScheduler.resume();
        }
        assertThat(as(owner, () -> runs.waiting(queued.get(0)))).as("a cancelled run waits for nothing").isEmpty();
    }

    private long submit(Actor owner, long versionId, int priority) {
        return as(owner, () -> runs.submit(new RunService.Submission(versionId, RunFixture.mlp(3), "auto", priority))
                .getId());
    }

    /** Waits until no run execution is due or being executed: the executor's slots are free for the test. */
    private void awaitIdleQueue() {
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .alias("earlier tests' runs leave the executor").until(() -> {
                    try (java.sql.Connection c = dataSource.getConnection();
                            java.sql.Statement s = c.createStatement();
                            java.sql.ResultSet r = s.executeQuery("select count(*) from scheduled_tasks "
                                    + "where task_name = 'run:cpu' and (picked or execution_time <= now())")) {
                        r.next();
                        return r.getInt(1) == 0;
                    }
                });
    }

    private void setQuota(Actor owner, int quota) {
        as(owner, () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "insert into tenant_queue_state (tenant_id, concurrency_quota) values (:t, :q) on conflict (tenant_id) "
                        + "do update set concurrency_quota = :q").setParameter("t", owner.tenantId())
                .setParameter("q", quota).executeUpdate()));
    }

    private void setRunning(Actor owner, int running) {
        as(owner, () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "insert into tenant_queue_state (tenant_id, running) values (:t, :r) on conflict (tenant_id) "
                        + "do update set running = :r").setParameter("t", owner.tenantId()).setParameter("r", running)
                .executeUpdate()));
    }

    /**
     * Another executor node on the same database whose work hangs at the run's next checkpoint, as if killed there;
     * stopping it stops its heartbeats and leaves the execution picked: the node is gone.
     */
    private Scheduler doomedNode(String name, int maxRestarts, CountDownLatch dead, AtomicBoolean released) {
        return node(name, maxRestarts, (run, gpu, workDir, resume, listener) -> new PacedRunWork(60).execute(run, gpu,
                workDir, resume, new HangAtCheckpoint(listener, dead, released)), Duration.ZERO);
    }

    /** A second executor node on the same database, with its own work and restart limit, polling every 100 ms. */
    private Scheduler node(String name, int maxRestarts, RunWork work, Duration shutdownWait) {
        RunExecutor executor = new RunExecutor();
        executor.em = em;
        executor.clock = clock;
        executor.storageRoot = storageRoot;
        executor.admission = new FairAdmission(em, events, clock, runScheduler, maxRestarts);
        executor.events = events;
        executor.metering = metering;
        executor.metrics = runMetrics;
        executor.limits = limits;
        executor.work = work;
        CustomTask<RunRef> task = Tasks.custom(Pools.taskName(Pools.CPU), RunRef.class).onDeadExecutionRevive()
                .execute((instance, context) -> inRequestContext(() ->
                        executor.execute(instance.getData(), context, name)));
        return Scheduler.create(dataSource, task).threads(1).serializer(new JacksonSerializer())
                .schedulerName(new SchedulerName.Fixed(name)).enablePriority()
                .pollingInterval(Duration.ofMillis(100)).heartbeatInterval(Duration.ofSeconds(1))
                .missedHeartbeatsLimit(4).shutdownMaxWait(shutdownWait).build();
    }

    @Test
    void a_cron_schedule_fires_runs_until_paused_and_a_bad_expression_is_refused() throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        long datasetId = as(owner, () -> datasets.version(setup.versionId()).getDatasetId());
        RunSchedule schedule = as(owner, () -> schedules.create(new ScheduleService.ScheduleForm("nightly",
                datasetId, RunFixture.mlp(1), "auto", 50, "*/2 * * * * *", true)));
        assertThat(schedule.getNextFireAt()).isNotNull();
        await().pollInSameThread().atMost(Duration.ofSeconds(20))
                .until(() -> as(owner, () -> runs.list(null)).size() >= 2);
        int beforePause = as(owner, () -> runs.list(null)).size();
        as(owner, () -> schedules.setPaused(schedule.getId(), true));
        // Pausing removes the queued firing; a firing already under way at that instant may still start its run, and
        // then sees the pause at its next fire time and ends. Once no firing is left, nothing can start another run.
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .alias("the schedule's firings are gone").until(() -> firings(owner, schedule.getId()) == 0);
        assertThat(as(owner, () -> runs.list(null)).size()).isBetween(beforePause, beforePause + 1);
        assertThat(as(owner, () -> runs.list(null))).allSatisfy(r -> assertThat(r.getScheduleId())
                .isEqualTo(schedule.getId()));

        assertThatThrownBy(() -> as(owner, () -> schedules.create(new ScheduleService.ScheduleForm("bad", datasetId,
                RunFixture.mlp(1), "auto", 50, "every night", false))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("six fields");
    }

    @Test
    void a_new_version_starts_the_schedules_run_and_once_its_creator_has_left_pauses_it_and_the_upload_stands() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        Actor engineer = tenancy.member(setup.company(), Role.ENGINEER);
        long datasetId = as(owner, () -> datasets.version(setup.versionId()).getDatasetId());
        long projectId = as(owner, () -> datasets.dataset(datasetId).getProjectId());
        RunSchedule schedule = as(engineer, () -> schedules.create(new ScheduleService.ScheduleForm("on new data",
                datasetId, RunFixture.mlp(1), "auto", 50, null, true)));

        upload(owner, projectId);
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> as(owner, () -> runs.list(null))
                .stream().anyMatch(r -> schedule.getId().equals(r.getScheduleId())));

        long membership = as(owner, () -> team.members()).stream()
                .filter(m -> m.getUser().getId() == engineer.userId()).findFirst().orElseThrow().getId();
        as(owner, () -> team.removeMember(membership));
        dev.runway.dataset.DatasetVersion third = upload(owner, projectId);
        assertThat(third.getVersion()).as("the upload stands").isEqualTo(3);
        RunSchedule paused = awaitPaused(owner, schedule.getId());
        assertThat(paused.getPausedNote()).isEqualTo("Its creator is no longer a member of this company: resume it "
                + "to start its runs as yourself");
        assertThat(as(owner, () -> runs.list(null))).hasSize(1);

        // Whoever resumes it takes it over.
        as(owner, () -> schedules.setPaused(schedule.getId(), false));
        RunSchedule resumed = scheduleOf(owner, schedule.getId());
        assertThat(resumed.isPaused()).isFalse();
        assertThat(resumed.getPausedNote()).isNull();
        assertThat(resumed.getCreatedBy()).isEqualTo(owner.userId());
    }

    @Test
    void a_new_version_whose_run_the_plan_refuses_pauses_the_schedule_and_the_upload_stands() {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        long datasetId = as(owner, () -> datasets.version(setup.versionId()).getDatasetId());
        long projectId = as(owner, () -> datasets.dataset(datasetId).getProjectId());
        RunSchedule schedule = as(owner, () -> schedules.create(new ScheduleService.ScheduleForm("on new data",
                datasetId, RunFixture.mlp(1), "auto", 50, null, true)));
        // The Free plan's 600 CPU-minutes of the month are used up.
        java.time.Instant t = clock.instant();
        as(owner, () -> QuarkusTransaction.requiringNew().run(() -> ledger.record(owner.tenantId(),
                new dev.runway.billing.Usage("cpu-earlier", dev.runway.billing.Resource.CPU,
                        new java.math.BigDecimal("36000"), projectId, null, t.minusSeconds(36_000), t))));

        dev.runway.dataset.DatasetVersion second = upload(owner, projectId);
        assertThat(second.getVersion()).as("the upload stands").isEqualTo(2);
        RunSchedule paused = awaitPaused(owner, schedule.getId());
        assertThat(paused.getPausedNote()).startsWith("Its run was refused: ").contains("600 CPU-minutes");
        assertThat(as(owner, () -> runs.list(null))).isEmpty();
    }

    private dev.runway.dataset.DatasetVersion upload(Actor owner, long projectId) {
        return as(owner, () -> {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(Path.of("samples", "iris.csv"))) {
                return datasets.upload(projectId, "iris", "iris.csv", in);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The schedule's firings in the queue, waiting or under way. */
    private long firings(Actor owner, long scheduleId) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement s = c.prepareStatement("select count(*) from scheduled_tasks "
                        + "where task_name = ? and task_instance = ?")) {
            s.setString(1, RunScheduler.SCHEDULE_TASK);
            s.setString(2, new ScheduleRef(owner.tenantId(), scheduleId, owner.userId()).instanceId());
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private RunSchedule awaitPaused(Actor owner, long scheduleId) {
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> scheduleOf(owner, scheduleId)
                .isPaused());
        return scheduleOf(owner, scheduleId);
    }

    private RunSchedule scheduleOf(Actor owner, long scheduleId) {
        return as(owner, () -> schedules.list()).stream().filter(s -> s.getId() == scheduleId).findFirst()
                .orElseThrow();
    }

    /** Passes everything through until the next checkpoint, then blocks until released (the process "died"). */
    record HangAtCheckpoint(dev.runway.training.engine.TrainingListener inner, CountDownLatch dead,
            AtomicBoolean released) implements dev.runway.training.engine.TrainingListener {
        @Override
        public void onBatch(int epoch, int batch, int batches) {
            inner.onBatch(epoch, batch, batches);
        }

        @Override
        public void onEpoch(dev.runway.training.engine.EpochMetrics metrics) {
            inner.onEpoch(metrics);
        }

        /** Blocks, deaf to interrupts like a killed process, until the test ends. */
        @Override
        public void onCheckpoint(int epoch, Path dir) {
            inner.onCheckpoint(epoch, dir);
            dead.countDown();
            while (!released.get()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    // a killed process does not answer either
                }
            }
        }

        @Override
        public void log(String line) {
            inner.log(line);
        }

        @Override
        public boolean stopRequested() {
            return released.get() && inner.stopRequested();
        }
    }

    private static <T> T inRequestContext(java.util.function.Supplier<T> work) {
        ManagedContext context = Arc.container().requestContext();
        context.activate();
        try {
            return work.get();
        } finally {
            context.terminate();
        }
    }

    private void assertRefused(Actor owner, long version, dev.runway.training.engine.Hyperparameters h,
            String field) {
        assertThatThrownBy(() -> as(owner, () -> runs.submit(new RunService.Submission(version, h, "auto", 50))))
                .isInstanceOf(BadInputException.class)
                .extracting(e -> ((BadInputException) e).field()).isEqualTo(field);
    }

    private int running(Actor owner) {
        return as(owner, () -> QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select coalesce(max(running), 0) from tenant_queue_state where tenant_id = :t")
                .setParameter("t", owner.tenantId()).getSingleResult()).intValue()));
    }

    private Run awaitStatus(Actor owner, long id, Run.Status status, Duration timeout) {
        await().pollInSameThread().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> get(owner, id).getStatus() == status);
        return get(owner, id);
    }

    private Run get(Actor owner, long id) {
        return as(owner, () -> runs.get(id));
    }

    static dev.runway.training.engine.Hyperparameters withRate(dev.runway.training.engine.Hyperparameters h,
            double rate) {
        return new dev.runway.training.engine.Hyperparameters(h.template(), h.optimizer(), rate, h.batchSize(),
                h.epochs(), h.hiddenLayers(), h.activation(), h.dropout(), h.earlyStoppingPatience(), h.seed(),
                h.imageWidth(), h.imageHeight(), h.imageChannels(), h.embeddingSize(), h.attentionHeads(),
                h.encoderLayers(), h.maxTokens(), h.vocabularySize());
    }

    static dev.runway.training.engine.Hyperparameters withLayers(dev.runway.training.engine.Hyperparameters h,
            List<Integer> layers) {
        return new dev.runway.training.engine.Hyperparameters(h.template(), h.optimizer(), h.learningRate(),
                h.batchSize(), h.epochs(), layers, h.activation(), h.dropout(), h.earlyStoppingPatience(), h.seed(),
                h.imageWidth(), h.imageHeight(), h.imageChannels(), h.embeddingSize(), h.attentionHeads(),
                h.encoderLayers(), h.maxTokens(), h.vocabularySize());
    }

    static dev.runway.training.engine.Hyperparameters withTemplate(dev.runway.training.engine.Hyperparameters h,
            dev.runway.training.engine.Template t) {
        return new dev.runway.training.engine.Hyperparameters(t, h.optimizer(), h.learningRate(), h.batchSize(),
                h.epochs(), h.hiddenLayers(), h.activation(), h.dropout(), h.earlyStoppingPatience(), h.seed(),
                h.imageWidth(), h.imageHeight(), h.imageChannels(), h.embeddingSize(), h.attentionHeads(),
                h.encoderLayers(), h.maxTokens(), h.vocabularySize());
    }

    private static <T> T as(Actor actor, java.util.function.Supplier<T> work) {
        return TenantContext.runAs(actor, work);
    }

    private static void as(Actor actor, Runnable work) {
        TenantContext.runAs(actor, work);
    }
}
