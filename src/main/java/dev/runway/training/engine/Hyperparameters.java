package dev.runway.training.engine;

import dev.runway.base.BadInputException;
import java.util.List;

/**
 * Everything a training run is configured with. Stored with the run as JSON; {@link #check} refuses values that
 * cannot train with a message at the field, once per run when it is submitted.
 *
 * @param hiddenLayers MLP hidden layer sizes (e.g. [128]); CNN: channels per conv layer
 * @param earlyStoppingPatience epochs without validation-loss improvement before stopping; 0 switches it off
 * @param imageWidth CNN: rows are reshaped to channels × height × width (digits: 1 × 8 × 8)
 * @param maxTokens Transformer / text MLP: tokens kept per text
 * @param augmentation what the training split gets afresh each epoch; null (older runs) or all zero means none. It
 *     belongs to the run rather than to the dataset's preparation: it is recorded with the run and its model (the
 *     lineage), it stays fixed while a run resumes after a hand-over, and two runs on one version can differ in it
 * @param weightDecay L2 weight decay: {@code weightDecay · w} is added to every parameter's gradient (the loss gains
 *     {@code weightDecay / 2 · |w|²}); 0 switches it off
 * @param schedule how the learning rate moves after the warm-up; null (older runs) means constant
 * @param warmupEpochs epochs over which the learning rate rises linearly from almost 0 to {@link #learningRate}, per
 *     batch; at most {@code epochs − 1} of them are used, so the last epoch always trains at the scheduled rate
 * @param classWeights whether rare classes weigh more in the loss; null (older runs) means off
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
        Augmentation augmentation,
        double weightDecay,
        LearningRateSchedule schedule,
        int warmupEpochs,
        ClassWeights classWeights) {

    /** Runs stored before schedules and class weights existed read back as what they trained with. */
    public Hyperparameters {
        schedule = schedule == null ? LearningRateSchedule.CONSTANT : schedule;
        classWeights = classWeights == null ? ClassWeights.OFF : classWeights;
    }

    /**
     * Without weight decay, schedule, warm-up and class weights: a fixed learning rate and every row alike (as every
     * run was before they existed).
     */
    public Hyperparameters(Template template, OptimizerKind optimizer, double learningRate, int batchSize, int epochs,
            List<Integer> hiddenLayers, Activation activation, double dropout, int earlyStoppingPatience, long seed,
            int imageWidth, int imageHeight, int imageChannels, int embeddingSize, int attentionHeads,
            int encoderLayers, int maxTokens, int vocabularySize, Augmentation augmentation) {
        this(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation, dropout,
                earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize, attentionHeads,
                encoderLayers, maxTokens, vocabularySize, augmentation, 0, LearningRateSchedule.CONSTANT, 0,
                ClassWeights.OFF);
    }

    /** Without augmentation (as every run was before it existed). */
    public Hyperparameters(Template template, OptimizerKind optimizer, double learningRate, int batchSize, int epochs,
            List<Integer> hiddenLayers, Activation activation, double dropout, int earlyStoppingPatience, long seed,
            int imageWidth, int imageHeight, int imageChannels, int embeddingSize, int attentionHeads,
            int encoderLayers, int maxTokens, int vocabularySize) {
        this(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation, dropout,
                earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize, attentionHeads,
                encoderLayers, maxTokens, vocabularySize, null);
    }

    /**
     * The starting values per template, chosen by measuring (docs/training.md, "Defaults"): L2 weight decay, a cosine
     * schedule after a short warm-up, early stopping keeping the best epoch, and class weights when the classes are
     * far apart in size.
     */
    public static Hyperparameters defaults(Template template) {
        if (template == null) {
            throw new BadInputException("template", "Choose a model template");
        }
        LearningRateSchedule cosine = LearningRateSchedule.COSINE;
        ClassWeights auto = ClassWeights.AUTO;
        return switch (template) {
            case LINEAR_REGRESSION -> new Hyperparameters(template, OptimizerKind.SGD, 0.05, 32, 100, List.of(),
                    Activation.RELU, 0, 10, 42, 0, 0, 0, 0, 0, 0, 0, 0, null, 0, cosine, 0, ClassWeights.OFF);
            case LOGISTIC_REGRESSION -> new Hyperparameters(template, OptimizerKind.ADAM, 0.01, 16, 200, List.of(),
                    Activation.RELU, 0, 20, 42, 0, 0, 0, 0, 0, 0, 0, 0, null, 1e-4, cosine, 5, auto);
            case MLP -> new Hyperparameters(template, OptimizerKind.ADAM, 0.01, 32, 100, List.of(128),
                    Activation.RELU, 0.1, 20, 42, 0, 0, 0, 0, 0, 0, 64, 2000, null, 1e-4, cosine, 3, auto);
            case CNN -> new Hyperparameters(template, OptimizerKind.ADAM, 0.01, 32, 12, List.of(16, 32),
                    Activation.RELU, 0.1, 4, 42, 8, 8, 1, 0, 0, 0, 0, 0, null, 1e-4, cosine, 1, auto);
            case TRANSFORMER -> new Hyperparameters(template, OptimizerKind.ADAM, 0.002, 32, 8, List.of(64),
                    Activation.RELU, 0.1, 3, 42, 0, 0, 0, 32, 4, 1, 32, 2000, null, 1e-4, cosine, 1, auto);
        };
    }

    public static final int MAX_EPOCHS = 10_000;
    public static final int MAX_BATCH = 65_536;
    public static final double MAX_LEARNING_RATE = 10;
    public static final int MAX_LAYER = 8_192;
    public static final int MAX_IMAGE_SIDE = 1_024;
    public static final int MAX_IMAGE_CHANNELS = 64;
    public static final int MAX_EMBEDDING = 4_096;
    public static final int MAX_HEADS = 64;
    public static final int MAX_ENCODER_LAYERS = 48;
    public static final int MAX_TOKENS = 4_096;
    public static final int MAX_VOCABULARY = 1_000_000;
    public static final double MAX_WEIGHT_DECAY = 1;

    /**
     * The one check of the settings, with the one set of limits: refuses values that cannot train (or that no node
     * should try), with a message at the field that says what to enter. The runs feature calls it once per run, when
     * the run is submitted (the dialog, the API, schedules and sweeps alike); the engine then only asserts that the
     * loaded data fits ({@link #checkData}).
     *
     * @param valuesPerRow the feature values of one row, as far as known before the data is read (the feature columns
     *     of a tabular dataset: an image's pixels are numeric columns); 0 when unknown (text)
     */
    public static void check(Hyperparameters h, Task task, int valuesPerRow) {
        if (h == null || h.template() == null) {
            throw new BadInputException("template", "Choose a model template");
        }
        if (task == null) {
            throw new BadInputException("task", "Save the dataset's preparation (its task) before training");
        }
        Template t = h.template();
        if (!t.fits(task)) {
            throw new BadInputException("template", t.label() + " does not fit a " + describe(task)
                    + " task: choose " + fitting(task));
        }
        if (h.optimizer() == null) {
            throw new BadInputException("optimizer", "Choose an optimizer (SGD, Adam or RMSprop)");
        }
        if (!(h.learningRate() > 0 && h.learningRate() <= MAX_LEARNING_RATE)) {
            throw new BadInputException("learningRate", "The learning rate must be a positive number up to "
                    + (int) MAX_LEARNING_RATE + ", e.g. 0.001 (it is " + h.learningRate() + ")");
        }
        if (h.batchSize() < 1 || h.batchSize() > MAX_BATCH) {
            throw new BadInputException("batchSize", "The batch size must be at least 1 and at most "
                    + thousands(MAX_BATCH) + " (it is " + h.batchSize() + ")");
        }
        if (h.epochs() < 1 || h.epochs() > MAX_EPOCHS) {
            throw new BadInputException("epochs", "Train for at least 1 epoch and at most " + thousands(MAX_EPOCHS)
                    + " (it is " + h.epochs() + ")");
        }
        if (!(h.dropout() >= 0 && h.dropout() < 1)) {
            throw new BadInputException("dropout", "Dropout must be at least 0 and below 1, e.g. 0.1 (it is "
                    + h.dropout() + ")");
        }
        if (h.earlyStoppingPatience() < 0) {
            throw new BadInputException("earlyStoppingPatience", "Early-stopping patience must be 0 (off) or more "
                    + "epochs");
        }
        if (!(h.weightDecay() >= 0 && h.weightDecay() <= MAX_WEIGHT_DECAY)) {
            throw new BadInputException("weightDecay", "Weight decay must be 0 (off) or a positive number up to "
                    + (int) MAX_WEIGHT_DECAY + ", e.g. 0.0001 (it is " + h.weightDecay() + ")");
        }
        if (h.warmupEpochs() < 0 || h.warmupEpochs() > MAX_EPOCHS) {
            throw new BadInputException("warmupEpochs", "Warm-up epochs must be 0 (none) or more, up to "
                    + thousands(MAX_EPOCHS) + " (it is " + h.warmupEpochs() + ")");
        }
        if (h.classWeights() == ClassWeights.BALANCED && task == Task.REGRESSION) {
            throw new BadInputException("classWeights", "Class weights balance classes: a regression has none. "
                    + "Choose Off or Auto");
        }
        if (h.classWeights() == ClassWeights.BALANCED && h.augmentationOrNone().oversample()) {
            throw new BadInputException("classWeights", "Oversampling already balances the classes: choose class "
                    + "weights Off or Auto, or switch oversampling off");
        }
        List<Integer> layers = h.hiddenLayers() == null ? List.of() : h.hiddenLayers();
        for (Integer size : layers) {
            if (size == null || size < 1 || size > MAX_LAYER) {
                throw new BadInputException("hiddenLayers", "Every layer size must be a positive whole number up to "
                        + thousands(MAX_LAYER) + " (found " + size + ")");
            }
        }
        if ((t == Template.MLP || t == Template.CNN) && layers.isEmpty()) {
            throw new BadInputException("hiddenLayers", t == Template.MLP
                    ? "Give at least one hidden layer size, e.g. 128 (without one, use logistic or linear regression)"
                    : "Give at least one convolution layer (channels), e.g. 16, 32");
        }
        if ((t == Template.MLP || t == Template.CNN || t == Template.TRANSFORMER) && h.activation() == null) {
            throw new BadInputException("activation", "Choose an activation (ReLU, tanh or sigmoid)");
        }
        if (t == Template.CNN) {
            within("imageChannels", "Image channels", h.imageChannels(), 1, MAX_IMAGE_CHANNELS, "1 (greyscale)");
            within("imageHeight", "The image height", h.imageHeight(), 2, MAX_IMAGE_SIDE, "8");
            within("imageWidth", "The image width", h.imageWidth(), 2, MAX_IMAGE_SIDE, "8");
        }
        if (t == Template.TRANSFORMER) {
            within("embeddingSize", "The embedding size", h.embeddingSize(), 1, MAX_EMBEDDING, "32");
            within("attentionHeads", "Attention heads", h.attentionHeads(), 1, MAX_HEADS, "4");
            if (h.embeddingSize() % h.attentionHeads() != 0) {
                throw new BadInputException("attentionHeads", "The number of attention heads must divide the "
                        + "embedding size (" + h.embeddingSize() + "), e.g. 4");
            }
            within("encoderLayers", "Encoder layers", h.encoderLayers(), 1, MAX_ENCODER_LAYERS, "1");
        }
        if (t == Template.TRANSFORMER || task == Task.TEXT_CLASSIFICATION) {
            within("maxTokens", "Tokens per text", h.maxTokens(), 1, MAX_TOKENS, "32");
            within("vocabularySize", "The vocabulary size", h.vocabularySize(), 3, MAX_VOCABULARY,
                    "2000 (padding, unknown and the most frequent words)");
        }
        checkShape(h, task, valuesPerRow);
    }

    /**
     * What only the loaded data can tell, asserted by the engine when training starts (the settings were checked at
     * submission): the data's task, the image shape and augmentation against the encoded width, a non-empty training
     * split, two classes or more.
     */
    public static void checkData(Hyperparameters h, PreparedData data) {
        if (!h.template().fits(data.task())) {
            throw new BadInputException("task", "The prepared data is for a " + describe(data.task())
                    + " task, which " + h.template().label() + " does not fit: prepare the dataset again");
        }
        checkShape(h, data.task(), data.encoding().isText() ? 0 : data.encoding().width());
        if (data.train().rows() == 0) {
            throw new BadInputException("trainRatio", "The training split is empty: give training a larger share"
                    + " or upload more rows");
        }
        if (data.encoding().isClassification() && data.labels().size() < 2) {
            throw new BadInputException("target", "Classification needs at least two classes in the data");
        }
    }

    /** The image shape and the augmentation against the values per row (0: not known yet). */
    private static void checkShape(Hyperparameters h, Task task, int valuesPerRow) {
        if (h.template() == Template.CNN && valuesPerRow > 0) {
            long shape = (long) h.imageChannels() * h.imageHeight() * h.imageWidth();
            if (shape != valuesPerRow) {
                throw new BadInputException("imageWidth", "Image width × height × channels must equal the "
                        + valuesPerRow + " feature values per row (e.g. 8 × 8 × 1 for 64 pixels; it is "
                        + h.imageWidth() + " × " + h.imageHeight() + " × " + h.imageChannels() + " = " + shape + ")");
            }
        }
        Augmentation.check(h, task, valuesPerRow);
    }

    private static void within(String field, String name, int value, int min, int max, String example) {
        if (value < min || value > max) {
            throw new BadInputException(field, name + " must be a whole number from " + min + " to "
                    + thousands(max) + ", e.g. " + example + " (it is " + value + ")");
        }
    }

    private static String thousands(long value) {
        return String.format(java.util.Locale.ROOT, "%,d", value);
    }

    public Hyperparameters withEpochs(int value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, value, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation, weightDecay, schedule,
                warmupEpochs, classWeights);
    }

    public Hyperparameters withLearningRate(double value) {
        return new Hyperparameters(template, optimizer, value, batchSize, epochs, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation, weightDecay, schedule,
                warmupEpochs, classWeights);
    }

    public Hyperparameters withOptimizer(OptimizerKind value) {
        return new Hyperparameters(template, value, learningRate, batchSize, epochs, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation, weightDecay, schedule,
                warmupEpochs, classWeights);
    }

    public Hyperparameters withHiddenLayers(List<Integer> value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, epochs, value, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation, weightDecay, schedule,
                warmupEpochs, classWeights);
    }

    public Hyperparameters withEarlyStoppingPatience(int value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation,
                dropout, value, seed, imageWidth, imageHeight, imageChannels, embeddingSize, attentionHeads,
                encoderLayers, maxTokens, vocabularySize, augmentation, weightDecay, schedule, warmupEpochs,
                classWeights);
    }

    public Hyperparameters withAugmentation(Augmentation value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, value, weightDecay, schedule, warmupEpochs,
                classWeights);
    }

    public Hyperparameters withWeightDecay(double value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation, value, schedule, warmupEpochs,
                classWeights);
    }

    public Hyperparameters withSchedule(LearningRateSchedule value, int warmup) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation, weightDecay, value, warmup,
                classWeights);
    }

    public Hyperparameters withClassWeights(ClassWeights value) {
        return new Hyperparameters(template, optimizer, learningRate, batchSize, epochs, hiddenLayers, activation,
                dropout, earlyStoppingPatience, seed, imageWidth, imageHeight, imageChannels, embeddingSize,
                attentionHeads, encoderLayers, maxTokens, vocabularySize, augmentation, weightDecay, schedule,
                warmupEpochs, value);
    }

    /** The augmentation, {@link Augmentation#none()} when there is none. */
    public Augmentation augmentationOrNone() {
        return augmentation == null ? Augmentation.none() : augmentation;
    }

    private static String describe(Task task) {
        return switch (task) {
            case REGRESSION -> "regression";
            case CLASSIFICATION -> "classification";
            case TEXT_CLASSIFICATION -> "text classification";
        };
    }

    private static String fitting(Task task) {
        return String.join(" or ", java.util.Arrays.stream(Template.values()).filter(t -> t.fits(task))
                .map(Template::label).toList());
    }
}
