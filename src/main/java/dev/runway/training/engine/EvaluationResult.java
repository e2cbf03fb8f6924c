package dev.runway.training.engine;

import java.util.List;
import java.util.Map;

/**
 * A trained model measured on a set of rows (a test split or a whole other dataset version).
 *
 * @param metrics accuracy and macro precision/recall/F1 for classification; mse, mae, r2 for regression
 * @param confusion classification: rows are the actual class, columns the predicted one, in {@code labels} order
 * @param points regression: (actual, predicted) pairs for a residual plot, at most {@link #MAX_POINTS}
 * @param importance permutation importance per input feature: the drop in accuracy (classification) or the rise in
 *     MSE (regression) when that feature's values are shuffled across rows; text counts as one feature
 */
public record EvaluationResult(
        Task task,
        int rows,
        Map<String, Double> metrics,
        List<String> labels,
        List<ClassMetrics> perClass,
        List<List<Long>> confusion,
        List<Point> points,
        List<FeatureImportance> importance) {

    public static final int MAX_POINTS = 500;

    public record ClassMetrics(String label, double precision, double recall, double f1, long support) {}

    public record Point(double actual, double predicted) {}

    public record FeatureImportance(String feature, double importance) {}
}
