package dev.runway.training.engine;

/**
 * One epoch's figures. {@code trainMetric}/{@code validationMetric} are accuracy for classification and MSE for
 * regression.
 */
public record EpochMetrics(int epoch, double trainLoss, double validationLoss, double trainMetric,
        double validationMetric, long samples, double seconds) {}
