package dev.runway.api;

import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.MissingValues;
import dev.runway.dataset.Preparation.TaskType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A dataset version's preparation settings, as read and as written. To write them, {@code target}, {@code features}
 * and {@code task} are needed; the rest left out takes Runway's defaults (split 0.7/0.1/0.2, seed 42, missing values
 * imputed, numbers standardised except for text).
 */
@Schema(name = "Preparation", example = "{\"target\": \"species\", \"features\": [\"sepal_length\", \"sepal_width\", "
        + "\"petal_length\", \"petal_width\"], \"task\": \"CLASSIFICATION\", \"trainRatio\": 0.7, "
        + "\"validationRatio\": 0.1, \"testRatio\": 0.2, \"seed\": 42, \"missingValues\": \"IMPUTE\", "
        + "\"standardize\": true}")
public record PreparationJson(String target, List<String> features, TaskType task, Double trainRatio,
        Double validationRatio, Double testRatio, Long seed, MissingValues missingValues, Boolean standardize) {

    static PreparationJson of(Preparation p) {
        return new PreparationJson(p.target(), p.features(), p.task(), p.trainRatio(), p.validationRatio(),
                p.testRatio(), p.seed(), p.missingValues(), p.standardize());
    }

    /** The settings to save: what was sent, Runway's defaults for what was left out (checked by the service). */
    Preparation toPreparation() {
        Preparation d = Preparation.defaults(target, features, task);
        return new Preparation(target, features, task, trainRatio != null ? trainRatio : d.trainRatio(),
                validationRatio != null ? validationRatio : d.validationRatio(),
                testRatio != null ? testRatio : d.testRatio(), seed != null ? seed : d.seed(),
                missingValues != null ? missingValues : d.missingValues(),
                standardize != null ? standardize : d.standardize());
    }
}
