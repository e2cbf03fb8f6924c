package dev.runway.training;

import dev.runway.base.Json;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.Happened;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.dataset.DatasetVersionAdded;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.training.engine.Hyperparameters;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Scheduled re-runs. Each active cron schedule has one execution in db-scheduler at its next fire time, so it fires
 * once however many nodes run; the execution runs as the schedule's tenant and member. "On a new version" schedules
 * queue a firing in the transaction that records the version. A schedule whose run is refused pauses itself with a
 * note.
 */
@ApplicationScoped
public class ScheduleService {

    private static final Logger LOG = Logger.getLogger(ScheduleService.class);

    /** What the schedule form sends; {@code cron} is six fields (second minute hour day month weekday) or blank. */
    public record ScheduleForm(String name, long datasetId, Hyperparameters hyperparameters, String device,
            int priority, String cron, boolean onNewVersion) {}

    @Inject
    EntityManager em;

    @Inject
    Event<Happened> happened;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    DatasetService datasets;

    @Inject
    RunService runs;

    @Inject
    RunScheduler scheduler;

    @Inject
    Clock clock;

    @Transactional
    public RunSchedule create(ScheduleForm form) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        String name = Text.required("name", "Schedule name", form.name(), RunSchedule.NAME_MAX);
        String cron = form.cron() == null || form.cron().isBlank() ? null : form.cron().strip();
        if (cron == null && !form.onNewVersion()) {
            throw new BadInputException("cron", "Give a cron expression, or choose to run on every new version");
        }
        Instant next = cron == null ? null : nextFire(cron, clock.instant());
        boolean taken = em.createQuery("select count(s) from RunSchedule s where s.name = :n", Long.class)
                .setParameter("n", name).getSingleResult() > 0;
        if (taken) {
            throw new BadInputException("name", "A schedule named “" + name + "” already exists");
        }
        DatasetVersion latest = latestVersion(form.datasetId());
        // Check the run it will start now, so that a schedule never fires something unrunnable.
        runs.check(new RunService.Submission(latest.getId(), form.hyperparameters(), form.device(), form.priority()));
        RunSchedule schedule = new RunSchedule(datasets.dataset(form.datasetId()).getProjectId(), form.datasetId(),
                name, Json.write(form.hyperparameters()), form.device() == null ? "auto" : form.device(),
                form.priority(), cron, form.onNewVersion(), actor.userId(), clock.instant());
        schedule.setNextFireAt(next);
        em.persist(schedule);
        em.flush();
        if (next != null) {
            scheduler.scheduleFire(new ScheduleRef(actor.tenantId(), schedule.getId(), actor.userId()), next);
        }
        audit.record("schedule.created", name, null, describe(schedule));
        return schedule;
    }

    @Transactional
    public List<RunSchedule> list() {
        return list(null, Integer.MAX_VALUE);
    }

    /** A page of them by name: at most {@code limit} after {@code after} (name, id). */
    @Transactional
    public List<RunSchedule> list(Keyset after, int limit) {
        access.require(Permission.READ);
        return Keyset.bindText(em.createQuery("select s from RunSchedule s where "
                        + Keyset.afterIgnoringCase("s.name", "s.id") + " order by lower(s.name), s.id",
                        RunSchedule.class), after)
                .setMaxResults(limit).getResultList();
    }

    @Transactional
    public RunSchedule get(long scheduleId) {
        access.require(Permission.READ);
        return find(scheduleId);
    }

    /**
     * Deletes a schedule and its queued firing. The runs it started stay (they no longer name it); a firing already
     * claimed by an executor finds no schedule and starts nothing.
     */
    @Transactional
    public void delete(long scheduleId) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        RunSchedule schedule = find(scheduleId);
        scheduler.cancelFire(new ScheduleRef(actor.tenantId(), schedule.getId(), schedule.getCreatedBy()));
        em.remove(schedule);
        audit.record("schedule.deleted", schedule.getName(), describe(schedule), null);
    }

    private static String describe(RunSchedule schedule) {
        return (schedule.getCron() == null ? "" : schedule.getCron())
                + (schedule.isOnNewVersion() ? " + on new version" : "");
    }

    @Transactional
    public void setPaused(long scheduleId, boolean paused) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        RunSchedule schedule = find(scheduleId);
        if (schedule.isPaused() == paused) {
            return;
        }
        schedule.setPaused(paused);
        if (!paused && !mayStartRuns(schedule.getCreatedBy())) {
            // Its creator has left or may no longer start runs: whoever resumes it takes it over, or it would only
            // pause itself again.
            schedule.runAs(actor.userId());
        }
        ScheduleRef ref = new ScheduleRef(actor.tenantId(), schedule.getId(), schedule.getCreatedBy());
        if (paused) {
            schedule.setNextFireAt(null);
            scheduler.cancelFire(ref);
        } else if (schedule.getCron() != null) {
            Instant next = nextFire(schedule.getCron(), clock.instant());
            schedule.setNextFireAt(next);
            scheduler.scheduleFire(ref, next);
        }
        audit.record(paused ? "schedule.paused" : "schedule.resumed", schedule.getName(), null, null);
    }

    /**
     * A cron firing, as the schedule's tenant and member, on whichever node's executor picked the execution.
     *
     * @return the next firing; empty when the schedule is paused (also when it just paused itself)
     */
    Optional<Instant> fire(ScheduleRef ref) {
        Optional<Instant> next = QuarkusTransaction.requiringNew().call(() -> {
            RunSchedule schedule = em.find(RunSchedule.class, ref.scheduleId());
            if (schedule == null || schedule.isPaused() || schedule.getCron() == null) {
                return Optional.<Instant>empty();
            }
            Instant at = nextFire(schedule.getCron(), clock.instant());
            schedule.setNextFireAt(at);
            return Optional.of(at);
        });
        return next.isPresent() && start(ref) ? next : Optional.empty();
    }

    /**
     * A new version of the dataset: each schedule that follows it gets a firing in the queue, in the upload's
     * transaction. The run itself starts in a transaction of its own, so that a refused run can never undo the
     * upload.
     */
    void onNewVersion(@Observes DatasetVersionAdded added) {
        List<RunSchedule> triggered = em.createQuery("""
                        select s from RunSchedule s
                        where s.datasetId = :dataset and s.onNewVersion = true and s.paused = false""",
                        RunSchedule.class)
                .setParameter("dataset", added.datasetId()).getResultList();
        for (RunSchedule schedule : triggered) {
            scheduler.fireOnVersion(new ScheduleRef(added.tenantId(), schedule.getId(), schedule.getCreatedBy()),
                    added.versionId());
        }
    }

    /**
     * Starts the schedule's run as its member, in a transaction of its own. When the run cannot start (the member
     * has left or may no longer start runs, or the plan, a budget or the data refuses it), the schedule pauses
     * itself with a note that says why, shown in the schedules list, rather than failing again at every firing.
     *
     * @return whether a run started
     */
    boolean start(ScheduleRef ref) {
        String refusal;
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                RunSchedule schedule = em.find(RunSchedule.class, ref.scheduleId());
                if (schedule == null || schedule.isPaused()) {
                    return false;
                }
                Optional<Role> role = access.currentRole();
                if (role.isEmpty()) {
                    throw new AccessDeniedException("Its creator is no longer a member of this company: resume it "
                            + "to start its runs as yourself");
                }
                if (!role.get().allows(Permission.MANAGE_PROJECTS)) {
                    throw new AccessDeniedException("Its creator's role (" + role.get().label() + ") may no longer "
                            + "start runs: resume it to start its runs as yourself");
                }
                startRun(schedule);
                return true;
            });
        } catch (RuntimeException e) {
            refusal = refusal(e).orElseThrow(() -> e);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            RunSchedule schedule = em.find(RunSchedule.class, ref.scheduleId());
            if (schedule != null && !schedule.isPaused()) {
                schedule.pauseWith(refusal);
                scheduler.cancelFire(ref);
                happened.fire(new Happened(ref.tenantId(), Happened.Kind.SCHEDULE_PAUSED, schedule.getProjectId(),
                        new Happened.Subject(Happened.Subject.Type.SCHEDULE, schedule.getId(), schedule.getName()),
                        null, "Schedule " + schedule.getName() + " paused itself: " + refusal,
                        Set.of(schedule.getCreatedBy()), Map.of("scheduleId", schedule.getId(),
                                "projectId", schedule.getProjectId(), "note", schedule.getPausedNote())));
                LOG.infof("Schedule %d paused itself: %s", schedule.getId(), refusal);
            }
        });
        return false;
    }

    /** Why a schedule's run was refused, in words for its note; empty for a failure that is no refusal. */
    private static Optional<String> refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AccessDeniedException) {
                return Optional.of(t.getMessage());
            }
            if (t instanceof BadInputException || t instanceof NotFoundException) {
                return Optional.of("Its run was refused: " + t.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Whether the member still belongs to the company of the current transaction and may start runs there. */
    private boolean mayStartRuns(long userId) {
        Actor actor = TenantContext.current().orElseThrow();
        return TenantContext.runAs(new Actor(userId, actor.tenantId()), () -> access.currentRole())
                .filter(role -> role.allows(Permission.MANAGE_PROJECTS)).isPresent();
    }

    private void startRun(RunSchedule schedule) {
        DatasetVersion latest = latestVersion(schedule.getDatasetId());
        Actor owner = new Actor(schedule.getCreatedBy(), schedule.tenantId());
        if (datasets.preparation(latest.getId()).isEmpty()) {
            // A new version comes without preparation settings: carry the last prepared version's forward (checked
            // against the new version's columns), as its member would before starting the run by hand.
            datasets.versions(schedule.getDatasetId()).stream().skip(1)
                    .map(v -> datasets.preparation(v.getId())).flatMap(Optional::stream).findFirst()
                    .ifPresent(p -> TenantContext.runAs(owner, () -> datasets.savePreparation(latest.getId(), p)));
        }
        TenantContext.runAs(owner, () -> runs.submit(owner, new RunService.Submission(latest.getId(),
                Json.read(schedule.hyperparametersJson(), Hyperparameters.class),
                schedule.getRequestedDevice(), schedule.getPriority()), schedule.getId()));
    }

    private DatasetVersion latestVersion(long datasetId) {
        return datasets.versions(datasetId).stream().findFirst()
                .orElseThrow(() -> new BadInputException("dataset", "This dataset has no version yet"));
    }

    private RunSchedule find(long id) {
        return Optional.ofNullable(em.find(RunSchedule.class, id)).orElseThrow(() -> new NotFoundException("Schedule"));
    }

    /** The next time after {@code after}, in UTC; a clear message for an expression that does not parse. */
    static Instant nextFire(String cron, Instant after) {
        try {
            CronSchedule schedule = Schedules.cron(cron, ZoneOffset.UTC);
            return schedule.getInitialExecutionTime(after);
        } catch (RuntimeException e) {
            throw new BadInputException("cron", "“" + cron + "” is not a cron expression: use six fields, second "
                    + "minute hour day month weekday, e.g. 0 0 2 * * * for every night at 02:00 UTC");
        }
    }
}
