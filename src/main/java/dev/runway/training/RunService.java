package dev.runway.training;

import dev.runway.base.BadInputException;
import dev.runway.base.Json;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.PreparationRevision;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs of the current tenant. Submitting inserts the run and queues its execution in one transaction (ids only in
 * the payload); bad input is refused before anything is queued.
 */
@ApplicationScoped
public class RunService {

    public static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");
    public static final int LOG_TAIL = 200;
    /** How many recent runs of a template the estimate learns its speed from. */
    static final int SIMILAR_RUNS = 20;
    static final double STARTUP_SECONDS = 3;
    static final int PROFILES_KEPT = 64;

    /** What the submit form sends; no pool (null) means the device's: gpu for a GPU run, else cpu. */
    public record Submission(long datasetVersionId, Hyperparameters hyperparameters, String device, int priority,
            String pool) {

        public Submission(long datasetVersionId, Hyperparameters hyperparameters, String device, int priority) {
            this(datasetVersionId, hyperparameters, device, priority, null);
        }
    }

    /**
     * Why a queued run waits, from the company's own rows only: its place among the company's queued runs (1 =
     * next), the company's runs under way and its plan's concurrency, and this node's executor slots.
     */
    public record Waiting(int position, int running, int quota, int slots) {

        /** Whether the plan's concurrency, rather than the executors, holds the run back. */
        public boolean atQuota() {
            return running >= quota;
        }
    }

    /** Runs created per day by status, oldest day first: the dashboard's runs chart. */
    public record RunsPerDay(List<java.time.LocalDate> days, Map<Run.Status, long[]> counts) {}

    /**
     * Executor slot use: the company's runs under way now, this node's executor slots, the plan's concurrency, and
     * the average number of the company's runs under way in each of the last 24 hours (oldest first, from the runs'
     * start and finish times).
     */
    public record SlotUse(int runningNow, int slots, int quota, Instant from, double[] perHour) {}

    /** Filters for the runs list; nulls match everything. */
    public record Filter(Long projectId, Run.Status status, Run.Kind kind) {}

    @Inject
    EntityManager em;

    /** What other features refuse of a run (a sweep's trial is not retried on its own). */
    @Inject
    Instance<RunLimits> limits;

    /** The pools runs may ask for (docs/deploy.md, "Worker pools and GPU routing"). */
    @ConfigProperty(name = "runway.executor.pools", defaultValue = "cpu,gpu")
    List<String> pools;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    DatasetService datasets;

    @Inject
    RunScheduler scheduler;

    @Inject
    RunCharges metering;

    @Inject
    Clock clock;

    @Inject
    jakarta.enterprise.event.Event<RunFinished> finished;

    /** Parsed profiles of the dataset versions submitted to lately (see {@link #profile}). */
    private final Map<Long, CsvProfile> profiles = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CsvProfile> eldest) {
            return size() > PROFILES_KEPT;
        }
    });

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

    /**
     * What the run would cost: the plan's device rate × the time it is expected to take. Refused, as submitting would
     * be, when the plan or a budget does not allow it. Changes nothing.
     */
    @Transactional
    public RunCharges.Estimate estimate(Submission s) {
        access.require(Permission.MANAGE_PROJECTS);
        DatasetVersion version = validate(s);
        RunCharges.Estimate estimate = estimate(version, s.hyperparameters().template(), s.hyperparameters().epochs(),
                device(s));
        metering.admit(datasets.dataset(version.getDatasetId()).getProjectId(), estimate);
        return estimate;
    }

    /**
     * What the run would cost, checked as submitting would check it but without asking the budgets: a sweep asks them
     * itself before each trial, where a refusal must not undo the transaction that ended the previous trial.
     */
    @Transactional
    public RunCharges.Estimate price(Submission s) {
        access.require(Permission.MANAGE_PROJECTS);
        DatasetVersion version = validate(s);
        return estimate(version, s.hyperparameters().template(), s.hyperparameters().epochs(), device(s));
    }

    /** The run's cost so far, including the segment under way; for the run page, updated live. */
    @Transactional
    public RunCharges.RunCost cost(long runId) {
        Run run = get(runId);
        long open = 0;
        if (run.getStatus() == Run.Status.RUNNING && run.getAttemptStartedAt() != null) {
            Instant since = run.getLastCheckpointAt() != null
                    && run.getLastCheckpointAt().isAfter(run.getAttemptStartedAt())
                    ? run.getLastCheckpointAt() : run.getAttemptStartedAt();
            open = Math.max(0, Duration.between(since, clock.instant()).toSeconds());
        }
        return metering.runCost(runId, RunExecutor.usesGpu(run), open);
    }

    /** The pools a run may ask for, in the order the setting names them. */
    public List<String> pools() {
        return pools.stream().map(p -> p.strip().toLowerCase(Locale.ROOT)).filter(p -> !p.isEmpty()).distinct()
                .toList();
    }

    /** Also used by schedules, which run as the member who created them. */
    Run submit(Actor actor, Submission s, Long scheduleId) {
        DatasetVersion version = validate(s);
        Hyperparameters h = s.hyperparameters();
        String device = device(s);
        long projectId = datasets.dataset(version.getDatasetId()).getProjectId();
        metering.admit(projectId, estimate(version, h.template(), h.epochs(), device));
        String pool = Pools.ofRun(s.pool(), device, pools());
        Run run = new Run(projectId, version.getId(), Run.Kind.TRAIN, null, h.template().name(), Json.write(h), device,
                pool, s.priority(), actor.userId(), scheduleId, h.epochs(), clock.instant());
        run.preparationRevision(datasets.currentRevision(version.getId()).getId());
        em.persist(run);
        em.flush();
        scheduler.enqueue(new RunRef(actor.tenantId(), run.getId(), actor.userId()), run.getPriority(), run.getPool());
        audit.record("run.submitted", "run " + run.getId(), null, h.template().label() + ", " + h.epochs()
                + " epochs on " + device + " (pool " + run.getPool() + ")");
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
        RunChecks.check(h, preparation, profile(version.getId()));
        String device = s.device() == null ? "auto" : s.device().toLowerCase(Locale.ROOT);
        if (!DEVICES.contains(device)) {
            throw new BadInputException("device", "Choose auto, CPU or GPU");
        }
        if (s.priority() < 0 || s.priority() > 100) {
            throw new BadInputException("priority", "Priority is a number from 0 (lowest) to 100");
        }
        Pools.ofRun(s.pool(), device, pools());
        return version;
    }

    /**
     * The version's profile, parsed once: a version never changes, and reading its profile (a lazy column) and parsing
     * it again for every submission cost more than the rest of the checks. Asked only for a version the caller's tenant
     * was just shown, so a cached profile never crosses tenants.
     */
    private CsvProfile profile(long versionId) {
        CsvProfile profile = profiles.get(versionId);
        if (profile == null) {
            profile = datasets.profile(versionId);
            profiles.put(versionId, profile);
        }
        return profile;
    }

    /** The device asked for; "auto" means the CPU on a plan without GPUs, so the work and its metering agree. */
    private String device(Submission s) {
        String device = s.device() == null ? "auto" : s.device().toLowerCase(Locale.ROOT);
        return "auto".equals(device) && !metering.gpuAllowed() ? "cpu" : device;
    }

    /**
     * Expected time from the median speed (seconds per row and epoch) of the tenant's last succeeded runs of the
     * template, or from a conservative speed per template when there are none; priced at the plan's rate.
     */
    private RunCharges.Estimate estimate(DatasetVersion version, Template template, int epochs, String device) {
        boolean gpu = "gpu".equals(device) || ("auto".equals(device) && Devices.gpus() > 0);
        double rowEpochs = Math.max(1, version.getRowCount()) * (double) Math.max(1, epochs);
        // Seconds per epoch of the latest succeeded runs; their rows come from the dataset feature, which owns them.
        @SuppressWarnings("unchecked")
        List<Object[]> recent = em.createNativeQuery("""
                        select r.dataset_version_id, extract(epoch from r.finished_at - r.started_at) / r.total_epochs
                        from run r
                        where r.kind = 'TRAIN' and r.status = 'SUCCEEDED' and r.template = :template
                          and r.total_epochs > 0 and r.started_at is not null
                        order by r.finished_at desc limit :limit""")
                .setParameter("template", template.name()).setParameter("limit", SIMILAR_RUNS).getResultList();
        Map<Long, Long> rows = datasets.rowCounts(recent.stream().map(r -> ((Number) r[0]).longValue())
                .collect(Collectors.toSet()));
        double[] perRowEpoch = recent.stream().filter(r -> rows.getOrDefault(((Number) r[0]).longValue(), 0L) > 0)
                .mapToDouble(r -> ((Number) r[1]).doubleValue() / rows.get(((Number) r[0]).longValue())).sorted()
                .toArray();
        int count = perRowEpoch.length;
        if (count > 0) {
            double median = count % 2 == 1 ? perRowEpoch[count / 2]
                    : (perRowEpoch[count / 2 - 1] + perRowEpoch[count / 2]) / 2;
            long seconds = Math.max(1, Math.round(median * rowEpochs));
            return metering.estimate(gpu, seconds, "from " + count + " similar run" + (count == 1 ? "" : "s"));
        }
        long seconds = Math.max(1, Math.round(STARTUP_SECONDS + secondsPerRowEpoch(template) * rowEpochs));
        return metering.estimate(gpu, seconds, "from the template and the data size");
    }

    /** Conservative CPU speeds on a 2-core machine, used until the tenant has runs of the template. */
    static double secondsPerRowEpoch(Template template) {
        return switch (template) {
            case LINEAR_REGRESSION, LOGISTIC_REGRESSION -> 2e-5;
            case MLP -> 5e-5;
            case CNN -> 5e-4;
            case TRANSFORMER -> 2e-3;
        };
    }

    /** Evaluates the model a training run produced on a dataset version (its test split is used when it is the same). */
    @Transactional
    public Run submitEvaluation(long trainingRunId, long datasetVersionId) {
        return submitEvaluation(trainingRunId, datasetVersionId, null);
    }

    /**
     * As {@link #submitEvaluation(long, long)}, on {@code rows}: "all" rows of the version, its "test" split (only on
     * the version the model was trained on, whose split it knows), or null for that default.
     */
    @Transactional
    public Run submitEvaluation(long trainingRunId, long datasetVersionId, String rows) {
        Actor actor = access.require(Permission.EVALUATE);
        Run source = find(trainingRunId);
        if (source.getKind() != Run.Kind.TRAIN || source.getStatus() != Run.Status.SUCCEEDED) {
            throw new BadInputException(null, "Only a model from a succeeded training run can be evaluated");
        }
        DatasetVersion version = datasets.version(datasetVersionId);
        if ("test".equals(rows) && !version.getId().equals(source.getDatasetVersionId())) {
            throw new BadInputException("rows", "A trained model's test split exists only on the dataset version it "
                    + "was trained on (#" + source.getDatasetVersionId() + "): evaluate on \"all\" rows of this one");
        }
        List<String> needed = datasets.preparation(source.getDatasetVersionId(), source.getPreparationRevisionId())
                .map(Preparation::features).orElse(List.of());
        List<String> columns = datasets.profile(version.getId()).columnNames();
        List<String> missing = needed.stream().filter(c -> !columns.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new BadInputException("dataset", "This version lacks the model's columns: " + String.join(", ",
                    missing));
        }
        long evaluationSeconds = Math.round(STARTUP_SECONDS + version.getRowCount() * 1e-4);
        metering.admit(source.getProjectId(), metering.estimate(false, evaluationSeconds, "from the data size"));
        Run run = new Run(source.getProjectId(), version.getId(), Run.Kind.EVALUATE, source.getId(),
                source.getTemplate(), source.hyperparametersJson(), "auto", Pools.CPU, 50, actor.userId(), null, 1,
                clock.instant());
        run.evaluateRows(rows);
        if (version.getId().equals(source.getDatasetVersionId())) {
            // Its test rows are the training's own split: the same revision draws them.
            run.preparationRevision(source.getPreparationRevisionId());
        }
        em.persist(run);
        em.flush();
        scheduler.enqueue(new RunRef(actor.tenantId(), run.getId(), actor.userId()), run.getPriority(), run.getPool());
        audit.record("run.submitted", "run " + run.getId(), null, "evaluation of run " + source.getId());
        return run;
    }

    /**
     * Evaluates an imported model version (the model feature's: its files in {@code modelDir}) on {@code rows} ("all"
     * or "test") of a dataset version that has the manifest's columns; billed like any evaluation run.
     */
    @Transactional
    public Run submitImportedEvaluation(long projectId, long modelVersionId, String template, String modelDir,
            List<String> features, String target, boolean raw, long datasetVersionId, String rows) {
        Actor actor = access.require(Permission.EVALUATE);
        DatasetVersion version = datasets.version(datasetVersionId);
        var profile = datasets.profile(version.getId());
        List<String> columns = profile.columnNames();
        List<String> missing = new ArrayList<>(features.stream().filter(c -> !columns.contains(c)).toList());
        if (!columns.contains(target)) {
            missing.add(target + " (the target)");
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("datasetVersionId", "This version lacks the model's columns: "
                    + String.join(", ", missing));
        }
        if (raw) {
            List<String> text = features.stream().filter(c -> profile.column(c).map(p -> !p.isNumeric())
                    .orElse(false)).toList();
            if (!text.isEmpty()) {
                throw new BadInputException("datasetVersionId", "The model takes raw numbers, but these columns are "
                        + "not numeric here: " + String.join(", ", text));
            }
        }
        long evaluationSeconds = Math.round(STARTUP_SECONDS + version.getRowCount() * 1e-4);
        metering.admit(projectId, metering.estimate(false, evaluationSeconds, "from the data size"));
        Run run = Run.evaluationOfImported(projectId, version.getId(), modelVersionId, template, rows, modelDir,
                actor.userId(), clock.instant());
        em.persist(run);
        em.flush();
        scheduler.enqueue(new RunRef(actor.tenantId(), run.getId(), actor.userId()), run.getPriority(), run.getPool());
        audit.record("run.submitted", "run " + run.getId(), null, "evaluation of imported model version "
                + modelVersionId);
        return run;
    }

    /** The latest succeeded evaluation of an imported model version on any dataset version, if any. */
    @Transactional
    public Optional<Run> latestEvaluationOfImported(long modelVersionId) {
        access.require(Permission.READ);
        return em.createQuery("select r from Run r where r.sourceModelVersionId = :v and r.kind = :kind"
                        + " and r.status = :status order by r.finishedAt desc, r.id desc", Run.class)
                .setParameter("v", modelVersionId).setParameter("kind", Run.Kind.EVALUATE)
                .setParameter("status", Run.Status.SUCCEEDED).setMaxResults(1).getResultStream().findFirst();
    }

    /** The latest succeeded evaluation of the model that training run {@code trainingRunId} produced, if any. */
    @Transactional
    public Optional<Run> latestEvaluation(long trainingRunId) {
        access.require(Permission.READ);
        // Only evaluations on versions of the data the model was trained on count: an evaluation on a hand-picked
        // easy table of another dataset must not pass a project's metric gate.
        return em.createQuery("select r from Run r, Run source, DatasetVersion trained, DatasetVersion evaluated"
                        + " where source.id = :source and r.sourceRunId = source.id and r.kind = :kind"
                        + " and r.status = :status and trained.id = source.datasetVersionId"
                        + " and evaluated.id = r.datasetVersionId and evaluated.datasetId = trained.datasetId"
                        + " order by r.finishedAt desc, r.id desc", Run.class)
                .setParameter("source", trainingRunId).setParameter("kind", Run.Kind.EVALUATE)
                .setParameter("status", Run.Status.SUCCEEDED).setMaxResults(1).getResultStream().findFirst();
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
            scheduler.dequeue(new RunRef(actor.tenantId(), run.getId(), run.getStartedBy()), run.getPool());
            // It never reached an executor: the features that follow runs (a sweep) hear of its end here.
            finished.fire(RunFinished.of(actor.tenantId(), run));
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
        if (!run.getStatus().retryable()) {
            throw new BadInputException(null, "Only a failed, cancelled or stopped run can be retried");
        }
        Optional<String> refused = limits.stream().map(l -> l.refusesRetry(runId)).flatMap(Optional::stream)
                .findFirst();
        if (refused.isPresent()) {
            throw new BadInputException(null, refused.get());
        }
        if (run.getKind() == Run.Kind.TRAIN) {
            int done = run.getStatus() == Run.Status.FAILED || run.getLastCheckpointEpoch() == null ? 0
                    : run.getLastCheckpointEpoch();
            Hyperparameters h = hyperparameters(run);
            if (run.getStatus() == Run.Status.FAILED) {
                // It starts over, so it trains with the version's preparation as it is now; a cancelled or stopped
                // run resumes its checkpoint and keeps the revision that checkpoint was trained with.
                PreparationRevision now = datasets.currentRevision(run.getDatasetVersionId());
                if (!now.getId().equals(run.getPreparationRevisionId())) {
                    em.persist(new RunLog(run.getId(), clock.instant(), "Starts over with preparation revision "
                            + now.getRevision() + " (the dataset version's preparation changed)"));
                    run.preparationRevision(now.getId());
                }
            }
            // Checked as at a submission, against the preparation it will train with.
            RunChecks.check(h, datasets.preparation(run.getDatasetVersionId(), run.getPreparationRevisionId())
                    .orElseThrow(() -> new BadInputException("dataset", "This dataset version has no preparation "
                            + "settings any more: set the target and features on its page first")),
                    profile(run.getDatasetVersionId()));
            metering.admit(run.getProjectId(), estimate(datasets.version(run.getDatasetVersionId()), h.template(),
                    Math.max(1, h.epochs() - done), run.getRequestedDevice()));
        }
        String before = run.getStatus().name();
        run.requeue(clock.instant());
        em.persist(new RunLog(run.getId(), clock.instant(), "Retried (attempt " + run.getAttempt() + ")"));
        scheduler.enqueue(new RunRef(actor.tenantId(), run.getId(), run.getStartedBy()), run.getPriority(),
                run.getPool());
        audit.record("run.retried", "run " + run.getId(), before, "QUEUED");
    }

    /** The newest runs (at most 500), newest first. */
    @Transactional
    public List<Run> list(Filter filter) {
        return list(filter, null, 500);
    }

    /** A page of them, newest first: at most {@code limit} after {@code after} (created at, id). */
    @Transactional
    public List<Run> list(Filter filter, Keyset after, int limit) {
        access.require(Permission.READ);
        Filter f = filter == null ? new Filter(null, null, null) : filter;
        StringBuilder jpql = new StringBuilder("select r from Run r where "
                + Keyset.after("r.createdAt", "r.id", true));
        if (f.projectId() != null) {
            jpql.append(" and r.projectId = :project");
        }
        if (f.status() != null) {
            jpql.append(" and r.status = :status");
        }
        if (f.kind() != null) {
            jpql.append(" and r.kind = :kind");
        }
        var query = Keyset.bindInstant(em.createQuery(jpql.append(" order by r.createdAt desc, r.id desc")
                .toString(), Run.class), after).setMaxResults(limit);
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

    /** Why the run waits, while it is queued. */
    @Transactional
    public Optional<Waiting> waiting(long runId) {
        Actor actor = access.require(Permission.READ);
        Run run = find(runId);
        if (run.getStatus() != Run.Status.QUEUED) {
            return Optional.empty();
        }
        // The executors admit a company's runs by priority, then in the order they were queued.
        long ahead = em.createQuery("""
                        select count(r) from Run r where r.status = :queued and r.id <> :id
                          and (r.priority > :priority or (r.priority = :priority and (r.createdAt < :created
                               or (r.createdAt = :created and r.id < :id))))""", Long.class)
                .setParameter("queued", Run.Status.QUEUED).setParameter("id", run.getId())
                .setParameter("priority", run.getPriority()).setParameter("created", run.getCreatedAt())
                .getSingleResult();
        List<?> state = em.createNativeQuery("select running, concurrency_quota from tenant_queue_state "
                + "where tenant_id = :tenant").setParameter("tenant", actor.tenantId()).getResultList();
        int running = state.isEmpty() ? 0 : ((Number) ((Object[]) state.get(0))[0]).intValue();
        int quota = state.isEmpty() ? 2 : ((Number) ((Object[]) state.get(0))[1]).intValue();
        return Optional.of(new Waiting((int) ahead + 1, running, quota, scheduler.slots()));
    }

    /** The preparation revision the run trains with, for its lineage; empty for a run submitted before revisions. */
    @Transactional
    public Optional<DatasetService.RevisionUsed> preparationUsed(long runId) {
        Run run = get(runId);
        return Optional.ofNullable(run.getPreparationRevisionId()).map(datasets::revisionUsed);
    }

    /** What the run's model predicts, from its dataset version's preparation: it names the run's metric. */
    @Transactional
    public Optional<Preparation.TaskType> task(long runId) {
        Run run = get(runId);
        return datasets.preparation(run.getDatasetVersionId(), run.getPreparationRevisionId()).map(Preparation::task);
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

    /** The training runs on a dataset version, newest first (at most {@code limit}): its lineage. */
    @Transactional
    public List<Run> trainedOn(long datasetVersionId, int limit) {
        access.require(Permission.READ);
        return em.createQuery("select r from Run r where r.datasetVersionId = :v and r.kind = :train"
                        + " order by r.createdAt desc, r.id desc", Run.class)
                .setParameter("v", datasetVersionId).setParameter("train", Run.Kind.TRAIN)
                .setMaxResults(limit).getResultList();
    }

    /** Counted by the database (one row per day and status), never run by run; days in {@code zone}. */
    @Transactional
    public RunsPerDay runsPerDay(int days, java.time.ZoneId zone) {
        Actor actor = access.require(Permission.READ);
        java.time.LocalDate today = clock.instant().atZone(zone).toLocalDate();
        java.time.LocalDate first = today.minusDays(days - 1L);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select cast(r.created_at at time zone :zone as date), r.status, count(*) from run r
                        where r.tenant_id = :tenant and r.created_at >= :from
                        group by 1, 2""")
                .setParameter("zone", zone.getId()).setParameter("tenant", actor.tenantId())
                .setParameter("from", first.atStartOfDay(zone).toInstant()).getResultList();
        List<java.time.LocalDate> dayList = new ArrayList<>(days);
        for (int d = 0; d < days; d++) {
            dayList.add(first.plusDays(d));
        }
        Map<Run.Status, long[]> counts = new java.util.EnumMap<>(Run.Status.class);
        for (Run.Status s : Run.Status.values()) {
            counts.put(s, new long[days]);
        }
        for (Object[] row : rows) {
            java.time.LocalDate day = row[0] instanceof java.sql.Date d ? d.toLocalDate() : (java.time.LocalDate) row[0];
            int index = (int) java.time.temporal.ChronoUnit.DAYS.between(first, day);
            if (index >= 0 && index < days) {
                counts.get(Run.Status.valueOf(row[1].toString()))[index] += ((Number) row[2]).longValue();
            }
        }
        return new RunsPerDay(dayList, counts);
    }

    /**
     * The hourly averages come from one query over the runs that overlap the last 24 hours (those still under way or
     * finished since), each hour summing the seconds each run spent in it.
     */
    @Transactional
    public SlotUse slotUse() {
        Actor actor = access.require(Permission.READ);
        Instant now = clock.instant();
        Instant from = now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(23));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select h.start, coalesce(sum(extract(epoch from
                                   least(coalesce(r.finished_at, cast(:now as timestamptz)), h.start + interval '1 hour')
                                   - greatest(r.started_at, h.start))) filter (where r.started_at is not null), 0)
                        from generate_series(cast(:from as timestamptz), cast(:from as timestamptz)
                                             + interval '23 hours', interval '1 hour') as h(start)
                        left join (select started_at, finished_at from run
                                   where tenant_id = :tenant and started_at is not null
                                     and (status = 'RUNNING' or finished_at > cast(:from as timestamptz))) r
                               on r.started_at < h.start + interval '1 hour'
                              and coalesce(r.finished_at, cast(:now as timestamptz)) > h.start
                        group by h.start order by h.start""")
                .setParameter("now", now).setParameter("from", from).setParameter("tenant", actor.tenantId())
                .getResultList();
        double[] perHour = new double[24];
        for (int i = 0; i < Math.min(24, rows.size()); i++) {
            // The current hour has only run for part of an hour so far: average over the part that has passed.
            double seconds = i == 23 ? Math.max(1, Duration.between(from.plus(Duration.ofHours(23)), now).toSeconds())
                    : 3600;
            perHour[i] = ((Number) rows.get(i)[1]).doubleValue() / seconds;
        }
        List<?> state = em.createNativeQuery("select concurrency_quota from tenant_queue_state where tenant_id = :t")
                .setParameter("t", actor.tenantId()).getResultList();
        int quota = state.isEmpty() ? 2 : ((Number) state.get(0)).intValue();
        int running = (int) count(Run.Status.RUNNING);
        return new SlotUse(running, scheduler.slots(), quota, from, perHour);
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
