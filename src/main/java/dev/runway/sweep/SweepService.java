package dev.runway.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runway.base.BadInputException;
import dev.runway.base.Json;
import dev.runway.base.NotFoundException;
import dev.runway.billing.PlanService;
import dev.runway.base.Money;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.dataset.Preparation;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.training.Run;
import dev.runway.training.RunCharges;
import dev.runway.training.RunFinished;
import dev.runway.training.RunMetric;
import dev.runway.training.RunService;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Sweeps of the current tenant. A sweep's trials are made when it is created; each starts as an ordinary run (queued,
 * fair-shared, billed, within the company's quota) when there is room under "trials at once" and under the money cap.
 * What moves a sweep on is a trial's run ending ({@link RunFinished}: the trial's result is recorded inside the
 * transaction that ends the run, the next trials start once that has committed), so a sweep continues on whichever
 * node ends its runs.
 */
@ApplicationScoped
public class SweepService {

    private static final Logger LOG = Logger.getLogger(SweepService.class);
    public static final int MAX_TRIALS = 100;
    public static final int MAX_PARALLEL = 20;
    static final String ASHA_STOP = "Stopped early by ASHA";
    static final String CAP_STOP = "Stopped: the sweep's money cap";
    public static final String CANDIDATE = "candidate";

    /** What the API and the New sweep dialog send; nulls take the defaults. */
    public record Request(long datasetVersionId, Hyperparameters template, String method, int trials, int parallel,
            JsonNode parameters, String objective, BigDecimal capAmount, String currency, Long seed, Integer eta,
            Integer minEpochs) {}

    /** A trial as shown: its values, its run's status and cost, its objective. */
    public record TrialView(SweepTrial trial, Map<String, Object> parameters, Run.Status runStatus, Integer epochs,
            BigDecimal cost) {}

    /** A sweep as shown: its trials, money spent / estimated (spent + the rest of what is started or to start) / cap. */
    public record Details(Sweep sweep, List<TrialView> trials, BigDecimal spent, BigDecimal estimated,
            Optional<TrialView> best, boolean higherIsBetter) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    RunService runs;

    @Inject
    DatasetService datasets;

    @Inject
    PlanService plans;

    @Inject
    RunCharges metering;

    @Inject
    ModelService models;

    @Inject
    ModelLifecycle lifecycle;

    @Inject
    Clock clock;

    /** Checks everything, makes the trials and starts the first ones; refused as a whole when anything is wrong. */
    @Transactional
    public Sweep create(Request r) {
        return create(r, null, null);
    }

    /**
     * As {@link #create(Request)}; for Auto ({@code auto} not null) also with its choice and a time limit: no trial
     * starts after it, and running trials stop at it, as at the money cap.
     */
    @Transactional
    Sweep create(Request r, AutoPlan.Choice auto, Duration timeLimit) {
        Actor actor = access.require(Permission.MANAGE_PROJECTS);
        DatasetVersion version = datasets.version(r.datasetVersionId());
        if (r.template() == null || r.template().template() == null) {
            throw new BadInputException("template", "Choose a template");
        }
        SweepSpace.Method method = parse(SweepSpace.Method.class, r.method(), "method", "grid, random or asha");
        Sweep.Objective objective = r.objective() == null ? Sweep.Objective.VALIDATION_LOSS
                : parse(Sweep.Objective.class, r.objective().replaceAll("([a-z])([A-Z])", "$1_$2"), "objective",
                        "validationLoss or validationMetric");
        if (r.trials() < 1 || r.trials() > MAX_TRIALS) {
            throw new BadInputException("trials", "A sweep has from 1 to " + MAX_TRIALS + " trials");
        }
        if (r.parallel() < 1 || r.parallel() > MAX_PARALLEL) {
            throw new BadInputException("parallel", "Trials at once is from 1 to " + MAX_PARALLEL + " (the company's "
                    + "plan may run fewer at a time)");
        }
        String currency = plans.currency().getCurrencyCode();
        if (r.capAmount() == null || r.capAmount().signum() <= 0) {
            throw new BadInputException("budget", "Give a money cap above 0, e.g. 5 " + currency);
        }
        if (r.capAmount().scale() > 6 || r.capAmount().compareTo(new BigDecimal("99999999")) > 0) {
            throw new BadInputException("budget", "The cap has at most 6 decimals and 8 digits before the point");
        }
        if (r.currency() != null && !currency.equalsIgnoreCase(r.currency())) {
            throw new BadInputException("budget", "This company's compute is billed in " + currency
                    + ": give the cap in " + currency);
        }
        SweepSpace space = SweepSpace.parse(r.parameters());
        int eta = r.eta() == null ? 3 : r.eta();
        int minEpochs = r.minEpochs() == null ? 1 : r.minEpochs();
        if (method == SweepSpace.Method.ASHA) {
            if (space.varies("epochs")) {
                throw new BadInputException("parameters.epochs", "ASHA decides how many epochs each trial gets: set "
                        + "the most in the template's epochs instead of sweeping them");
            }
            if (eta < 2 || eta > 10) {
                throw new BadInputException("eta", "η (the share kept at each rung is 1/η) is from 2 to 10");
            }
            if (minEpochs < 1 || minEpochs >= r.template().epochs()) {
                throw new BadInputException("minEpochs", "The first rung comes after 1 to "
                        + (r.template().epochs() - 1) + " epochs (fewer than the template's " + r.template().epochs()
                        + ")");
            }
        }
        long seed = r.seed() == null ? clock.millis() : r.seed();
        List<Map<String, Object>> sets = space.trials(method, r.trials(), seed);
        for (Map<String, Object> set : sets) {
            runs.check(submission(r.datasetVersionId(), SweepSpace.apply(r.template(), set)));
        }
        long projectId = datasets.dataset(version.getDatasetId()).getProjectId();
        Sweep sweep = new Sweep(projectId, version.getId(), r.template().template().name(), method, objective,
                r.parameters().toString(), Json.write(r.template()), sets.size(), r.parallel(), seed, eta, minEpochs,
                r.capAmount(), currency, actor.userId(), clock.instant());
        if (auto != null) {
            sweep.auto(Json.write(auto), timeLimit);
        }
        em.persist(sweep);
        em.flush();
        for (int i = 0; i < sets.size(); i++) {
            em.persist(new SweepTrial(sweep.getId(), i + 1, Json.write(sets.get(i))));
        }
        em.flush();
        audit.record(auto == null ? "sweep.created" : "auto.started", "sweep " + sweep.getId(), null,
                method.name().toLowerCase(Locale.ROOT) + ", "
                + sets.size() + " trials of " + r.template().template().label() + ", cap "
                + money(r.capAmount(), sweep));
        advance(sweep);
        if (trials(sweep.getId()).stream().noneMatch(t -> t.getStatus() == SweepTrial.Status.RUNNING)) {
            // Nothing could start: the first trial alone passes the cap or a budget. Refuse rather than keep a sweep
            // that never ran.
            throw new BadInputException("budget", Optional.ofNullable(sweep.getStopReason())
                    .orElse("No trial fits the cap"));
        }
        return sweep;
    }

    /**
     * A trial's run has ended: records the trial's result, inside the transaction that ends the run. Nothing here may
     * refuse: a refusal would roll back the run's end. A trial already ended (a retried run of it, which
     * {@link RunService#retry} refuses anyway) keeps its result.
     */
    void onRunFinished(@Observes RunFinished event) {
        SweepTrial trial = trialOfRun(event.runId());
        if (trial == null || trial.getStatus() != SweepTrial.Status.RUNNING) {
            return;
        }
        Sweep sweep = em.find(Sweep.class, trial.getSweepId(), LockModeType.PESSIMISTIC_WRITE);
        Run run = runs.get(event.runId());
        Double objective = objective(sweep, event.runId()).orElse(null);
        switch (event.status()) {
            case SUCCEEDED -> trial.ended(SweepTrial.Status.SUCCEEDED, objective, null);
            case STOPPED -> trial.ended(run.getError() != null && run.getError().startsWith(ASHA_STOP)
                    ? SweepTrial.Status.PRUNED : SweepTrial.Status.STOPPED, objective, run.getError());
            case CANCELLED -> trial.ended(SweepTrial.Status.STOPPED, objective, "Cancelled");
            default -> trial.ended(SweepTrial.Status.FAILED, objective, run.getError());
        }
    }

    /**
     * Once the run's end is committed, starts the sweep's next trials in a transaction of their own: a next trial that
     * can no longer start (its dataset version's preparation changed, the plan or a budget refuses it) ends the sweep
     * with the reason instead of undoing the run's end. Nothing escapes: the run has ended whatever happens here.
     */
    void afterRunFinished(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunFinished event) {
        Long sweepId = null;
        try {
            sweepId = QuarkusTransaction.requiringNew().call(() -> {
                SweepTrial trial = trialOfRun(event.runId());
                return trial == null ? null : trial.getSweepId();
            });
            if (sweepId == null) {
                return;
            }
            long id = sweepId;
            QuarkusTransaction.requiringNew().run(() -> advance(em.find(Sweep.class, id,
                    LockModeType.PESSIMISTIC_WRITE)));
            registerAuto(id);
        } catch (RuntimeException e) {
            if (sweepId == null) {
                LOG.errorf(e, "Sweep of run %d: its next trials were not started", event.runId());
                return;
            }
            String reason = "Stopped: the next trial could not start: " + (e instanceof BadInputException
                    ? e.getMessage() : "an internal error (see the server log)");
            if (!(e instanceof BadInputException)) {
                LOG.errorf(e, "Sweep %d: its next trial could not start", sweepId);
            }
            long id = sweepId;
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    Sweep sweep = em.find(Sweep.class, id, LockModeType.PESSIMISTIC_WRITE);
                    if (sweep.getStatus() == Sweep.Status.RUNNING) {
                        sweep.end(Sweep.Status.CAPPED, reason, clock.instant());
                    }
                    advance(sweep);
                });
                registerAuto(id);
            } catch (RuntimeException again) {
                LOG.errorf(again, "Sweep %d could not be ended after: %s", id, reason);
            }
        }
    }

    /**
     * Once Auto's search has ended (finished, or at its time or money limit), registers its best trial's model: the
     * sweep names it (claimed under the sweep's lock, so it happens once whichever node ends the last trial), then the
     * project's alias "candidate" is pointed at it in a transaction of its own, so that a promotion rule refusing the
     * alias to this user leaves the model named on Auto's page (and the refusal in the log).
     */
    private void registerAuto(long sweepId) {
        try {
            registerAutoBest(sweepId);
        } catch (RuntimeException e) {
            // Not the next trial's failure: the search has ended as it has; its page shows no model.
            LOG.errorf(e, "Auto %d: its best model could not be registered", sweepId);
        }
    }

    private void registerAutoBest(long sweepId) {
        Optional<ModelVersion> best = QuarkusTransaction.requiringNew().call(() -> {
            Sweep sweep = em.find(Sweep.class, sweepId, LockModeType.PESSIMISTIC_WRITE);
            if (!sweep.isAuto() || !sweep.getStatus().finished() || sweep.getStatus() == Sweep.Status.CANCELLED
                    || sweep.getModelVersionId().isPresent()) {
                return Optional.<ModelVersion>empty();
            }
            Optional<ModelVersion> model = details(sweepId).best()
                    .flatMap(b -> models.forRun(b.trial().getRunId()));
            model.ifPresent(m -> sweep.registered(m.getId()));
            return model;
        });
        best.ifPresent(model -> {
            try {
                QuarkusTransaction.requiringNew().run(() -> lifecycle.setAlias(model.getId(), CANDIDATE,
                        "Best of Auto #" + sweepId + " (" + Template.labelOf(model.getTemplate()) + ")"));
            } catch (RuntimeException e) {
                LOG.warnf("Auto %d: version %d is its best model but could not be made “%s”: %s", sweepId,
                        model.getVersion(), CANDIDATE, e.getMessage());
            }
        });
    }

    /**
     * Starts trials while fewer than "trials at once" run and the next one's estimate still fits under the cap with
     * what the sweep has spent and what its running trials are expected to cost; ends the sweep when nothing is left.
     * Inside the caller's transaction, with the sweep's row locked, so two nodes never start the same trial; it may
     * refuse (a trial that no longer fits), so never inside the transaction that ends a run.
     */
    private void advance(Sweep sweep) {
        em.lock(sweep, LockModeType.PESSIMISTIC_WRITE);
        List<SweepTrial> trials = trials(sweep.getId());
        long running = trials.stream().filter(t -> t.getStatus() == SweepTrial.Status.RUNNING).count();
        if (sweep.getStatus() == Sweep.Status.RUNNING) {
            Hyperparameters base = Json.read(sweep.getBase(), Hyperparameters.class);
            for (SweepTrial next : trials) {
                if (running >= sweep.getParallel()) {
                    break;
                }
                if (next.getStatus() != SweepTrial.Status.PENDING) {
                    continue;
                }
                Optional<String> refused = timeUp(sweep).map(up -> up + ": trial " + next.getNumber()
                        + " and the ones after it did not start")
                        .or(() -> start(sweep, base, next, committed(trials)));
                if (refused.isPresent()) {
                    sweep.end(Sweep.Status.CAPPED, refused.get(), clock.instant());
                    break;
                }
                running++;
            }
        }
        if (sweep.getStatus() != Sweep.Status.RUNNING) {
            trials.stream().filter(t -> t.getStatus() == SweepTrial.Status.PENDING)
                    .forEach(t -> t.ended(SweepTrial.Status.SKIPPED, null, sweep.getStopReason()));
        }
        if (running == 0) {
            if (sweep.getStatus() == Sweep.Status.RUNNING) {
                sweep.end(Sweep.Status.FINISHED, null, clock.instant());
            } else if (sweep.getFinishedAt() == null) {
                sweep.end(sweep.getStatus(), sweep.getStopReason(), clock.instant());
            }
        }
    }

    /** Starts one trial, or says why it may not start (it is then skipped, and so are the rest). */
    private Optional<String> start(Sweep sweep, Hyperparameters base, SweepTrial trial, BigDecimal committed) {
        if (!access.can(Permission.MANAGE_PROJECTS)) {
            return Optional.of("Its creator may no longer start runs in this company");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = Json.read(trial.getParameters(), Map.class);
        RunService.Submission submission = submission(sweep.getDatasetVersionId(), SweepSpace.apply(base, values));
        RunCharges.Estimate estimate = runs.price(submission);
        BigDecimal cap = sweep.getCapAmount();
        // Unrounded: a short trial's estimate in cents is 0.00, which would fit under any cap.
        BigDecimal expected = estimate.exact();
        if (committed.add(expected).compareTo(cap) > 0) {
            return Optional.of("The money cap of " + money(cap, sweep) + " is reached: trial " + trial.getNumber()
                    + " (about " + money(expected, sweep) + ") would pass it with the "
                    + money(committed, sweep) + " spent and committed");
        }
        Optional<Duration> left = sweep.getDeadline().map(d -> Duration.between(clock.instant(), d));
        if (left.isPresent() && running(sweep) == 0 && left.get().toSeconds() < estimate.seconds()) {
            // Alone it would only be cut off; with trials running it starts, as they may end before its time.
            return Optional.of("Auto's time limit of " + minutes(sweep) + " leaves " + left.get().toSeconds()
                    + " s: trial " + trial.getNumber() + " (about " + estimate.seconds() + " s) would not finish");
        }
        // The budgets are asked without throwing: a refusal here must not undo the run that just ended.
        Optional<String> budget = metering.mustStop(sweep.getProjectId(), estimate.gpu(),
                estimate.seconds());
        if (budget.isPresent()) {
            return Optional.of("A compute budget or the plan has no room for trial " + trial.getNumber() + ": "
                    + budget.get().replaceFirst("^Stopped: ", ""));
        }
        Run run = runs.submit(submission);
        trial.started(run.getId(), expected.setScale(6, RoundingMode.HALF_UP));
        return Optional.empty();
    }

    /** Spent by ended trials, plus for each running one the larger of its cost so far and its estimate. */
    private BigDecimal committed(List<SweepTrial> trials) {
        BigDecimal sum = BigDecimal.ZERO;
        for (SweepTrial t : trials) {
            if (t.getRunId() == null) {
                continue;
            }
            BigDecimal cost = runs.cost(t.getRunId()).exact();
            sum = sum.add(t.getStatus() == SweepTrial.Status.RUNNING && t.getEstimate() != null
                    ? cost.max(t.getEstimate()) : cost);
        }
        return sum;
    }

    /**
     * Why a trial's run must stop now (asked by the executor every few seconds, see {@link SweepLimits}): the sweep
     * was cancelled or its spend has reached its cap. ASHA's rungs are judged at the end of an epoch instead.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<String> mustStop(long runId) {
        SweepTrial trial = trialOfRun(runId);
        if (trial == null || trial.getStatus() != SweepTrial.Status.RUNNING) {
            return Optional.empty();
        }
        Sweep sweep = em.find(Sweep.class, trial.getSweepId());
        if (sweep.getStatus() == Sweep.Status.CANCELLED) {
            return Optional.of("Stopped: the sweep was cancelled");
        }
        Optional<String> timeUp = timeUp(sweep);
        if (timeUp.isPresent()) {
            return Optional.of("Stopped: " + timeUp.get() + "; the trial keeps its last checkpoint");
        }
        BigDecimal spent = spent(trials(sweep.getId()));
        if (spent.compareTo(sweep.getCapAmount()) >= 0) {
            return Optional.of(CAP_STOP + " of " + money(sweep.getCapAmount(), sweep) + " is reached ("
                    + money(spent, sweep) + " spent); the trial keeps its last checkpoint");
        }
        return Optional.empty();
    }

    /**
     * Whether an ASHA trial is stopped at the end of epoch {@code epoch} (asked once per epoch, see
     * {@link SweepLimits}): at a rung, outside the top 1/η of the trials that have reached it so far. Judged only
     * there, so a trial let go on at a rung is not re-judged later against trials that reach the rung after it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<String> prunedAfterEpoch(long runId, int epoch) {
        SweepTrial trial = trialOfRun(runId);
        if (trial == null || trial.getStatus() != SweepTrial.Status.RUNNING) {
            return Optional.empty();
        }
        Sweep sweep = em.find(Sweep.class, trial.getSweepId());
        if (sweep.getMethod() != SweepSpace.Method.ASHA) {
            return Optional.empty();
        }
        int maxEpochs = Json.read(sweep.getBase(), Hyperparameters.class).epochs();
        if (!isRung(epoch, sweep.getMinEpochs(), sweep.getEta(), maxEpochs)) {
            return Optional.empty();
        }
        boolean higher = higherIsBetter(sweep);
        String column = sweep.getObjective() == Sweep.Objective.VALIDATION_LOSS ? "validation_loss"
                : "validation_metric";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select m.run_id, m." + column + " from run_metric m "
                        + "join sweep_trial t on t.run_id = m.run_id where t.sweep_id = :sweep and m.epoch = :epoch")
                .setParameter("sweep", sweep.getId()).setParameter("epoch", epoch).getResultList();
        double mine = rows.stream().filter(r -> ((Number) r[0]).longValue() == runId)
                .mapToDouble(r -> ((Number) r[1]).doubleValue()).findFirst().orElse(Double.NaN);
        if (Double.isNaN(mine)) {
            return Optional.empty();
        }
        long better = rows.stream().mapToDouble(r -> ((Number) r[1]).doubleValue())
                .filter(v -> higher ? v > mine : v < mine).count();
        int keep = Math.max(1, rows.size() / sweep.getEta());
        if (better + 1 <= keep) {
            return Optional.empty();
        }
        return Optional.of(ASHA_STOP + " at epoch " + epoch + ": its " + sweep.getObjective().label() + " "
                + String.format(Locale.ROOT, "%.4g", mine) + " ranks " + (better + 1) + " of the " + rows.size()
                + " trials that reached this rung; the top " + keep + " go on");
    }

    /** Why no more time is left for Auto's trials, once its time limit has passed. */
    private Optional<String> timeUp(Sweep sweep) {
        return sweep.getDeadline().filter(d -> !clock.instant().isBefore(d))
                .map(d -> "Auto's time limit of " + minutes(sweep) + " is reached");
    }

    private static String minutes(Sweep sweep) {
        long seconds = sweep.getTimeLimit().orElseThrow().toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    private long running(Sweep sweep) {
        return trials(sweep.getId()).stream().filter(t -> t.getStatus() == SweepTrial.Status.RUNNING).count();
    }

    /** Rungs at r, r·η, r·η², … epochs, below the most epochs a trial gets. */
    static boolean isRung(int epoch, int minEpochs, int eta, int maxEpochs) {
        for (long rung = minEpochs; rung < maxEpochs; rung *= eta) {
            if (rung == epoch) {
                return true;
            }
        }
        return false;
    }

    @Transactional
    public Details details(long sweepId) {
        access.require(Permission.READ);
        Sweep sweep = find(sweepId);
        List<SweepTrial> trials = trials(sweepId);
        List<TrialView> views = new ArrayList<>();
        BigDecimal spent = BigDecimal.ZERO;
        BigDecimal estimated = BigDecimal.ZERO;
        BigDecimal started = BigDecimal.ZERO;
        int startedCount = 0;
        for (SweepTrial t : trials) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = Json.read(t.getParameters(), Map.class);
            if (t.getRunId() == null) {
                views.add(new TrialView(t, values, null, null, null));
                continue;
            }
            Run run = runs.get(t.getRunId());
            BigDecimal cost = runs.cost(t.getRunId()).exact();
            spent = spent.add(cost);
            estimated = estimated.add(t.getStatus() == SweepTrial.Status.RUNNING && t.getEstimate() != null
                    ? cost.max(t.getEstimate()) : cost);
            if (t.getEstimate() != null) {
                started = started.add(t.getEstimate());
                startedCount++;
            }
            views.add(new TrialView(t, values, run.getStatus(), run.getEpoch(), cost));
        }
        long pending = trials.stream().filter(t -> t.getStatus() == SweepTrial.Status.PENDING).count();
        if (pending > 0 && startedCount > 0) {
            estimated = estimated.add(started.divide(BigDecimal.valueOf(startedCount), 6, RoundingMode.HALF_UP)
                    .multiply(BigDecimal.valueOf(pending)));
        }
        boolean higher = higherIsBetter(sweep);
        Comparator<TrialView> byObjective = Comparator.comparingDouble(v -> v.trial().getObjective());
        Optional<TrialView> best = views.stream()
                .filter(v -> v.trial().getStatus() == SweepTrial.Status.SUCCEEDED && v.trial().getObjective() != null)
                .min(higher ? byObjective.reversed() : byObjective);
        return new Details(sweep, views, spent, estimated, best, higher);
    }

    /** The currency the company is billed in: a sweep's cap is in it. */
    @Transactional
    public String currency() {
        access.require(Permission.READ);
        return plans.currency().getCurrencyCode();
    }

    @Transactional
    public List<Sweep> list(Long projectId) {
        access.require(Permission.READ);
        return em.createQuery("select s from Sweep s where (:p is null or s.projectId = :p) order by s.createdAt desc, "
                + "s.id desc", Sweep.class).setParameter("p", projectId).setMaxResults(200).getResultList();
    }

    /**
     * Stops the sweep: no more trials start, and its running trials stop at their next check, keeping checkpoints.
     * The sweep is marked cancelled and committed first, then each trial's run is cancelled in a transaction of its
     * own: a run ending locks its run and then the sweep, so holding the sweep while locking runs could deadlock.
     * Once the sweep is cancelled no trial starts, so the trials read then are all that may still run.
     */
    public void cancel(long sweepId) {
        List<Long> running = QuarkusTransaction.requiringNew().call(() -> {
            access.require(Permission.MANAGE_PROJECTS);
            Sweep sweep = find(sweepId);
            em.lock(sweep, LockModeType.PESSIMISTIC_WRITE);
            if (sweep.getStatus().finished()) {
                throw new BadInputException(null, "This sweep has already ended");
            }
            sweep.end(Sweep.Status.CANCELLED, "Cancelled", clock.instant());
            advance(sweep);
            audit.record("sweep.cancelled", "sweep " + sweepId, "RUNNING", "CANCELLED");
            return trials(sweepId).stream().filter(t -> t.getStatus() == SweepTrial.Status.RUNNING)
                    .map(SweepTrial::getRunId).toList();
        });
        // A queued trial ends at once (its end comes back through onRunFinished); a running one within seconds.
        for (long runId : running) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    if (!runs.get(runId).getStatus().finished()) {
                        runs.cancel(runId);
                    }
                });
            } catch (BadInputException e) {
                // It ended meanwhile: nothing to cancel.
            }
        }
    }

    /** Points the project's alias "candidate" at the model of the sweep's best trial. */
    @Transactional
    public ModelVersion registerBest(long sweepId) {
        Details details = details(sweepId);
        TrialView best = details.best().orElseThrow(() -> new BadInputException(null,
                "No trial has succeeded yet: there is no best model to register"));
        ModelVersion model = models.forRun(best.trial().getRunId()).orElseThrow(() -> new BadInputException(null,
                "The best trial's model is not registered (yet)"));
        lifecycle.setAlias(model.getId(), CANDIDATE, "Best trial (#" + best.trial().getNumber() + ") of sweep #"
                + sweepId + " by " + details.sweep().getObjective().label());
        return model;
    }

    private Optional<Double> objective(Sweep sweep, long runId) {
        List<RunMetric> metrics = runs.metrics(runId);
        if (metrics.isEmpty()) {
            return Optional.empty();
        }
        RunMetric last = metrics.get(metrics.size() - 1);
        return Optional.of(sweep.getObjective() == Sweep.Objective.VALIDATION_LOSS ? last.getValidationLoss()
                : last.getValidationMetric());
    }

    /** The validation metric is accuracy for classification (higher is better) and MSE for regression. */
    private boolean higherIsBetter(Sweep sweep) {
        return sweep.getObjective() == Sweep.Objective.VALIDATION_METRIC && datasets.preparation(
                sweep.getDatasetVersionId()).map(p -> p.task() != Preparation.TaskType.REGRESSION).orElse(true);
    }

    private BigDecimal spent(List<SweepTrial> trials) {
        BigDecimal sum = BigDecimal.ZERO;
        for (SweepTrial t : trials) {
            if (t.getRunId() != null) {
                sum = sum.add(runs.cost(t.getRunId()).exact());
            }
        }
        return sum;
    }

    /**
     * A trial runs under its sweep's money cap, which counts only trials under way: run again on its own it would
     * spend past the cap unseen.
     */
    Optional<String> refusesRetry(long runId) {
        return Optional.ofNullable(trialOfRun(runId)).map(t -> "This run is a trial of a sweep and cannot be retried "
                + "on its own: start a new sweep (or a run with its hyperparameters) instead");
    }

    private SweepTrial trialOfRun(long runId) {
        return em.createQuery("select t from SweepTrial t where t.runId = :run", SweepTrial.class)
                .setParameter("run", runId).getResultStream().findFirst().orElse(null);
    }

    private List<SweepTrial> trials(long sweepId) {
        return em.createQuery("select t from SweepTrial t where t.sweepId = :s order by t.number", SweepTrial.class)
                .setParameter("s", sweepId).getResultList();
    }

    private Sweep find(long sweepId) {
        return Optional.ofNullable(em.find(Sweep.class, sweepId)).orElseThrow(() -> new NotFoundException("Sweep"));
    }

    private static RunService.Submission submission(long datasetVersionId, Hyperparameters h) {
        return new RunService.Submission(datasetVersionId, h, "auto", 50);
    }

    /** Sweeps of short trials cost fractions of a cent: shown to 4 decimals below a cent, else as invoiced. */
    public static String money(BigDecimal amount, Sweep sweep) {
        java.util.Currency currency = java.util.Currency.getInstance(sweep.getCurrency());
        if (amount.signum() != 0 && amount.abs().compareTo(Money.smallest(currency)) < 0) {
            return String.format(Locale.ENGLISH, "%.4f %s", amount, currency.getCurrencyCode());
        }
        return Money.format(amount, currency);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field, String choices) {
        try {
            return Enum.valueOf(type, String.valueOf(value).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(field, "Choose " + choices);
        }
    }
}
