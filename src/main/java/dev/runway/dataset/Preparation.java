package dev.runway.dataset;

import java.util.List;

/**
 * How training reads a dataset version: the target and feature columns, the task, the train/validation/test split
 * (stratified by class for classification, reproducible by seed), missing values and standardisation.
 */
public record Preparation(
        String target,
        List<String> features,
        TaskType task,
        double trainRatio,
        double validationRatio,
        double testRatio,
        long seed,
        MissingValues missingValues,
        boolean standardize) {

    public enum TaskType { REGRESSION, CLASSIFICATION, TEXT_CLASSIFICATION }

    /** Drop rows with a missing value, or impute the training split's mean (numbers) or mode (categories). */
    public enum MissingValues { DROP_ROWS, IMPUTE }

    public static Preparation defaults(String target, List<String> features, TaskType task) {
        return new Preparation(target, features, task, 0.7, 0.1, 0.2, 42, MissingValues.IMPUTE,
                task != TaskType.TEXT_CLASSIFICATION);
    }
}
