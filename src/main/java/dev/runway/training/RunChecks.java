package dev.runway.training;

import dev.runway.base.BadInputException;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.Preparation;
import dev.runway.training.engine.Augmentation;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;

/**
 * The checks made when a run is submitted, from the settings and the dataset's profile alone (no data is read), so
 * that nothing unrunnable is queued. The engine checks again against the loaded data when the run starts.
 */
final class RunChecks {

    static final int MAX_EPOCHS = 10_000;
    static final int MAX_LAYER = 8192;
    static final int MAX_IMAGE_SIDE = 1024;
    static final int MAX_IMAGE_CHANNELS = 64;
    static final int MAX_EMBEDDING = 4096;
    static final int MAX_HEADS = 64;
    static final int MAX_ENCODER_LAYERS = 48;
    static final int MAX_TOKENS = 4096;
    static final int MAX_VOCABULARY = 1_000_000;

    private RunChecks() {}

    static void check(Hyperparameters h, Preparation preparation, CsvProfile profile) {
        if (h.optimizer() == null) {
            throw new BadInputException("optimizer", "Choose an optimiser");
        }
        if (!(h.learningRate() > 0 && h.learningRate() <= 10)) {
            throw new BadInputException("learningRate", "The learning rate must be above 0 (and at most 10), e.g. "
                    + "0.01");
        }
        if (h.epochs() < 1 || h.epochs() > MAX_EPOCHS) {
            throw new BadInputException("epochs", "Epochs must be between 1 and " + MAX_EPOCHS);
        }
        if (h.batchSize() < 1 || h.batchSize() > 65_536) {
            throw new BadInputException("batchSize", "The batch size must be between 1 and 65,536");
        }
        if (!(h.dropout() >= 0 && h.dropout() < 1)) {
            throw new BadInputException("dropout", "Dropout is a share from 0 up to (not including) 1");
        }
        if (h.earlyStoppingPatience() < 0) {
            throw new BadInputException("earlyStoppingPatience", "Patience is 0 (off) or a number of epochs");
        }
        if (h.template() == Template.MLP || h.template() == Template.CNN) {
            if (h.hiddenLayers() == null || h.hiddenLayers().isEmpty()) {
                throw new BadInputException("hiddenLayers", "Give at least one layer size, e.g. 128");
            }
            if (h.hiddenLayers().stream().anyMatch(n -> n == null || n < 1 || n > MAX_LAYER)) {
                throw new BadInputException("hiddenLayers", "Layer sizes must be whole numbers from 1 to " + MAX_LAYER);
            }
        }
        if (h.template() == Template.CNN) {
            int inputs = preparation.features().size();
            within("imageChannels", "Image channels", h.imageChannels(), 1, MAX_IMAGE_CHANNELS, "1 (greyscale)");
            within("imageHeight", "The image height", h.imageHeight(), 2, MAX_IMAGE_SIDE, "8");
            within("imageWidth", "The image width", h.imageWidth(), 2, MAX_IMAGE_SIDE, "8");
            long shape = (long) h.imageWidth() * h.imageHeight() * h.imageChannels();
            if (shape != inputs) {
                throw new BadInputException("imageWidth", "Image width × height × channels must equal the "
                        + inputs + " feature columns (e.g. 8 × 8 × 1 for 64 pixels; it is " + shape + ")");
            }
        }
        if (h.template() == Template.TRANSFORMER) {
            within("embeddingSize", "The embedding size", h.embeddingSize(), 1, MAX_EMBEDDING, "32");
            within("attentionHeads", "Attention heads", h.attentionHeads(), 1, MAX_HEADS, "4");
            if (h.embeddingSize() % h.attentionHeads() != 0) {
                throw new BadInputException("attentionHeads", "The number of attention heads must divide the "
                        + "embedding size (" + h.embeddingSize() + "), e.g. 4");
            }
            within("encoderLayers", "Encoder layers", h.encoderLayers(), 1, MAX_ENCODER_LAYERS, "1");
        }
        if (h.template() == Template.TRANSFORMER || preparation.task() == Preparation.TaskType.TEXT_CLASSIFICATION) {
            within("maxTokens", "Tokens per text", h.maxTokens(), 1, MAX_TOKENS, "32");
            within("vocabularySize", "The vocabulary size", h.vocabularySize(), 3, MAX_VOCABULARY,
                    "2000 (padding, unknown and the most frequent words)");
        }
        // At submission the feature columns stand for the values per row (an image's pixels are numeric columns).
        Augmentation.check(h, preparation.task(), preparation.task() == Preparation.TaskType.TEXT_CLASSIFICATION ? 0
                : preparation.features().size());
        if (preparation.task() != Preparation.TaskType.REGRESSION) {
            profile.column(preparation.target()).filter(c -> c.distinct() < 2).ifPresent(c -> {
                throw new BadInputException("dataset", "The target “" + c.name() + "” has fewer than two classes");
            });
        }
        // A preparation saved before the split check existed may still leave validation or test empty.
        preparation.checkSplit(profile);
    }

    private static void within(String field, String name, int value, int min, int max, String example) {
        if (value < min || value > max) {
            throw new BadInputException(field, name + " must be a whole number from " + min + " to "
                    + String.format(java.util.Locale.ROOT, "%,d", max) + ", e.g. " + example + " (it is " + value
                    + ")");
        }
    }
}
