package dev.runway.dataset;

import dev.runway.base.BadInputException;
import java.util.List;
import java.util.stream.Collectors;

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

    /**
     * How many of a group's {@code n} rows go to train, validation and test: the one rounding rule of the split
     * (applied to each class on its own when classifying), shared by training and by the checks below.
     */
    public int[] splitSizes(int n) {
        int nTrain = (int) Math.round(n * trainRatio);
        int nValidation = Math.min(n - nTrain, (int) Math.round(n * validationRatio));
        if (testRatio == 0) {
            nValidation = n - nTrain;
        }
        return new int[] {nTrain, nValidation, n - nTrain - nValidation};
    }

    /**
     * Refuses a split that would leave the test set empty, or the validation set empty although a validation share
     * was asked for, with the rows of {@code profile} (rows without a target are left out, as training does). A
     * model's metrics come from its test rows: an empty test set would register a model measured on nothing. Only a
     * validation share of 0 may leave validation empty on purpose (the training loss then picks the best epoch).
     */
    public void checkSplit(CsvProfile profile) {
        if (testRatio <= 0) {
            throw new BadInputException("testRatio", "The test share must be more than 0: a trained model is "
                    + "measured on the test rows");
        }
        ColumnProfile column = profile.column(target).orElse(null);
        if (column == null) {
            return;
        }
        long rows = profile.rows() - column.missing();
        List<ColumnProfile.ValueCount> classes = column.topValues();
        boolean perClass = task != TaskType.REGRESSION && !column.distinctCapped()
                && classes.size() == column.distinct();
        List<Long> groups = perClass ? classes.stream().map(ColumnProfile.ValueCount::count).toList()
                : List.of(rows);
        int validation = 0;
        int test = 0;
        for (long group : groups) {
            int[] sizes = splitSizes((int) Math.min(Integer.MAX_VALUE, group));
            validation += sizes[1];
            test += sizes[2];
        }
        String split = perClass ? " (split class by class: " + classes.stream()
                .map(c -> c.count() + " “" + c.value() + "”").collect(Collectors.joining(", ")) + ")" : "";
        if (validationRatio > 0 && validation == 0) {
            throw new BadInputException("validationRatio", "With " + rows + " rows" + split + ", a validation share "
                    + "of " + validationRatio + " leaves no row for validation: raise it, add rows, or set it to 0 to "
                    + "train without validation");
        }
        if (test == 0) {
            throw new BadInputException("testRatio", "With " + rows + " rows" + split + ", a test share of "
                    + testRatio + " leaves no row to test the model on: raise it or add rows");
        }
    }

    /** E.g. "target species · 4 features · classification · split 70/10/20 · seed 42 · missing imputed · standardised". */
    public String describe() {
        return "target " + target + " · " + features.size() + (features.size() == 1 ? " feature" : " features") + " · "
                + task.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " · split "
                + percent(trainRatio) + "/" + percent(validationRatio) + "/" + percent(testRatio) + " · seed " + seed
                + " · missing " + (missingValues == MissingValues.IMPUTE ? "imputed" : "rows dropped")
                + (standardize ? " · standardised" : "");
    }

    private static String percent(double share) {
        return java.math.BigDecimal.valueOf(share * 100).setScale(1, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    public static Preparation defaults(String target, List<String> features, TaskType task) {
        return new Preparation(target, features, task, 0.7, 0.1, 0.2, 42, MissingValues.IMPUTE,
                task != TaskType.TEXT_CLASSIFICATION);
    }
}
