package dev.runway.model;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.Happened;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Membership;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TeamService;
import dev.runway.tenancy.TenantContext;
import dev.runway.training.Run;
import dev.runway.training.RunResult;
import dev.runway.training.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The lifecycle of a project's model versions: stages (None → Staging → Production → Archived), aliases, promotion
 * rules with approvals and a metric gate, rollback, and the history that answers "what was in Production at T".
 *
 * <p>Every change of a project's lifecycle takes one transaction-scoped advisory lock per project first, so that
 * two promotions of one project run one after the other: the second sees the first's Production version and archives
 * it. The partial unique index {@code model_version_one_production_idx} (V13) is the wall behind that: even a change
 * that skipped the lock could not leave two versions in Production.
 */
@ApplicationScoped
public class ModelLifecycle {

    public static final int COMMENT_MAX = 1000;

    /** Lower-case letters, digits, '-' and '_', starting with a letter or digit: {@code champion}, {@code v2-canary}. */
    public static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    /** The advisory-lock namespace of lifecycle changes (the second key is the project). */
    private static final int LOCK_NAMESPACE = 0x4d4c4331;

    /** What a stage change came to: made at once ({@code pending} null), or a request waiting for approvals. */
    public record Outcome(ModelVersion version, StageRequest pending) {

        public boolean made() {
            return pending == null;
        }
    }

    /** A stage request as a page shows it. */
    public record Pending(StageRequest request, int version, String requester, List<String> approvers,
            boolean mayApprove, boolean mayReject) {}

    /** One line of the timeline. {@code fromVersion} is an alias's previous version; approvers name who approved. */
    public record TimelineEntry(LifecycleEvent event, int version, Integer fromVersion, String actor,
            List<String> approvers) {}

    /** The figures a gate reads: the latest succeeded evaluation's, or the version's own test metrics. */
    public record Figures(String source, Map<String, Double> metrics) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    ProjectService projects;

    @Inject
    TeamService team;

    @Inject
    RunService runs;

    @Inject
    Event<Happened> happened;

    // ---- rules -------------------------------------------------------------------------------------------------

    @Transactional
    public PromotionRules rules(long projectId) {
        access.require(Permission.READ);
        projects.get(projectId);
        return rulesOf(projectId);
    }

    /** Owners and admins (MANAGE_SETTINGS) set who may promote, how many approvals Production needs, and the gate. */
    @Transactional
    public PromotionRules saveRules(long projectId, PromotionRules rules) {
        Actor actor = access.require(Permission.MANAGE_SETTINGS);
        projects.get(projectId);
        check(rules);
        lock(projectId);
        PromotionRules before = rulesOf(projectId);
        PromotionRule row = em.find(PromotionRule.class, projectId);
        if (row == null) {
            row = new PromotionRule(projectId);
            row.set(rules, actor.userId(), clock.instant());
            em.persist(row);
        } else {
            row.set(rules, actor.userId(), clock.instant());
        }
        audit.record("model.rules_changed", "promotion rules of project " + projectId, describe(before),
                describe(rules));
        return rules;
    }

    private static void check(PromotionRules rules) {
        if (rules.stagingRoles().isEmpty()) {
            throw new BadInputException("stagingRoles", "Choose at least one role that may move versions to Staging");
        }
        if (rules.productionRoles().isEmpty()) {
            throw new BadInputException("productionRoles",
                    "Choose at least one role that may move versions to Production");
        }
        if (rules.approvalsRequired() < 0 || rules.approvalsRequired() > PromotionRules.APPROVALS_MAX) {
            throw new BadInputException("approvalsRequired", "Approvals must be between 0 and "
                    + PromotionRules.APPROVALS_MAX);
        }
        PromotionRules.Gate gate = rules.gate();
        if (gate != null) {
            if (gate.metric().isEmpty() || gate.metric().length() > 64 || !gate.metric().matches("[a-z0-9_]+")) {
                throw new BadInputException("gateMetric", "Name the gate's metric as the versions store it, e.g. "
                        + "accuracy, f1, mse, r2");
            }
            if (gate.operator() == null) {
                throw new BadInputException("gateOperator", "Choose ≥ or ≤ for the gate");
            }
            if (!Double.isFinite(gate.threshold())) {
                throw new BadInputException("gateThreshold", "The gate's threshold must be a number");
            }
        }
    }

    private static String describe(PromotionRules r) {
        return "staging " + r.stagingRoles() + ", production " + r.productionRoles() + ", approvals "
                + r.approvalsRequired() + (r.gate() == null ? ", no gate" : ", gate " + r.gate());
    }

    private PromotionRules rulesOf(long projectId) {
        PromotionRule row = em.find(PromotionRule.class, projectId);
        return row == null ? PromotionRules.DEFAULTS : row.rules();
    }

    // ---- stage changes -----------------------------------------------------------------------------------------

    /**
     * Moves a version to {@code target}, or asks for approvals when the project's rules want them for Production.
     * A move to Production archives the version that was there, in this transaction.
     */
    @Transactional
    public Outcome changeStage(long versionId, ModelStage target, String comment) {
        access.require(Permission.READ);
        String why = comment(comment);
        if (target == null) {
            throw new BadInputException("stage", "Choose a stage: NONE, STAGING, PRODUCTION or ARCHIVED");
        }
        ModelVersion version = lockedVersion(versionId);
        PromotionRules rules = rulesOf(version.getProjectId());
        Actor actor = requireRole(rules, version, target);
        if (version.getStage() == target) {
            throw new BadInputException("stage", "Version " + version.getVersion() + " is already in "
                    + target.label());
        }
        if (target == ModelStage.PRODUCTION) {
            checkGate(rules, version);
            if (rules.approvalsRequired() > 0) {
                return new Outcome(version, request(version, target, rules, actor, why));
            }
        }
        apply(version, target, actor.userId(), actor.userId(), null, why);
        return new Outcome(version, null);
    }

    /**
     * One approval of the version's pending request, by a member whose role may make that move and who did not ask
     * for it. The approval that completes the count makes the change, in this transaction.
     */
    @Transactional
    public Outcome approve(long versionId, String comment) {
        access.require(Permission.READ);
        String why = comment(comment);
        ModelVersion version = lockedVersion(versionId);
        StageRequest request = pendingOf(version).orElseThrow(() -> new BadInputException(null,
                "Version " + version.getVersion() + " has no pending request to approve"));
        PromotionRules rules = rulesOf(version.getProjectId());
        Actor actor = requireDecider(rules, request, "approve");
        if (request.getRequestedBy() == actor.userId()) {
            throw new AccessDeniedException("You asked for this change: another member must approve it");
        }
        List<StageApproval> approvals = approvalsOf(request.getId());
        if (approvals.stream().anyMatch(a -> a.getApproverId() == actor.userId())) {
            throw new BadInputException(null, "You have already approved this request");
        }
        em.persist(new StageApproval(request.getId(), actor.userId(), why, clock.instant()));
        audit.record("model.approved", label(version), request.getTargetStage().name(), why);
        if (approvals.size() + 1 < request.getApprovalsRequired()) {
            return new Outcome(version, request);
        }
        if (request.getTargetStage() == ModelStage.PRODUCTION) {
            checkGate(rules, version);
        }
        request.decide(StageRequest.Status.APPROVED, actor.userId(), why, clock.instant());
        if (version.getStage() != request.getTargetStage()) {
            apply(version, request.getTargetStage(), request.getRequestedBy(), actor.userId(), request,
                    request.getComment());
        }
        return new Outcome(version, null);
    }

    /** Turns the version's pending request down: an approver's "no", or the requester withdrawing it. */
    @Transactional
    public void reject(long versionId, String comment) {
        access.require(Permission.READ);
        String why = comment(comment);
        ModelVersion version = lockedVersion(versionId);
        StageRequest request = pendingOf(version).orElseThrow(() -> new BadInputException(null,
                "Version " + version.getVersion() + " has no pending request to reject"));
        Actor actor = TenantContext.current().orElseThrow();
        if (request.getRequestedBy() != actor.userId()) {
            requireDecider(rulesOf(version.getProjectId()), request, "reject");
        }
        request.decide(StageRequest.Status.REJECTED, actor.userId(), why, clock.instant());
        audit.record("model.request_rejected", label(version), request.getTargetStage().name(), why);
    }

    /**
     * Puts the version that was in Production before the current one back into Production (the current one is
     * archived): a new change of its own, with its comment, by a member who may move versions to Production. It
     * needs no approvals and passes no gate: that version went through both when it was first promoted, and a
     * rollback is what a team reaches for when Production is on fire.
     */
    @Transactional
    public ModelVersion rollback(long projectId, String comment) {
        access.require(Permission.READ);
        String why = comment(comment);
        projects.get(projectId);
        lock(projectId);
        Optional<ModelVersion> current = currentProduction(projectId);
        ModelVersion previous = previousProduction(projectId, current.map(ModelVersion::getId).orElse(null))
                .orElseThrow(() -> new BadInputException(null, "No earlier Production version to roll back to"));
        Actor actor = requireRole(rulesOf(projectId), previous, ModelStage.PRODUCTION);
        apply(previous, ModelStage.PRODUCTION, actor.userId(), actor.userId(), null, "Rollback: " + why);
        audit.record("model.rolled_back", "project " + projectId,
                current.map(v -> "v" + v.getVersion()).orElse(null), "v" + previous.getVersion());
        return previous;
    }

    /** The version a rollback would bring back, if there is one. */
    @Transactional
    public Optional<ModelVersion> rollbackTarget(long projectId) {
        access.require(Permission.READ);
        return previousProduction(projectId, currentProduction(projectId).map(ModelVersion::getId).orElse(null));
    }

    // ---- aliases -----------------------------------------------------------------------------------------------

    /** Points {@code name} at this version (moving it from another version of the project, if it had one). */
    @Transactional
    public ModelAlias setAlias(long versionId, String name, String comment) {
        access.require(Permission.READ);
        String alias = aliasName(name);
        String why = comment(comment);
        ModelVersion version = lockedVersion(versionId);
        Actor actor = requireRole(rulesOf(version.getProjectId()), version, ModelStage.STAGING);
        Instant now = clock.instant();
        ModelAlias row = em.createQuery("select a from ModelAlias a where a.projectId = :p and a.name = :n",
                        ModelAlias.class).setParameter("p", version.getProjectId()).setParameter("n", alias)
                .getResultStream().findFirst().orElse(null);
        Long from = row == null ? null : row.getModelVersionId();
        if (version.getId().equals(from)) {
            throw new BadInputException("alias", "“" + alias + "” already points at version " + version.getVersion());
        }
        if (row == null) {
            row = new ModelAlias(version.getProjectId(), alias, version.getId(), actor.userId(), now);
            em.persist(row);
        } else {
            row.moveTo(version.getId(), actor.userId(), now);
        }
        em.persist(LifecycleEvent.alias(version, alias, from, actor.userId(), why, now));
        Integer fromVersion = from == null ? null : em.find(ModelVersion.class, from).getVersion();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("versionId", version.getId());
        facts.put("version", version.getVersion());
        facts.put("projectId", version.getProjectId());
        facts.put("alias", alias);
        if (from != null) {
            facts.put("fromVersionId", from);
            facts.put("fromVersion", fromVersion);
        }
        facts.put("comment", why);
        String label = label(version);
        happened.fire(new Happened(actor.tenantId(), Happened.Kind.MODEL_ALIAS_MOVED, version.getProjectId(),
                subject(version, label), actor.userId(), "Alias “" + alias + "” now points at " + label
                + (fromVersion == null ? "" : " (was v" + fromVersion + ")"), null, facts));
        audit.record("model.alias_moved", label, fromVersion == null ? null : alias + " → v" + fromVersion,
                alias + " → v" + version.getVersion());
        return row;
    }

    /** Each version's aliases (sorted), for the versions given; versions without one are left out. */
    @Transactional
    public Map<Long, List<String>> aliases(Collection<Long> versionIds) {
        access.require(Permission.READ);
        if (versionIds.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("select a from ModelAlias a where a.modelVersionId in :ids order by a.name",
                        ModelAlias.class).setParameter("ids", versionIds).getResultStream()
                .collect(Collectors.groupingBy(ModelAlias::getModelVersionId, LinkedHashMap::new,
                        Collectors.mapping(ModelAlias::getName, Collectors.toList())));
    }

    @Transactional
    public List<String> aliases(long versionId) {
        return aliases(List.of(versionId)).getOrDefault(versionId, List.of());
    }

    // ---- reading the history -----------------------------------------------------------------------------------

    /**
     * The version that was in Production at {@code at}, from the history: the latest change into or out of
     * Production at or before that instant decides (none before the first promotion).
     */
    @Transactional
    public Optional<ModelVersion> productionAt(long projectId, Instant at) {
        access.require(Permission.READ);
        return em.createQuery("""
                        select e from LifecycleEvent e
                        where e.projectId = :p and e.kind = :kind and e.occurredAt <= :at
                          and (e.toStage = :production or e.fromStage = :production)
                        order by e.occurredAt desc, e.id desc""", LifecycleEvent.class)
                .setParameter("p", projectId).setParameter("kind", LifecycleEvent.Kind.STAGE)
                .setParameter("at", at).setParameter("production", ModelStage.PRODUCTION)
                .setMaxResults(1).getResultStream().findFirst()
                .filter(e -> e.getToStage() == ModelStage.PRODUCTION)
                .map(e -> em.find(ModelVersion.class, e.getModelVersionId()));
    }

    /** The version in Production now (the stage column, which the history agrees with). */
    @Transactional
    public Optional<ModelVersion> production(long projectId) {
        access.require(Permission.READ);
        return currentProduction(projectId);
    }

    /** The project's stage changes and alias moves, newest first. */
    @Transactional
    public List<TimelineEntry> timeline(long projectId) {
        access.require(Permission.READ);
        List<LifecycleEvent> events = em.createQuery("select e from LifecycleEvent e where e.projectId = :p"
                + " order by e.occurredAt desc, e.id desc", LifecycleEvent.class).setParameter("p", projectId)
                .setMaxResults(500).getResultList();
        Map<Long, Integer> versions = versionNumbers(projectId);
        Map<Long, String> names = memberNames();
        Set<Long> requestIds = events.stream().map(LifecycleEvent::getRequestId).filter(id -> id != null)
                .collect(Collectors.toSet());
        Map<Long, List<String>> approvers = requestIds.isEmpty() ? Map.of() : em.createQuery(
                        "select a from StageApproval a where a.requestId in :ids order by a.createdAt", StageApproval.class)
                .setParameter("ids", requestIds).getResultStream()
                .collect(Collectors.groupingBy(StageApproval::getRequestId,
                        Collectors.mapping(a -> name(names, a.getApproverId()), Collectors.toList())));
        return events.stream().map(e -> new TimelineEntry(e, versions.getOrDefault(e.getModelVersionId(), 0),
                e.getFromVersionId() == null ? null : versions.get(e.getFromVersionId()),
                name(names, e.getActorId()), e.getRequestId() == null ? List.of()
                        : approvers.getOrDefault(e.getRequestId(), List.of()))).toList();
    }

    /** The version's pending request, if it has one, with what the current member may do about it. */
    @Transactional
    public Optional<Pending> pending(long versionId) {
        Actor actor = access.require(Permission.READ);
        ModelVersion version = find(versionId);
        return pendingOf(version).map(request -> {
            Map<Long, String> names = memberNames();
            List<StageApproval> approvals = approvalsOf(request.getId());
            boolean decider = holds(rulesOf(version.getProjectId()).rolesFor(request.getTargetStage()), actor);
            boolean mine = request.getRequestedBy() == actor.userId();
            boolean approved = approvals.stream().anyMatch(a -> a.getApproverId() == actor.userId());
            return new Pending(request, version.getVersion(), name(names, request.getRequestedBy()),
                    approvals.stream().map(a -> name(names, a.getApproverId())).toList(),
                    decider && !mine && !approved, decider || mine);
        });
    }

    /** The company's pending requests, by version id: for lists. */
    @Transactional
    public Map<Long, StageRequest> pendingByVersion() {
        access.require(Permission.READ);
        return em.createQuery("select r from StageRequest r where r.status = :s", StageRequest.class)
                .setParameter("s", StageRequest.Status.PENDING).getResultStream()
                .collect(Collectors.toMap(StageRequest::getModelVersionId, Function.identity()));
    }

    /** Whether the current member's role may move this version to {@code target} (for views; services check). */
    @Transactional
    public boolean mayMove(long versionId, ModelStage target) {
        Actor actor = access.require(Permission.READ);
        ModelVersion version = find(versionId);
        PromotionRules rules = rulesOf(version.getProjectId());
        return holds(rules.rolesFor(target), actor) && (version.getStage() != ModelStage.PRODUCTION
                || holds(rules.productionRoles(), actor));
    }

    /** The figures the project's gate reads for this version. */
    @Transactional
    public Figures figures(long versionId) {
        access.require(Permission.READ);
        return figuresOf(find(versionId));
    }

    // ---- the work ----------------------------------------------------------------------------------------------

    /**
     * Makes the change and records it; a move to Production first archives the version that was there (its row is
     * flushed first: the partial unique index allows no moment with two).
     */
    private void apply(ModelVersion version, ModelStage target, long requestedBy, long actorId, StageRequest request,
            String comment) {
        Instant now = clock.instant();
        long tenantId = access.require(Permission.READ).tenantId();
        String label = label(version);
        if (target == ModelStage.PRODUCTION) {
            Optional<ModelVersion> current = currentProduction(version.getProjectId())
                    .filter(v -> !v.getId().equals(version.getId()));
            if (current.isPresent()) {
                ModelVersion old = current.get();
                old.setStage(ModelStage.ARCHIVED);
                em.persist(LifecycleEvent.stage(old, ModelStage.PRODUCTION, ModelStage.ARCHIVED, requestedBy,
                        request == null ? null : request.getId(), comment, now));
                em.flush();
                fireStage(tenantId, old, label(old), ModelStage.PRODUCTION, ModelStage.ARCHIVED, actorId,
                        requestedBy, request, comment, "archived: v" + version.getVersion() + " went to Production");
            }
        }
        ModelStage from = version.getStage();
        version.setStage(target);
        em.persist(LifecycleEvent.stage(version, from, target, requestedBy, request == null ? null : request.getId(),
                comment, now));
        try {
            em.flush();
        } catch (ConstraintViolationException e) {
            // Only a change that bypassed the project's lock (a hand-written update) can get here.
            if (e.getConstraintName() != null && e.getConstraintName().contains("one_production")) {
                throw new BadInputException("stage", "Another version of this project went into Production at "
                        + "the same moment; nothing was changed. Reload and try again.");
            }
            throw e;
        }
        fireStage(tenantId, version, label, from, target, actorId, requestedBy, request, comment,
                "moved from " + from.label() + " to " + target.label());
        audit.record("model.stage_changed", label, from.name(), target.name());
    }

    private void fireStage(long tenantId, ModelVersion version, String label, ModelStage from, ModelStage to,
            long actorId, long requestedBy, StageRequest request, String comment, String what) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("versionId", version.getId());
        facts.put("version", version.getVersion());
        facts.put("projectId", version.getProjectId());
        facts.put("from", from.name());
        facts.put("to", to.name());
        facts.put("comment", comment);
        String summary = label + " " + what;
        Set<Long> addressed = Set.of();
        if (request != null) {
            Map<Long, String> names = memberNames();
            List<StageApproval> approvals = approvalsOf(request.getId());
            facts.put("requestId", request.getId());
            facts.put("requestedBy", requestedBy);
            facts.put("approvedBy", approvals.stream().map(StageApproval::getApproverId).toList());
            summary += " (requested by " + name(names, requestedBy) + ", approved by " + approvals.stream()
                    .map(a -> name(names, a.getApproverId())).collect(Collectors.joining(", ")) + ")";
            addressed = Set.of(requestedBy);
        }
        happened.fire(new Happened(tenantId, Happened.Kind.MODEL_STAGE_CHANGED, version.getProjectId(),
                subject(version, label), actorId, summary, addressed, facts));
    }

    private StageRequest request(ModelVersion version, ModelStage target, PromotionRules rules, Actor actor,
            String comment) {
        if (pendingOf(version).isPresent()) {
            throw new BadInputException("stage", "A request for version " + version.getVersion()
                    + " is already waiting for approval");
        }
        StageRequest request = new StageRequest(version, target, rules.approvalsRequired(), actor.userId(), comment,
                clock.instant());
        em.persist(request);
        em.flush();
        Set<Long> approvers = team.members().stream()
                .filter(m -> rules.rolesFor(target).contains(m.getRole()))
                .map(m -> m.getUser().getId()).filter(id -> id != actor.userId()).collect(Collectors.toSet());
        String label = label(version);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("requestId", request.getId());
        facts.put("versionId", version.getId());
        facts.put("version", version.getVersion());
        facts.put("projectId", version.getProjectId());
        facts.put("from", version.getStage().name());
        facts.put("to", target.name());
        facts.put("approvalsRequired", rules.approvalsRequired());
        facts.put("comment", comment);
        happened.fire(new Happened(actor.tenantId(), Happened.Kind.MODEL_APPROVAL_REQUESTED, version.getProjectId(),
                subject(version, label), actor.userId(), name(memberNames(), actor.userId()) + " asks to move "
                + label + " to " + target.label() + " (" + rules.approvalsRequired() + " approval"
                + (rules.approvalsRequired() == 1 ? "" : "s") + " needed)", approvers, facts));
        audit.record("model.stage_requested", label, version.getStage().name(), target.name());
        return request;
    }

    /** Refuses a move whose gate the version fails, naming the figure and the gate. */
    private void checkGate(PromotionRules rules, ModelVersion version) {
        PromotionRules.Gate gate = rules.gate();
        if (gate == null) {
            return;
        }
        Figures figures = figuresOf(version);
        Double value = figures.metrics().get(gate.metric());
        if (value == null) {
            throw new BadInputException("stage", "Version " + version.getVersion() + " has no " + metric(gate.metric())
                    + " figure (" + figures.source().toLowerCase(Locale.ROOT) + " metrics), which this project's "
                    + "gate (" + gate + ") needs");
        }
        if (!gate.passes(value)) {
            throw new BadInputException("stage", figures.source() + " " + metric(gate.metric()) + " is "
                    + figure(value) + ", " + gate.failing() + " this project's gate of " + gate.operator().symbol()
                    + " " + figure(gate.threshold()));
        }
    }

    private Figures figuresOf(ModelVersion version) {
        Optional<Run> evaluation = version.isImported() ? runs.latestEvaluationOfImported(version.getId())
                : runs.latestEvaluation(version.getRunId());
        if (evaluation.isPresent()) {
            // An unreadable result counts as no evaluation: the version's own test metrics decide.
            Map<String, Double> metrics = new TreeMap<>(evaluation.get().result().map(RunResult::metrics)
                    .orElse(Map.of()));
            if (!metrics.isEmpty()) {
                return new Figures("Evaluation (run #" + evaluation.get().getId() + ", dataset version #"
                        + evaluation.get().getDatasetVersionId() + ")", metrics);
            }
        }
        return new Figures("Test", ModelService.metrics(version));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Serialises every lifecycle change of one project (released at commit or rollback). */
    private void lock(long projectId) {
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(:ns, hashtext(cast(:p as text)))) l")
                .setParameter("ns", LOCK_NAMESPACE).setParameter("p", projectId).getSingleResult();
    }

    /** The version, read after its project's lifecycle lock is held (so its stage is the committed one). */
    private ModelVersion lockedVersion(long versionId) {
        Long projectId = em.createQuery("select m.projectId from ModelVersion m where m.id = :id", Long.class)
                .setParameter("id", versionId).getResultStream().findFirst()
                .orElseThrow(() -> new NotFoundException("Model version"));
        lock(projectId);
        ModelVersion version = em.find(ModelVersion.class, versionId);
        em.refresh(version);
        return version;
    }

    private ModelVersion find(long versionId) {
        return Optional.ofNullable(em.find(ModelVersion.class, versionId))
                .orElseThrow(() -> new NotFoundException("Model version"));
    }

    private Optional<ModelVersion> currentProduction(long projectId) {
        return em.createQuery("select m from ModelVersion m where m.projectId = :p and m.stage = :s",
                        ModelVersion.class).setParameter("p", projectId).setParameter("s", ModelStage.PRODUCTION)
                .getResultStream().findFirst();
    }

    private Optional<ModelVersion> previousProduction(long projectId, Long currentId) {
        return em.createQuery("""
                        select e.modelVersionId from LifecycleEvent e
                        where e.projectId = :p and e.kind = :kind and e.toStage = :production
                        order by e.occurredAt desc, e.id desc""", Long.class)
                .setParameter("p", projectId).setParameter("kind", LifecycleEvent.Kind.STAGE)
                .setParameter("production", ModelStage.PRODUCTION).setMaxResults(50).getResultStream()
                .filter(id -> !id.equals(currentId)).findFirst().map(id -> em.find(ModelVersion.class, id));
    }

    private Optional<StageRequest> pendingOf(ModelVersion version) {
        return em.createQuery("select r from StageRequest r where r.modelVersionId = :v and r.status = :s",
                        StageRequest.class).setParameter("v", version.getId())
                .setParameter("s", StageRequest.Status.PENDING).getResultStream().findFirst();
    }

    private List<StageApproval> approvalsOf(long requestId) {
        return em.createQuery("select a from StageApproval a where a.requestId = :r order by a.createdAt, a.id",
                StageApproval.class).setParameter("r", requestId).getResultList();
    }

    /**
     * The actor, when their role (and an API key's role, if they came with one) is among the roles the project lets
     * move versions to {@code target}; taking a version out of Production needs a Production role too.
     */
    private Actor requireRole(PromotionRules rules, ModelVersion version, ModelStage target) {
        Actor actor = access.require(Permission.READ);
        Set<Role> allowed = rules.rolesFor(target);
        String where = target.label();
        if (version.getStage() == ModelStage.PRODUCTION && target != ModelStage.PRODUCTION) {
            allowed = new HashSet<>(allowed);
            allowed.retainAll(rules.productionRoles());
            where = "out of Production";
        }
        if (!holds(allowed, actor)) {
            throw new AccessDeniedException("Your role (" + roleLabel(actor) + ") may not move versions of this "
                    + "project " + (where.startsWith("out") ? where : "to " + where) + "; this project's rules allow "
                    + allowed.stream().map(Role::label).collect(Collectors.joining(", ")));
        }
        return actor;
    }

    private Actor requireDecider(PromotionRules rules, StageRequest request, String verb) {
        Actor actor = access.require(Permission.READ);
        Set<Role> allowed = rules.rolesFor(request.getTargetStage());
        if (!holds(allowed, actor)) {
            throw new AccessDeniedException("Your role (" + roleLabel(actor) + ") may not " + verb + " moves to "
                    + request.getTargetStage().label() + "; this project's rules allow "
                    + allowed.stream().map(Role::label).collect(Collectors.joining(", ")));
        }
        return actor;
    }

    private boolean holds(Set<Role> allowed, Actor actor) {
        Optional<Role> role = access.currentRole();
        return role.isPresent() && allowed.contains(role.get())
                && (actor.keyRole() == null || allowed.contains(actor.keyRole()));
    }

    private String roleLabel(Actor actor) {
        String member = access.currentRole().map(Role::label).orElse("none");
        return actor.keyRole() == null ? member : member + "; this API key's: " + actor.keyRole().label();
    }

    private Map<Long, Integer> versionNumbers(long projectId) {
        return em.createQuery("select m.id, m.version from ModelVersion m where m.projectId = :p", Object[].class)
                .setParameter("p", projectId).getResultStream()
                .collect(Collectors.toMap(r -> (Long) r[0], r -> (Integer) r[1]));
    }

    private Map<Long, String> memberNames() {
        return team.members().stream().collect(Collectors.toMap(m -> m.getUser().getId(),
                (Membership m) -> m.getUser().getDisplayName(), (a, b) -> a));
    }

    private static String name(Map<Long, String> names, Long userId) {
        return names.getOrDefault(userId, "a former member");
    }

    private String label(ModelVersion version) {
        return projects.get(version.getProjectId()).getName() + " v" + version.getVersion();
    }

    private static Happened.Subject subject(ModelVersion version, String label) {
        return new Happened.Subject(Happened.Subject.Type.MODEL_VERSION, version.getId(), label);
    }

    private static String comment(String comment) {
        return Text.required("comment", "A comment (why)", comment, COMMENT_MAX);
    }

    private static String aliasName(String name) {
        String alias = name == null ? "" : name.strip();
        if (!ALIAS.matcher(alias).matches()) {
            throw new BadInputException("alias", "An alias is 1–32 lower-case letters, digits, '-' or '_', starting "
                    + "with a letter or digit, e.g. champion");
        }
        return alias;
    }

    /** A metric's name in a sentence: "accuracy", "MSE", "R²". */
    static String metric(String key) {
        return switch (key) {
            case "mse", "mae", "f1" -> key.toUpperCase(Locale.ROOT);
            case "r2" -> "R²";
            default -> key.replace('_', ' ');
        };
    }

    /** A figure with at most 6 significant digits and no trailing zeros: 0.912, 0.95, 1200. */
    static String figure(double value) {
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
