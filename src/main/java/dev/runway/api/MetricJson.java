package dev.runway.api;

import dev.runway.training.RunMetric;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "EpochMetrics", description = "Losses and the task's metric (accuracy, or R² for regression) per epoch", example = "{\"epoch\": 12, \"trainLoss\": 0.21, \"validationLoss\": 0.25, \"trainMetric\": 0.94, "
        + "\"validationMetric\": 0.93}")
public record MetricJson(int epoch, double trainLoss, double validationLoss, double trainMetric,
        double validationMetric) {

    static MetricJson of(RunMetric m) {
        return new MetricJson(m.getEpoch(), m.getTrainLoss(), m.getValidationLoss(), m.getTrainMetric(),
                m.getValidationMetric());
    }
}
