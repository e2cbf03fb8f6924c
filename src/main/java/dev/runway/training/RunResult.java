package dev.runway.training;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.runway.base.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A succeeded run's result as stored (the engine's {@code TrainingResult} for a training, {@code EvaluationResult} for
 * an evaluation), read once into types so that views and the API name fields instead of JSON keys. The stored JSON is
 * unchanged; fields the other kind of run does not have are empty, and fields a later engine adds are ignored.
 *
 * @param testMetrics a training's metrics on its test split (accuracy, precision, recall, f1; mse, mae, r2)
 * @param metrics an evaluation's metrics on the rows it measured
 * @param coefficients linear regression only: "intercept" and one slope per feature
 * @param labels the classes in the order of the confusion matrix (classification)
 * @param confusion rows are the actual class, columns the predicted one (an evaluation of a classifier)
 * @param points (actual, predicted) pairs of an evaluated regression, at most 500
 * @param importance permutation importance per input feature (an evaluation)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunResult(
        Map<String, Double> testMetrics,
        Map<String, Double> metrics,
        Map<String, Double> coefficients,
        String device,
        int epochsRun,
        boolean stoppedEarly,
        List<String> labels,
        String task,
        int rows,
        List<ClassMetrics> perClass,
        List<List<Long>> confusion,
        List<Point> points,
        List<FeatureImportance> importance) {

    public record ClassMetrics(String label, double precision, double recall, double f1, long support) {}

    public record Point(double actual, double predicted) {}

    public record FeatureImportance(String feature, double importance) {}

    /** An evaluation's whole result, in the shape it is stored in (the API shows it as is). */
    public record Evaluation(String task, int rows, Map<String, Double> metrics, List<String> labels,
            List<ClassMetrics> perClass, List<List<Long>> confusion, List<Point> points,
            List<FeatureImportance> importance) {}

    public RunResult {
        testMetrics = numbers(testMetrics);
        metrics = numbers(metrics);
        coefficients = numbers(coefficients);
        labels = labels == null ? List.of() : labels;
        perClass = perClass == null ? List.of() : perClass;
        confusion = confusion == null ? List.of() : confusion;
        points = points == null ? List.of() : points;
        importance = importance == null ? List.of() : importance;
    }

    /** The stored result; empty when there is none, or when it cannot be read (it then shows as no result). */
    public static Optional<RunResult> read(String json) {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(json, RunResult.class));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What the run measured: a training's test metrics, or an evaluation's metrics. */
    public Map<String, Double> measured() {
        return testMetrics.isEmpty() ? metrics : testMetrics;
    }

    public Evaluation evaluation() {
        return new Evaluation(task, rows, metrics, labels, perClass, confusion, points, importance);
    }

    /** Keeps the order of the stored metrics and drops values that are not numbers. */
    private static Map<String, Double> numbers(Map<String, Double> values) {
        Map<String, Double> kept = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> {
                if (v != null) {
                    kept.put(k, v);
                }
            });
        }
        return kept;
    }
}
