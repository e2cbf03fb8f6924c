package dev.runway.training;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One epoch of a run: losses and the task's metric (accuracy or MSE) on the training and validation splits. */
@Entity
@Table(name = "run_metric")
@EntityListeners(TenantGuard.class)
public class RunMetric {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "run_id", nullable = false, updatable = false)
    private Long runId;

    @Column(nullable = false)
    private int epoch;

    @Column(name = "train_loss", nullable = false)
    private double trainLoss;

    @Column(name = "validation_loss", nullable = false)
    private double validationLoss;

    @Column(name = "train_metric", nullable = false)
    private double trainMetric;

    @Column(name = "validation_metric", nullable = false)
    private double validationMetric;

    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    protected RunMetric() {}

    RunMetric(Long runId, int epoch, double trainLoss, double validationLoss, double trainMetric,
            double validationMetric, Instant recordedAt) {
        this.runId = runId;
        this.epoch = epoch;
        this.trainLoss = trainLoss;
        this.validationLoss = validationLoss;
        this.trainMetric = trainMetric;
        this.validationMetric = validationMetric;
        this.recordedAt = recordedAt;
    }

    public int getEpoch() {
        return epoch;
    }

    public double getTrainLoss() {
        return trainLoss;
    }

    public double getValidationLoss() {
        return validationLoss;
    }

    public double getTrainMetric() {
        return trainMetric;
    }

    public double getValidationMetric() {
        return validationMetric;
    }
}
