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

/** One trial of a sweep: its parameter values, and once started the run that trains it. */
@Entity
@Table(name = "sweep_trial")
@EntityListeners(TenantGuard.class)
public class SweepTrial {

    public enum Status {
        PENDING, RUNNING, SUCCEEDED,
        /** Stopped early by ASHA: not in the top 1/η of the trials at a rung. */
        PRUNED,
        /** Stopped by the sweep's money cap (or a compute budget), behind its last checkpoint. */
        STOPPED, FAILED,
        /** Never started: the money cap, a budget or a cancel left no room for it. */
        SKIPPED;

        public boolean finished() {
            return this != PENDING && this != RUNNING;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "sweep_id", nullable = false, updatable = false)
    private Long sweepId;

    @Column(nullable = false, updatable = false)
    private int number;

    @Column(nullable = false, updatable = false)
    private String parameters;

    @Column(name = "run_id")
    private Long runId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status;

    @Column(precision = 14, scale = 6)
    private BigDecimal estimate;

    private Double objective;

    @Column(length = 500)
    private String note;

    protected SweepTrial() {}

    SweepTrial(long sweepId, int number, String parameters) {
        this.sweepId = sweepId;
        this.number = number;
        this.parameters = parameters;
        this.status = Status.PENDING;
    }

    void started(long runId, BigDecimal estimate) {
        this.runId = runId;
        this.estimate = estimate;
        this.status = Status.RUNNING;
    }

    void ended(Status status, Double objective, String note) {
        this.status = status;
        this.objective = objective;
        this.note = note == null ? null : note.length() > 500 ? note.substring(0, 499) + "…" : note;
    }

    public Long getId() {
        return id;
    }

    public Long getSweepId() {
        return sweepId;
    }

    public int getNumber() {
        return number;
    }

    public String getParameters() {
        return parameters;
    }

    public Long getRunId() {
        return runId;
    }

    public Status getStatus() {
        return status;
    }

    public BigDecimal getEstimate() {
        return estimate;
    }

    public Double getObjective() {
        return objective;
    }

    public String getNote() {
        return note;
    }
}
