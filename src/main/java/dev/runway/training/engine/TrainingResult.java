package dev.runway.training.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a training: how it ended, the final test metrics, and where the saved model (with what inference
 * needs) lies.
 *
 * @param testMetrics accuracy, macro precision/recall/F1 for classification; mse, mae, r2 for regression
 * @param coefficients linear regression only: "intercept" and one slope per feature, in the data's original units
 */
public record TrainingResult(
        Status status,
        int epochsRun,
        boolean stoppedEarly,
        String device,
        Map<String, Double> testMetrics,
        Map<String, Double> coefficients,
        List<String> labels,
        Path modelDir,
        String message) {

    public enum Status { SUCCEEDED, STOPPED }
}
