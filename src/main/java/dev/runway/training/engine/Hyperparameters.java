package dev.runway.training.engine;

import dev.runway.base.BadInputException;
import dev.runway.dataset.Preparation.TaskType;
import java.util.List;

/**
 * Everything a training run is configured with. Stored with the run as JSON; {@code Hyperparameters.check} (in the
 * engine) refuses values that cannot train with a message at the field.
 *
 * @param hiddenLayers MLP hidden layer sizes (e.g. [128]); CNN: channels per conv layer
 * @param earlyStoppingPatience epochs without validation-loss improvement before stopping; 0 switches it off
 * @param imageWidth CNN: rows are reshaped to channels × height × width (digits: 1 × 8 × 8)
 * @param maxTokens Transformer / text MLP: tokens kept per text
 * @param augmentation what the training split gets afresh each epoch; null (older runs) or all zero means none. It
 *     belongs to the run rather than to the dataset's preparation: it is recorded with the run and its model (the
 *     lineage), it stays fixed while a run resumes after a hand-over, and two runs on one version can differ in it
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
        int vocabularySize,
        Augmentation augmentation) {

    /** Without augmentation (as every run was before it existed). */
    public Hyperparameters(Template template, OptimizerKind optimizer, double learningRate, int batchSize, int epochs,
            List<Integer> hiddenLayers, Activation activation, double dropout, int earlyStoppingPatience, long seed,
            int imageWidth, int imageHeight, int imageChannels, int embeddingSize, int attentionHeads,
            int encoderLayers, int maxTokens, int vocabularySize) {
        this(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation, dropout,
                earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize, attentionHeads,
                encoderLayers, maxTokens, vocabularySize, null);
    }

    /** Sensible starting values per template; on the sample data sets they reach the reference results. */
    public static Hyperparameters defaults(Template template) {
        if (template == null) {
            throw new BadInputException("template", "Choose a model template");
        }
        return switch (template) {
            case LINEAR_REGRESSION -> new Hyperparameters(template, OptimizerKind.SGD, 0.05, 32, 100, List.of(),
                    Activation.RELU, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 0);
            case LOGISTIC_REGRESSION -> new Hyperparameters(template, OptimizerKind.ADAM, 0.05, 16, 200, List.of(),
                    Activation.RELU, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 0);
            case MLP -> new Hyperparameters(template, OptimizerKind.ADAM, 0.01, 32, 100, List.of(128),
                    Activation.RELU, 0.1, 20, 42, 0, 0, 0, 0, 0, 0, 64, 2000);
            case CNN -> new Hyperparameters(template, OptimizerKind.ADAM, 0.005, 32, 12, List.of(16, 32),
                    Activation.RELU, 0.1, 4, 42, 8, 8, 1, 0, 0, 0, 0, 0);
            case TRANSFORMER -> new Hyperparameters(template, OptimizerKind.ADAM, 0.002, 32, 8, List.of(64),
                    Activation.RELU, 0.1, 3, 42, 0, 0, 0, 32, 4, 1, 32, 2000);
        };
    }

    /**
     * Refuses values that cannot train, with a message at the field: the runs feature calls this before it queues a
     * run, and the engine again before it trains.
     */
    public static void check(Hyperparameters h, TaskType task, PreparedData data) {
        if (h == null) {
            throw new BadInputException("template", "Choose a model template");
        }
        if (h.template() == null) {
            throw new BadInputException("template", "Choose a model template");
        }
        if (task == null) {
            throw new BadInputException("task", "Save the dataset's preparation (its task) before training");
        }
        if (!h.template().fits(task)) {
            throw new BadInputException("template", h.template().label() + " does not fit a " + describe(task)
                    + " task: choose " + fitting(task));
        }
        if (data != null && data.task() != task) {
            throw new BadInputException("task", "The prepared data is for a " + describe(data.task())
                    + " task, not " + describe(task) + ": prepare the dataset again");
        }
        if (h.optimizer() == null) {
            throw new BadInputException("optimizer", "Choose an optimizer (SGD, Adam or RMSprop)");
        }
        if (!(h.learningRate() > 0) || !Double.isFinite(h.learningRate())) {
            throw new BadInputException("learningRate", "The learning rate must be a positive number, e.g. 0.001 "
                    + "(it is " + h.learningRate() + ")");
        }
        if (h.batchSize() < 1) {
            throw new BadInputException("batchSize", "The batch size must be at least 1 (it is " + h.batchSize()
                    + ")");
        }
        if (h.epochs() < 1) {
            throw new BadInputException("epochs", "Train for at least 1 epoch (it is " + h.epochs() + ")");
        }
        if (h.epochs() > 100_000) {
            throw new BadInputException("epochs", "At most 100,000 epochs");
        }
        if (!(h.dropout() >= 0 && h.dropout() < 1)) {
            throw new BadInputException("dropout", "Dropout must be at least 0 and below 1, e.g. 0.1 (it is "
                    + h.dropout() + ")");
        }
        if (h.earlyStoppingPatience() < 0) {
            throw new BadInputException("earlyStoppingPatience", "Early-stopping patience must be 0 (off) or more "
                    + "epochs");
        }
        List<Integer> layers = h.hiddenLayers() == null ? List.of() : h.hiddenLayers();
        for (Integer size : layers) {
            if (size == null || size < 1) {
                throw new BadInputException("hiddenLayers", "Every layer size must be a positive whole number "
                        + "(found " + size + ")");
            }
            if (size > 65_536) {
                throw new BadInputException("hiddenLayers", "A layer of " + size + " units is too large: at most "
                        + "65,536");
            }
        }
        Template t = h.template();
        if ((t == Template.MLP || t == Template.CNN) && layers.isEmpty()) {
            throw new BadInputException("hiddenLayers", t == Template.MLP
                    ? "Give at least one hidden layer size, e.g. 128 (without one, use logistic or linear regression)"
                    : "Give at least one convolution layer (channels), e.g. 16, 32");
        }
        if ((t == Template.MLP || t == Template.CNN || t == Template.TRANSFORMER) && h.activation() == null) {
            throw new BadInputException("activation", "Choose an activation (ReLU, tanh or sigmoid)");
        }
        if (task == TaskType.TEXT_CLASSIFICATION) {
            if (h.maxTokens() < 1) {
                throw new BadInputException("maxTokens", "Keep at least 1 token per text, e.g. 32");
            }
            if (h.vocabularySize() < 3) {
                throw new BadInputException("vocabularySize", "The vocabulary needs at least 3 entries (padding, "
                        + "unknown and one word), e.g. 2000");
            }
        }
        if (t == Template.TRANSFORMER) {
            if (h.embeddingSize() < 1) {
                throw new BadInputException("embeddingSize", "The embedding size must be positive, e.g. 32");
            }
            if (h.attentionHeads() < 1 || h.embeddingSize() % h.attentionHeads() != 0) {
                throw new BadInputException("attentionHeads", "The number of attention heads must divide the "
                        + "embedding size (" + h.embeddingSize() + "), e.g. 4");
            }
            if (h.encoderLayers() < 1) {
                throw new BadInputException("encoderLayers", "Use at least 1 encoder layer");
            }
        }
        if (t == Template.CNN) {
            if (h.imageChannels() < 1 || h.imageHeight() < 1 || h.imageWidth() < 1) {
                throw new BadInputException("imageWidth", "Give the image shape: channels, height and width must "
                        + "be positive (digits: 1 × 8 × 8)");
            }
            if (data != null && (long) h.imageChannels() * h.imageHeight() * h.imageWidth()
                    != data.encoding().width()) {
                throw new BadInputException("imageWidth", "The image shape " + h.imageChannels() + " × "
                        + h.imageHeight() + " × " + h.imageWidth() + " = " + (long) h.imageChannels()
                        * h.imageHeight() * h.imageWidth() + " values does not match the " + data.encoding().width()
                        + " feature values per row");
            }
        }
        Augmentation.check(h, task, data == null || data.encoding().isText() ? 0 : data.encoding().width());
        if (data != null) {
            if (data.train().rows() == 0) {
                throw new BadInputException("trainRatio", "The training split is empty: give training a larger share"
                        + " or upload more rows");
            }
            if (data.encoding().isClassification() && data.labels().size() < 2) {
                throw new BadInputException("target", "Classification needs at least two classes in the data");
            }
        }
    }

    public Hyperparameters withEpochs(int value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, value, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation);
    }

    public Hyperparameters withLearningRate(double value) {
        return new Hyperparameters(template, optimizer, value, batchSize, epochs, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation);
    }

    public Hyperparameters withOptimizer(OptimizerKind value) {
        return new Hyperparameters(template, value, learningRate, batchSize, epochs, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation);
    }

    public Hyperparameters withHiddenLayers(List<Integer> value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, epochs, value, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation);
    }

    public Hyperparameters withEarlyStoppingPatience(int value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation,
                dropout, value, seed, imageWidth, imageHeight, imageChannels, embeddingSize, attentionHeads,
                encoderLayers, maxTokens, vocabularySize, augmentation);
    }

    public Hyperparameters withAugmentation(Augmentation value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, value);
    }

    /** The augmentation, {@link Augmentation#none()} when there is none. */
    public Augmentation augmentationOrNone() {
        return augmentation == null ? Augmentation.none() : augmentation;
    }

    private static String describe(TaskType task) {
        return switch (task) {
            case REGRESSION -> "regression";
            case CLASSIFICATION -> "classification";
            case TEXT_CLASSIFICATION -> "text classification";
        };
    }

    private static String fitting(TaskType task) {
        return String.join(" or ", java.util.Arrays.stream(Template.values()).filter(t -> t.fits(task))
                .map(Template::label).toList());
    }
}
