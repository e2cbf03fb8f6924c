package dev.runway.training.engine;

import java.util.List;

/**
 * Everything a training run is configured with. Stored with the run as JSON; {@code Hyperparameters.check} (in the
 * engine) refuses values that cannot train with a message at the field.
 *
 * @param hiddenLayers MLP hidden layer sizes (e.g. [128]); CNN: channels per conv layer
 * @param earlyStoppingPatience epochs without validation-loss improvement before stopping; 0 switches it off
 * @param imageWidth CNN: rows are reshaped to channels × height × width (digits: 1 × 8 × 8)
 * @param maxTokens Transformer / text MLP: tokens kept per text
 */
public record Hyperparameters(
        Template template,
        OptimizerKind optimizer,
        double learningRate,
        int batchSize,
        int epochs,
        List<Integer> hiddenLayers,
        Activation activation,
        double dropout,
        int earlyStoppingPatience,
        long seed,
        int imageWidth,
        int imageHeight,
        int imageChannels,
        int embeddingSize,
        int attentionHeads,
        int encoderLayers,
        int maxTokens,
        int vocabularySize) {}
