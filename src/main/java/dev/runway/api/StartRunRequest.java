package dev.runway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the New run dialog asks for; hyperparameters not given keep the template's defaults. */
@Schema(name = "StartRun")
public record StartRunRequest(
        @Schema(required = true, description = "the dataset version to train on (it needs preparation settings)")
        Long datasetVersionId,
        @Schema(required = true, enumeration = {"LINEAR_REGRESSION", "LOGISTIC_REGRESSION", "MLP", "CNN",
                "TRANSFORMER"}) String template,
        @Schema(description = "overrides of the template's defaults, e.g. {\"epochs\": 20, \"learningRate\": 0.01}; "
                + "names: optimizer, learningRate, batchSize, epochs, hiddenLayers, activation, dropout, "
                + "earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize, "
                + "attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation (an object: shift, "
                + "rotation, noise, oversample, tokenDropout, tokenSwap; members left out are off)")
        ObjectNode hyperparameters,
        @Schema(description = "auto (default), cpu or gpu") String device,
        @Schema(description = "0 (lowest) to 100; default 50") Integer priority,
        @Schema(description = "the worker pool that executes the run, one of runway.executor.pools (by default cpu "
                + "and gpu); default gpu for device gpu, else cpu") String pool) {}
