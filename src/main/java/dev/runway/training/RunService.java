package dev.runway.training;

import dev.runway.base.BadInputException;
import dev.runway.base.Json;
import dev.runway.base.NotFoundException;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.dataset.Preparation;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.training.engine.Hyperparameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Runs of the current tenant. Submitting inserts the run and queues its execution in one transaction (ids only in
 * the payload); bad input is refused before anything is queued.
 */
@ApplicationScoped
public class RunService {

    public static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");
    public static final int LOG_TAIL = 200;

    /** What the submit form sends. */
    public record Submission(long datasetVersionId, Hyperparameters hyperparameters, String device, int priority) {}

    /** Filters for the runs list; nulls match everything. */
    public record Filter(Long projectId, Run.Status status, Run.Kind kind) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    DatasetService datasets;

    @Inject
    RunScheduler scheduler;

    @Inject
    Clock clock;

    @Transactional
    public Run submit(Submission submission) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        return submit(actor, submission, null);
    }

    /** Refuses a submission that could not run, with a message at the field; queues nothing. */
    @Transactional
    public void check(Submission s) {
        access.require(Permission.MANAGE_PROJECTS);
        validate(s);
    }

    /** Also used by schedules, which run as the member who created them. */
    Run submit(Actor actor, Submission s, Long scheduleId) {
        DatasetVersion version = validate(s);
        Hyperparameters h = s.hyperparameters();
        String device = s.device() == null ? "auto" : s.device().toLowerCase(Locale.ROOT);
        Run run = new Run(datasets.dataset(version.getDatasetId()).getProjectId(), version.getId(), Run.Kind.TRAIN,
                null, h.template().name(), Json.write(h), device, s.priority(), actor.userId(), scheduleId, h.epochs(),
                clock.instant());
        em.persist(run);
        em.flush();
        scheduler.enqueue(new RunRef(actor.tenantId(), run.getId(), actor.userId()), run.getPriority());
        audit.record("run.submitted", "run " + run.getId(), null, h.template().label() + ", " + h.epochs()
                + " epochs on " + device);
        return run;
    }

    private DatasetVersion validate(Submission s) {
        DatasetVersion version = datasets.version(s.datasetVersionId());
        Preparation preparation = datasets.preparation(version.getId()).orElseThrow(() -> new BadInputException(
                "dataset", "This dataset version has no preparation settings: set the target and features on its "
                        + "page first"));
        Hyperparameters h = s.hyperparameters();
        if (h == null || h.template() == null) {
            throw new BadInputException("template", "Choose a template");
        }
        if (!h.template().fits(preparation.task())) {
            throw new BadInputException("template", h.template().label() + " does not fit a "
                    + preparation.task().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " task");
        }
        RunChecks.check(h, preparation, datasets.profile(version.getId()));
        String device = s.device() == null ? "auto" : s.device().toLowerCase(Locale.ROOT);
        if (!DEVICES.contains(device)) {
            throw new BadInputException("device", "Choose auto, CPU or GPU");
        }
        if (s.priority() < 0 || s.priority() > 100) {
            throw new BadInputException("priority", "Priority is a number from 0 (lowest) to 100");
        }
        return version;
    }

    /** Evaluates the model a training run produced on a dataset version (its test split is used when it is the same). */
    @Transactional
    public Run submitEvaluation(long trainingRunId, long datasetVersionId) {
        Actor actor = access.require(Permission.EVALUATE);
        Run source = find(trainingRunId);
        if (source.getKind() != Run.Kind.TRAIN || source.getStatus() != Run.Status.SUCCEEDED) {
            throw new BadInputException(null, "Only a model from a succeeded training run can be evaluated");
        }
        DatasetVersion version = datasets.version(datasetVersionId);
        List<String> needed = datasets.preparation(source.getDatasetVersionId()).map(Preparation::features)
                .orElse(List.of());
        List<String> columns = datasets.profile(version.getId()).columnNames();
        List<String> missing = needed.stream().filter(c -> !columns.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new BadInputException("dataset", "This version lacks the model's columns: " + String.join(", ",
                    missing));
        }
        Run run = new Run(source.getProjectId(), version.getId(), Run.Kind.EVALUATE, source.getId(),
                source.getTemplate(), source.hyperparametersJson(), "auto", 50, actor.userId(), null, 1,
                clock.instant());
        em.persist(run);
        em.flush();
        scheduler.enqueue(new RunRef(actor.tenantId(), run.getId(), actor.userId()), run.getPriority());
        audit.record("run.submitted", "run " + run.getId(), null, "evaluation of run " + source.getId());
        return run;
    }

    /** A queued run is cancelled at once; a running one stops between batches (within 2 s) and keeps its checkpoint. */
    @Transactional
    public void cancel(long runId) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        Run run = em.find(Run.class, runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null) {
            throw new NotFoundException("Run");
        }
        if (run.getStatus().finished()) {
            throw new BadInputException(null, "This run has already ended (" + run.getStatus().name().toLowerCase()
                    + ")");
        }
        run.requestCancel();
        if (run.getStatus() == Run.Status.QUEUED) {
            run.cancel(clock.instant());
            scheduler.dequeue(new RunRef(actor.tenantId(), run.getId(), run.getStartedBy()));
        }
        em.persist(new RunLog(run.getId(), clock.instant(), "Cancel requested"));
        audit.record("run.cancelled", "run " + run.getId(), run.getStatus().name(), "CANCELLED");
    }

    /** A failed run starts over; a cancelled one continues from its last checkpoint. */
    @Transactional
    public void retry(long runId) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        Run run = em.find(Run.class, runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null) {
            throw new NotFoundException("Run");
        }
        if (run.getStatus() != Run.Status.FAILED && run.getStatus() != Run.Status.CANCELLED) {
            throw new BadInputException(null, "Only a failed or cancelled run can be retried");
        }
        String before = run.getStatus().name();
        run.requeue(clock.instant());
        em.persist(new RunLog(run.getId(), clock.instant(), "Retried (attempt " + run.getAttempt() + ")"));
        scheduler.enqueue(new RunRef(actor.tenantId(), run.getId(), run.getStartedBy()), run.getPriority());
        audit.record("run.retried", "run " + run.getId(), before, "QUEUED");
    }

    @Transactional
    public List<Run> list(Filter filter) {
        access.require(Permission.READ);
        Filter f = filter == null ? new Filter(null, null, null) : filter;
        StringBuilder jpql = new StringBuilder("select r from Run r where 1 = 1");
        if (f.projectId() != null) {
            jpql.append(" and r.projectId = :project");
        }
        if (f.status() != null) {
            jpql.append(" and r.status = :status");
        }
        if (f.kind() != null) {
            jpql.append(" and r.kind = :kind");
        }
        var query = em.createQuery(jpql.append(" order by r.createdAt desc, r.id desc").toString(), Run.class)
                .setMaxResults(500);
        if (f.projectId() != null) {
            query.setParameter("project", f.projectId());
        }
        if (f.status() != null) {
            query.setParameter("status", f.status());
        }
        if (f.kind() != null) {
            query.setParameter("kind", f.kind());
        }
        return query
                .getResultList();
    }

    @Transactional
    public Run get(long runId) {
        access.require(Permission.READ);
        return find(runId);
    }

    @Transactional
    public List<RunMetric> metrics(long runId) {
        get(runId);
        return em.createQuery("select m from RunMetric m where m.runId = :run order by m.epoch", RunMetric.class)
                .setParameter("run", runId).getResultList();
    }

    /** The newest lines, oldest first. */
    @Transactional
    public List<RunLog> logTail(long runId) {
        get(runId);
        List<RunLog> newest = em.createQuery("select l from RunLog l where l.runId = :run order by l.id desc",
                RunLog.class).setParameter("run", runId).setMaxResults(LOG_TAIL).getResultList();
        List<RunLog> oldestFirst = new ArrayList<>(newest);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    @Transactional
    public long count(Run.Status status) {
        access.require(Permission.READ);
        return em.createQuery("select count(r) from Run r where r.status = :s", Long.class)
                .setParameter("s", status).getSingleResult();
    }

    public static Hyperparameters hyperparameters(Run run) {
        return Json.read(run.hyperparametersJson(), Hyperparameters.class);
    }

    private Run find(long runId) {
        return Optional.ofNullable(em.find(Run.class, runId)).orElseThrow(() -> new NotFoundException("Run"));
    }

}
