package dev.runway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What the New run dialog asks for; hyperparameters not given keep the template's defaults. The constraints are
 * checked as the request is read (a violation is a 400 problem naming the field); the run service checks again.
 */
@Schema(name = "StartRun", example = "{\"datasetVersionId\": 42, \"template\": \"MLP\", \"hyperparameters\": {\"epochs\": 40, "
        + "\"learningRate\": 0.01}, \"device\": \"auto\", \"priority\": 50}")
public record StartRunRequest(
        @Schema(required = true, description = "the dataset version to train on (it needs preparation settings)")
        @NotNull(message = "Give the id of the dataset version to train on") Long datasetVersionId,
        @Schema(required = true, enumeration = {"AUTO", "LINEAR_REGRESSION", "LOGISTIC_REGRESSION", "MLP", "CNN",
                "TRANSFORMER"}, description = "AUTO: Runway picks the model and searches it; it takes only "
                + "timeLimitMinutes (1–1440) and budget ({\"amount\", \"currency\"}) beside datasetVersionId, both "
                + "optional (defaults: GET /api/v1/auto/plan)") String template,
        @Schema(description = "overrides of the template's defaults, e.g. {\"epochs\": 20, \"learningRate\": 0.01}; "
                + "names: optimizer, learningRate, batchSize, epochs, hiddenLayers, activation, dropout, "
                + "earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize, "
                + "attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation (an object: shift, "
                + "rotation, noise, oversample, tokenDropout, tokenSwap; members left out are off)")
        ObjectNode hyperparameters,
        @Schema(description = "auto (default), cpu or gpu") String device,
        @Schema(description = "0 (lowest) to 100; default 50")
        @Min(value = 0, message = PRIORITY) @Max(value = 100, message = PRIORITY) Integer priority,
        @Schema(description = "the worker pool that executes the run, one of runway.executor.pools (by default cpu "
                + "and gpu); default gpu for device gpu, else cpu") String pool) {

    static final String PRIORITY = "Priority is a number from 0 (lowest) to 100";
}
