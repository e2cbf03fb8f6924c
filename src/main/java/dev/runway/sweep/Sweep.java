package dev.runway.sweep;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A hyperparameter sweep: what it varies, how, and its limits; its trials are {@link SweepTrial} rows. */
@Entity
@Table(name = "sweep")
@EntityListeners(TenantGuard.class)
public class Sweep {

    public enum Objective {
        VALIDATION_LOSS, VALIDATION_METRIC;

        public String label() {
            return this == VALIDATION_LOSS ? "validation loss" : "validation metric";
        }
    }

    public enum Status {
        RUNNING, FINISHED,
        /** The money cap stopped it: no more trials start, and the running ones were stopped. */
        CAPPED, CANCELLED;

        public boolean finished() {
            return this != RUNNING;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private Long projectId;

    @Column(name = "dataset_version_id", nullable = false, updatable = false)
    private Long datasetVersionId;

    @Column(nullable = false, updatable = false, length = 40)
    private String template;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false, length = 10)
    private SweepSpace.Method method;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false, length = 20)
    private Objective objective;

    @Column(nullable = false, updatable = false)
    private String space;

    @Column(nullable = false, updatable = false)
    private String base;

    @Column(name = "max_trials", nullable = false, updatable = false)
    private int maxTrials;

    @Column(nullable = false, updatable = false)
    private int parallel;

    @Column(nullable = false, updatable = false)
    private long seed;

    @Column(nullable = false, updatable = false)
    private int eta;

    @Column(name = "min_epochs", nullable = false, updatable = false)
    private int minEpochs;

    @Column(name = "cap_amount", nullable = false, updatable = false, precision = 14, scale = 6)
    private BigDecimal capAmount;

    @Column(nullable = false, updatable = false, length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)   // char(3) in the schema, blank-padded
    private String currency;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status;

    @Column(name = "stop_reason", length = 500)
    private String stopReason;

    @Column(name = "created_by", nullable = false, updatable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    /** What Auto saw in the data and why it chose the family (an {@link AutoPlan.Choice} as JSON); null otherwise. */
    @Column(updatable = false)
    private String auto;

    @Column(name = "time_limit_seconds", updatable = false)
    private Integer timeLimitSeconds;

    @Column(name = "model_version_id")
    private Long modelVersionId;

    protected Sweep() {}

    Sweep(long projectId, long datasetVersionId, String template, SweepSpace.Method method, Objective objective,
            String space, String base, int maxTrials, int parallel, long seed, int eta, int minEpochs,
            BigDecimal capAmount, String currency, long createdBy, Instant now) {
        this.projectId = projectId;
        this.datasetVersionId = datasetVersionId;
        this.template = template;
        this.method = method;
        this.objective = objective;
        this.space = space;
        this.base = base;
        this.maxTrials = maxTrials;
        this.parallel = parallel;
        this.seed = seed;
        this.eta = eta;
        this.minEpochs = minEpochs;
        this.capAmount = capAmount;
        this.currency = currency;
        this.status = Status.RUNNING;
        this.createdBy = createdBy;
        this.createdAt = now;
    }

    /** Marks the sweep as Auto's search, with its time limit (set before it is first persisted). */
    void auto(String choiceJson, Duration timeLimit) {
        this.auto = choiceJson;
        this.timeLimitSeconds = Math.toIntExact(timeLimit.toSeconds());
    }

    void registered(long modelVersionId) {
        this.modelVersionId = modelVersionId;
    }

    void end(Status status, String reason, Instant now) {
        this.status = status;
        this.stopReason = reason == null ? null : reason.length() > 500 ? reason.substring(0, 499) + "…" : reason;
        this.finishedAt = now;
    }

    public Long getId() {
        return id;
    }

    public Long getProjectId() {
        return projectId;
    }

    public Long getDatasetVersionId() {
        return datasetVersionId;
    }

    public String getTemplate() {
        return template;
    }

    public SweepSpace.Method getMethod() {
        return method;
    }

    public Objective getObjective() {
        return objective;
    }

    public String getSpace() {
        return space;
    }

    String getBase() {
        return base;
    }

    public int getMaxTrials() {
        return maxTrials;
    }

    public int getParallel() {
        return parallel;
    }

    public long getSeed() {
        return seed;
    }

    public int getEta() {
        return eta;
    }

    public int getMinEpochs() {
        return minEpochs;
    }

    public BigDecimal getCapAmount() {
        return capAmount;
    }

    public String getCurrency() {
        return currency;
    }

    public Status getStatus() {
        return status;
    }

    public String getStopReason() {
        return stopReason;
    }

    public Long getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public boolean isAuto() {
        return auto != null;
    }

    /** What Auto saw in the data and chose; empty for a sweep a person configured. */
    public Optional<AutoPlan.Choice> getAutoChoice() {
        return Optional.ofNullable(auto).map(json -> dev.runway.base.Json.read(json, AutoPlan.Choice.class));
    }

    /** Auto's time limit; empty for a sweep a person configured (it has only the money cap). */
    public Optional<Duration> getTimeLimit() {
        return Optional.ofNullable(timeLimitSeconds).map(Duration::ofSeconds);
    }

    /** When Auto's time is up. */
    public Optional<Instant> getDeadline() {
        return getTimeLimit().map(createdAt::plus);
    }

    /** The model version Auto registered as the project's candidate, once it ended with a best trial. */
    public Optional<Long> getModelVersionId() {
        return Optional.ofNullable(modelVersionId);
    }
}
