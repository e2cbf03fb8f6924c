package dev.runway.training;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The durable queue: db-scheduler in the application's PostgreSQL claims executions, keeps them alive with heartbeats
 * and revives those whose worker died. Each node runs {@code runway.executor.slots} executions at once, and claims only
 * the runs of the pools it serves ({@link Pools}).
 */
@ApplicationScoped
public class RunScheduler {

    static final String SCHEDULE_TASK = "run-schedule";
    static final String VERSION_TASK = "run-schedule-on-version";
    private static final Logger LOG = Logger.getLogger(RunScheduler.class);
    /** Far longer than any run waits for its pool's nodes (a pool scaled to zero may wait for weeks). */
    static final Duration KEEP_OTHER_POOLS_RUNS = Duration.ofDays(3650);

    @Inject
    DataSource dataSource;

    @Inject
    RunExecutor executor;

    @Inject
    FairAdmission admission;

    @Inject
    ScheduleService schedules;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    Drain drain;

    @Inject
    Clock clock;

    @ConfigProperty(name = "runway.executor.slots", defaultValue = "auto")
    String slotsSetting;

    @ConfigProperty(name = "runway.executor.heartbeat", defaultValue = "2s")
    Duration heartbeat;

    @ConfigProperty(name = "runway.executor.enabled", defaultValue = "true")
    boolean enabled;

    /**
     * How long a stopping node waits for its running executions to stop at their next batch and hand over (db-scheduler
     * waits this long, interrupts, and waits as long again): longer than a batch plus a checkpoint of the largest model,
     * and twice it shorter than the pod's termination grace period.
     */
    @ConfigProperty(name = "runway.executor.drain-timeout", defaultValue = "10s")
    Duration drainTimeout;

    @ConfigProperty(name = "runway.node.name")
    Optional<String> nodeName;

    /** This node's pool; by default gpu when PyTorch sees a GPU, else cpu (docs/deploy.md). */
    @ConfigProperty(name = "runway.executor.pool")
    Optional<String> poolSetting;

    /** Whether a node of another pool also claims cpu runs. */
    @ConfigProperty(name = "runway.executor.cpu-runs", defaultValue = "true")
    boolean cpuRuns;

    private CustomTask<ScheduleRef> scheduleTask;
    private OneTimeTask<ScheduleRef> versionTask;
    private Scheduler scheduler;
    private String name;
    private int slots;
    private Pools.Node pools;

    void start(@Observes @Priority(1000) StartupEvent event) {
        int gpus = Devices.gpus();
        pools = Pools.ofNode(poolSetting, cpuRuns, gpus, enabled);
        scheduleTask = Tasks.custom(SCHEDULE_TASK, ScheduleRef.class)
                .onDeadExecutionRevive()
                .execute((instance, context) -> fire(instance.getData()));
        versionTask = Tasks.oneTime(VERSION_TASK, ScheduleRef.class)
                .onDeadExecutionRevive()
                .execute((instance, context) -> fireOnVersion(instance.getData()));
        name = nodeName.orElseGet(RunScheduler::hostName) + "-" + ProcessHandle.current().pid();
        slots = slots();
        List<Task<?>> tasks = new ArrayList<>(runTasks(pools.serves(),
                (ref, context) -> executor.execute(ref, context, name)));
        tasks.add(scheduleTask);
        tasks.add(versionTask);
        scheduler = scheduler(dataSource, name, slots, heartbeat, drainTimeout, tasks);
        if (enabled) {
            scheduler.start();
            LOG.infof("Run executor %s started with %d slot(s), pool %s, claiming the runs of %s", name, slots,
                    pools.pool(), String.join(", ", pools.serves()));
        }
    }

    /** What a node does with a run it claimed. */
    interface RunHandler {
        CompletionHandler<RunRef> execute(RunRef ref, ExecutionContext context);
    }

    /** One run task per pool served: the only run executions this node's scheduler will ever see. */
    static List<Task<?>> runTasks(List<String> serves, RunHandler handler) {
        List<Task<?>> tasks = new ArrayList<>();
        for (String pool : serves) {
            tasks.add(Tasks.custom(Pools.taskName(pool), RunRef.class)
                    .onDeadExecutionRevive()
                    .execute((instance, context) -> handler.execute(instance.getData(), context)));
        }
        return tasks;
    }

    /**
     * The scheduler of a node (also built by the routing test, so that its nodes claim exactly as a real one). Fetch,
     * then lock each execution on execute: db-scheduler resolves a row's task before it locks it, so a row of a pool
     * this node does not serve is skipped without ever being marked picked by it (lock-and-fetch locks the rows first
     * and would hold another pool's run until it was given up as dead). Executions of unknown tasks are other pools'
     * runs waiting for their nodes: never deleted (db-scheduler's default deletes them after 14 days).
     */
    static Scheduler scheduler(DataSource dataSource, String name, int threads, Duration heartbeat,
            Duration drainTimeout, List<Task<?>> tasks) {
        return Scheduler.create(dataSource, tasks)
                .threads(threads)
                .schedulerName(new SchedulerName.Fixed(name))
                .serializer(new JacksonSerializer())
                .enablePriority()
                .pollUsingFetchAndLockOnExecute(0.5, 3.0)
                .pollingInterval(Duration.ofMillis(500))
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(4)
                .deleteUnresolvedAfter(KEEP_OTHER_POOLS_RUNS)
                .shutdownMaxWait(drainTimeout)
                .build();
    }

    /**
     * The graceful drain on SIGTERM: readiness goes DOWN first, then db-scheduler stops claiming and waits (at most its
     * shutdownMaxWait) while each running run stops at its next batch, checkpoints there and hands itself over; it is
     * due again at once, so another node resumes it at its next poll. It goes before the other stopping observers (the
     * webhook and billing schedulers may each wait seconds for their own work), so the runs' hand-over never waits.
     */
    void stop(@Observes @Priority(10) ShutdownEvent event) {
        if (scheduler != null) {
            drain.start();
            int running = busySlots();
            long started = System.nanoTime();
            scheduler.stop();
            LOG.infof("Run executor %s drained in %d ms (%d execution(s) were under way)", name,
                    (System.nanoTime() - started) / 1_000_000, running);
        }
    }

    /**
     * Queues a run's execution in the caller's transaction, and wakes the executors once it commits; behind its
     * tenant's runs already waiting for a place, when there are such ({@link FairAdmission#dueAt}).
     */
    void enqueue(RunRef ref, int priority, String pool) {
        Instant now = clock.instant();
        Instant due = admission.dueAt(ref, pool, now);
        scheduler.schedule(new TaskInstance<>(Pools.taskName(pool), ref.instanceId(), () -> ref, priority), due);
        if (!due.isAfter(now)) {
            wakeAfterCommit();
        }
    }

    /** Removes a queued execution (not one already picked); works for a run of any pool. */
    void dequeue(RunRef ref, String pool) {
        try {
            scheduler.cancel(TaskInstanceId.of(Pools.taskName(pool), ref.instanceId()));
        } catch (RuntimeException e) {
            LOG.debugf("Run %d had no queued execution to remove: %s", ref.runId(), e.getMessage());
        }
    }

    /** Puts a schedule's next firing in the queue (in the caller's transaction). */
    void scheduleFire(ScheduleRef ref, Instant at) {
        scheduler.schedule(scheduleTask.instance(ref.instanceId(), ref), at);
    }

    /** Queues one firing of an "on a new version" schedule for {@code versionId}, in the caller's transaction. */
    void fireOnVersion(ScheduleRef ref, long versionId) {
        scheduler.schedule(versionTask.instance(ref.instanceId() + "-v" + versionId, ref), clock.instant());
        wakeAfterCommit();
    }

    void cancelFire(ScheduleRef ref) {
        try {
            scheduler.cancel(TaskInstanceId.of(SCHEDULE_TASK, ref.instanceId()));
        } catch (RuntimeException e) {
            LOG.debugf("Schedule %d had no queued firing: %s", ref.scheduleId(), e.getMessage());
        }
    }

    @ActivateRequestContext
    CompletionHandler<ScheduleRef> fire(ScheduleRef ref) {
        Optional<Instant> next;
        try {
            next = TenantContext.runAs(new Actor(ref.userId(), ref.tenantId()), () -> schedules.fire(ref));
        } catch (RuntimeException e) {
            LOG.warnf("Schedule %d could not start its run: %s", ref.scheduleId(), e.getMessage());
            next = Optional.of(clock.instant().plus(Duration.ofMinutes(5)));
        }
        return next.<CompletionHandler<ScheduleRef>>map(at -> (complete, ops) -> ops.reschedule(complete, at))
                .orElse((complete, ops) -> ops.remove());
    }

    /** A refused run pauses the schedule; any other failure is retried by db-scheduler (in 5 minutes). */
    @ActivateRequestContext
    void fireOnVersion(ScheduleRef ref) {
        TenantContext.runAs(new Actor(ref.userId(), ref.tenantId()), () -> schedules.start(ref));
    }

    /** Stops claiming new executions on this node (running ones go on); for maintenance and tests. */
    public void pause() {
        scheduler.pause();
    }

    public void resume() {
        scheduler.resume();
    }

    public int slots() {
        if (slots > 0) {
            return slots;
        }
        if (!"auto".equalsIgnoreCase(slotsSetting)) {
            return Math.max(1, Integer.parseInt(slotsSetting.strip()));
        }
        return Devices.autoSlots(Devices.gpus(), Runtime.getRuntime().availableProcessors(),
                Devices.threadsPerRun());
    }

    /** Whether this node executes runs at all ({@code runway.executor.enabled}). */
    public boolean executes() {
        return enabled;
    }

    /** Whether the executor claims work: started and not shutting down (paused counts as running). */
    public boolean running() {
        return scheduler != null && scheduler.getSchedulerState().isStarted()
                && !scheduler.getSchedulerState().isShuttingDown();
    }

    /** Executions under way on this node now (runs and schedule firings). */
    public int busySlots() {
        return scheduler == null || !enabled ? 0 : scheduler.getCurrentlyExecuting().size();
    }

    public String nodeName() {
        return name;
    }

    /** This node's pool and the pools whose runs it claims. */
    public Pools.Node pools() {
        return pools;
    }

    /** Once the caller's transaction commits, this node looks for due executions at once (not at its next poll). */
    void wakeAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED && enabled) {
                    scheduler.triggerCheckForDueExecutions();
                }
            }
        });
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }
}
