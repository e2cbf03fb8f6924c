package dev.runway.training.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.nn.transformer.TransformerEncoderBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.runway.base.BadInputException;
import dev.runway.training.engine.Encoding.Feature;
import dev.runway.training.engine.Encoding.Kind;
import dev.runway.training.engine.EvaluationResult.ClassMetrics;
import dev.runway.training.engine.EvaluationResult.FeatureImportance;
import dev.runway.training.engine.EvaluationResult.Point;
import dev.runway.training.engine.ModelFiles.Checkpoint;
import dev.runway.training.engine.ModelFiles.Metadata;
import dev.runway.training.engine.TrainingResult.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * Trains and evaluates models with DJL on the PyTorch engine. Plain functions: the runs feature calls them from its
 * executor, passes a {@link TrainingListener} for progress, cancellation and checkpoints, and stores what comes back.
 */
public final class TrainingEngine {

    static {
        // DJL reads this when its engine first loads; set before that so a node without internet never tries to
        // download natives (the CPU natives ship as a jar, GPU nodes point PYTORCH_LIBRARY_PATH at libtorch).
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // The models here are small: PyTorch's intra-op pool costs more than it gains and, on a busy node, its
        // spinning threads made a digits MLP 14× slower (36 s instead of 2.6 s). One thread per run also lets runs
        // share a node. Either property can still be set to use more.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    private static final int EVAL_BATCH = 512;
    private static final int FORMAT = 1;

    private TrainingEngine() {}

    /**
     * Trains a model on {@code data.train()}, validates each epoch on {@code data.validation()}, writes a checkpoint
     * per epoch under {@code workDir/checkpoints} and the best model under {@code workDir/model}, and measures it on
     * {@code data.test()}. The hyperparameters were checked when the run was submitted ({@link Hyperparameters#check});
     * here only what the data alone can tell is asserted ({@link Hyperparameters#checkData}).
     *
     * @param resumeFrom a checkpoint folder written by an earlier run of the same hyperparameters and data
     * @param requestedDevice "auto" (a GPU when there is one), "cpu", "gpu", or "gpu&lt;k&gt;" (GPU k)
     * @throws BadInputException for data the settings do not fit, a missing GPU, or a diverging loss
     *     ({@link TrainingDivergedException})
     */
    public static TrainingResult train(Hyperparameters h, PreparedData data, Path workDir, Optional<Path> resumeFrom,
            String requestedDevice, TrainingListener listener) {
        Hyperparameters.checkData(h, data);
        Device device = device(requestedDevice);
        Engine.getInstance().setRandomSeed((int) h.seed());
        noAutogradOutsideCollectors();
        Encoding encoding = modelEncoding(data.encoding(), h);
        try {
            Files.createDirectories(workDir);
            EpochLoop.Ended ended = epochs(h, encoding, data, new Checkpoints(workDir), resumeFrom, device, listener);
            if (ended.stopped() != null) {
                return ended.stopped();
            }
            return finish(h, encoding, data, workDir, device, ended, listener);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new BadInputException("resumeFrom", "The checkpoint cannot be read: " + e.getMessage());
        }
    }

    /** Builds the network and its trainer (from a checkpoint when resuming) and runs the epochs. */
    private static EpochLoop.Ended epochs(Hyperparameters h, Encoding encoding, PreparedData data,
            Checkpoints checkpoints, Optional<Path> resumeFrom, Device device, TrainingListener listener)
            throws IOException, MalformedModelException {
        ModelInputs train = ModelInputs.of(data.train(), h, encoding);
        ModelInputs validation = ModelInputs.of(data.validation(), h, encoding);
        Augmentation.Epochs augmented = new Augmentation.Epochs(h, encoding, train);
        try (Model model = Model.newInstance("runway-" + h.template().name().toLowerCase(Locale.ROOT), device)) {
            model.setBlock(block(h, encoding, train));
            Checkpoint start = resumeFrom.isPresent() ? checkpoints.resume(model, resumeFrom.get(), listener)
                    : Checkpoint.afterEpoch(0, Double.POSITIVE_INFINITY, 0, 0, 0);
            LearningRates rates = new LearningRates(h, (augmented.rows() + h.batchSize() - 1) / h.batchSize());
            float[] classWeights = classWeights(h, encoding, data.train());
            DefaultTrainingConfig config = new DefaultTrainingConfig(classWeights == null
                    ? loss(encoding.isClassification()) : new ClassWeightedLoss(classWeights))
                    .optOptimizer(optimizer(h, rates, start.optimizerSteps()))
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(train.shape(1));
                EpochLoop loop = new EpochLoop(h, encoding, model, trainer, augmented, validation, checkpoints,
                        name(device), listener, start);
                listener.log("Training " + h.template().label() + " on " + name(device) + ": " + train.rows()
                        + " training rows, " + validation.rows() + " validation rows, " + loop.batches()
                        + " batches per epoch");
                listener.log("Learning rate: " + rates.describe() + (h.weightDecay() > 0 ? "; L2 weight decay "
                        + h.weightDecay() : "; no weight decay"));
                if (classWeights != null) {
                    listener.log("Class weights (" + (h.classWeights() == ClassWeights.AUTO ? "auto, square root of balanced: the"
                            + " largest class has " + String.format(Locale.ROOT, "%.1f", ClassWeightedLoss.imbalance(
                                    data.train().y(), classWeights.length)) + "× the rows of the smallest"
                            : "balanced") + "): " + new ClassWeightedLoss(classWeights).describe(encoding.labels()));
                }
                if (h.augmentationOrNone().on()) {
                    listener.log("Augmentation of the training rows, drawn afresh each epoch: "
                            + h.augmentation().describe() + " (" + augmented.rows() + " rows per epoch)");
                }
                return loop.run();
            }
        }
    }

    /** The best epoch's parameters become the model, saved with its metadata and measured on the test split. */
    private static TrainingResult finish(Hyperparameters h, Encoding encoding, PreparedData data, Path workDir,
            Device device, EpochLoop.Ended ended, TrainingListener listener) {
        Path bestDir = workDir.resolve("best");
        Path modelDir = workDir.resolve("model");
        int lastEpoch = ended.lastEpoch();
        if (!Files.isDirectory(bestDir)) {
            throw new BadInputException("epochs", "Nothing left to train: the checkpoint is already at epoch "
                    + lastEpoch + " of " + h.epochs());
        }
        ModelFiles.copyFiles(bestDir, modelDir);
        boolean classification = encoding.isClassification();
        Map<String, Double> testMetrics = Map.of();
        Map<String, Double> coefficients = Map.of();
        try (Model model = load(modelDir, h, encoding, device)) {
            if (data.test().rows() > 0) {
                ModelInputs test = ModelInputs.of(data.test(), h, encoding);
                float[] predicted = predict(model, test, classification);
                testMetrics = classification
                        ? classificationMetrics(test.y(), predicted, encoding.labels().size())
                        : regressionMetrics(test.y(), predicted);
            }
            if (h.template() == Template.LINEAR_REGRESSION) {
                coefficients = coefficients(model, encoding);
            }
        }
        ModelFiles.write(modelDir.resolve(ModelFiles.METADATA), new Metadata(FORMAT, h, encoding, lastEpoch,
                name(device), testMetrics, coefficients));
        String message = (ended.early() ? "Stopped early after epoch " + lastEpoch : "Trained " + lastEpoch
                + " epochs") + " on " + name(device) + "; test " + summary(testMetrics);
        listener.log(message);
        return new TrainingResult(Status.SUCCEEDED, lastEpoch, ended.early(), name(device), testMetrics,
                coefficients, encoding.labels(), modelDir, message);
    }

    /**
     * Deletes a run's checkpoints other than {@code kept}, the one its database row now names: a resume only ever
     * starts from that one, and an epoch's checkpoint holds a whole copy of the parameters (a 512×512 MLP trained for
     * 200 epochs would otherwise leave 200 of them). The best model's files are links or copies of their own, so
     * they stay.
     */
    public static void keepOnlyCheckpoint(Path kept) {
        try (var dirs = Files.list(kept.getParent())) {
            for (Path dir : dirs.filter(d -> !d.equals(kept)).toList()) {
                ModelFiles.clear(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The encoding saved beside a trained model: to prepare other rows the way its training rows were. */
    public static Encoding savedEncoding(Path modelDir) {
        return ModelFiles.readMetadata(modelDir).encoding();
    }

    /**
     * PyTorch's grad mode is per thread and on by default; DJL turns it off only on the thread that loaded the engine.
     * Executor threads would otherwise record autograd graphs for every validation and evaluation pass, and refuse
     * in-place optimizer steps on parameters. Gradient collectors turn it on for the training step and back off.
     */
    static void noAutogradOutsideCollectors() {
        if (JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }

    /**
     * Measures a saved model on {@code data.test()}: metrics, per-class figures and confusion matrix or residual
     * points, and seeded permutation importance per feature. The data must be encoded like the model's training data
     * (the runs feature prepares another dataset version with {@link #savedEncoding}).
     */
    public static EvaluationResult evaluate(Path modelDir, PreparedData data) {
        Metadata metadata = ModelFiles.readMetadata(modelDir);
        Encoding encoding = metadata.encoding();
        if (!encoding.compatibleWith(data.encoding())) {
            throw new BadInputException("dataset", "These rows are not encoded like the model's training data: "
                    + "prepare them with the model's encoding (same target, features, classes and scaling)");
        }
        Hyperparameters h = metadata.hyperparameters();
        boolean classification = encoding.isClassification();
        ModelInputs inputs = ModelInputs.of(data.test(), h, encoding);
        if (inputs.rows() == 0) {
            throw new BadInputException("dataset", "There are no rows to evaluate on");
        }
        Device device = Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        noAutogradOutsideCollectors();
        try (Model model = load(modelDir, h, encoding, device)) {
            float[] predicted = predict(model, inputs, classification);
            int classes = encoding.labels().size();
            Map<String, Double> metrics = classification ? classificationMetrics(inputs.y(), predicted, classes)
                    : regressionMetrics(inputs.y(), predicted);
            List<ClassMetrics> perClass = new ArrayList<>();
            List<List<Long>> confusion = new ArrayList<>();
            List<Point> points = new ArrayList<>();
            if (classification) {
                long[][] matrix = confusion(inputs.y(), predicted, classes);
                for (int c = 0; c < classes; c++) {
                    double[] prf = precisionRecallF1(matrix, c);
                    long support = 0;
                    List<Long> row = new ArrayList<>();
                    for (int p = 0; p < classes; p++) {
                        support += matrix[c][p];
                        row.add(matrix[c][p]);
                    }
                    confusion.add(List.copyOf(row));
                    perClass.add(new ClassMetrics(encoding.labels().get(c), prf[0], prf[1], prf[2], support));
                }
            } else {
                int step = Math.max(1, (inputs.rows() + EvaluationResult.MAX_POINTS - 1) / EvaluationResult.MAX_POINTS);
                for (int i = 0; i < inputs.rows() && points.size() < EvaluationResult.MAX_POINTS; i += step) {
                    points.add(new Point(inputs.y()[i], predicted[i]));
                }
            }
            List<FeatureImportance> importance = permutationImportance(model, inputs, encoding, h.seed(),
                    classification, classification ? metrics.get("accuracy") : metrics.get("mse"));
            return new EvaluationResult(encoding.task(), inputs.rows(), metrics, encoding.labels(), perClass,
                    confusion, points, importance);
        }
    }

    /** "cpu", or "gpu" with its index when there is more than one GPU. */
    static String name(Device device) {
        if (!device.isGpu()) {
            return "cpu";
        }
        return Engine.getInstance().getGpuCount() > 1 ? "gpu" + device.getDeviceId() : "gpu";
    }

    /** The devices a run may ask for, as the runs form offers them. */
    public static List<String> devices() {
        return Engine.getInstance().getGpuCount() > 0 ? List.of("auto", "cpu", "gpu") : List.of("auto", "cpu");
    }

    /** "auto", "cpu", "gpu", or "gpu&lt;k&gt;": GPU k, the one an executor slot pinned for the run. */
    static Device device(String requested) {
        String r = requested == null ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        if (r.matches("gpu[0-9]{1,3}")) {
            int index = Integer.parseInt(r.substring(3));
            if (index >= gpus) {
                throw new BadInputException("device", "This node has no GPU " + index + " that PyTorch can use ("
                        + gpus + " GPU" + (gpus == 1 ? "" : "s") + ")");
            }
            return Device.gpu(index);
        }
        return switch (r) {
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new BadInputException("device", "This node has no GPU that PyTorch can use: choose "
                            + "“cpu” or “auto”, or run on a GPU worker");
                }
                yield Device.gpu();
            }
            default -> throw new BadInputException("device", "Unknown device “" + requested + "”: choose auto, cpu "
                    + "or gpu");
        };
    }

    /** The training encoding with the text vocabulary cut to the model's size, as the model will be saved with. */
    private static Encoding modelEncoding(Encoding encoding, Hyperparameters h) {
        if (!encoding.isText()) {
            return encoding;
        }
        List<String> vocabulary = encoding.vocabulary();
        int keep = Math.min(vocabulary.size(), h.vocabularySize() - 2);
        return new Encoding(encoding.task(), encoding.target(), encoding.features(), encoding.labels(),
                List.copyOf(vocabulary.subList(0, keep)), encoding.dropRowsWithMissing());
    }

    static int[] shuffled(int n, long seed, int epoch) {
        // One generator per epoch: a resumed run sees the same order as one that never stopped.
        Random random = new Random(seed * 1_000_003L + epoch);
        int[] order = ModelInputs.identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    static TrainingDivergedException diverged(double value, int epoch) {
        return new TrainingDivergedException("Training diverged: the loss became "
                + (Double.isNaN(value) ? "NaN" : "infinite") + " in epoch " + epoch + ". Lower the learning rate"
                + " (or standardise the features) and train again.");
    }

    private static Loss loss(boolean classification) {
        // Weight 1 so that the regression loss is the mean squared error itself, not half of it.
        return classification ? Loss.softmaxCrossEntropyLoss() : Loss.l2Loss("mse", 1f);
    }

    /**
     * The per-class loss weights of this run, or null when every row counts alike: {@link ClassWeights#BALANCED}
     * always (classification); {@link ClassWeights#AUTO} when the training split's classes are at least
     * {@link ClassWeights#AUTO_RATIO} apart in size and no oversampling balances them already, and then only
     * half-way (square root): fully balanced weights cost accuracy (0.9475 → 0.8775 on a 7 % positive table, where
     * the square root kept 0.9325 and raised F1 and balanced accuracy; docs/training.md).
     */
    static float[] classWeights(Hyperparameters h, Encoding encoding, PreparedData.Split train) {
        if (!encoding.isClassification() || h.classWeights() == ClassWeights.OFF) {
            return null;
        }
        int classes = encoding.labels().size();
        if (h.classWeights() == ClassWeights.AUTO && (h.augmentationOrNone().oversample()
                || ClassWeightedLoss.imbalance(train.y(), classes) < ClassWeights.AUTO_RATIO)) {
            return null;
        }
        return ClassWeightedLoss.balanced(train.y(), classes, h.classWeights() == ClassWeights.AUTO ? 0.5 : 1);
    }

    private static Optimizer optimizer(Hyperparameters h, Tracker rate, long steps) {
        int begin = (int) Math.min(Integer.MAX_VALUE, steps);
        float decay = (float) h.weightDecay();
        return switch (h.optimizer()) {
            case SGD -> Optimizer.sgd().setLearningRateTracker(rate).optWeightDecays(decay).optBeginNumUpdate(begin)
                    .build();
            case ADAM -> Optimizer.adam().optLearningRateTracker(rate).optWeightDecays(decay)
                    .optBeginNumUpdate(begin).build();
            case RMSPROP -> RmsProp.builder(rate).optWeightDecays(decay).optBeginNumUpdate(begin).build();
        };
    }

    static Block block(Hyperparameters h, Encoding encoding, ModelInputs inputs) {
        int outputs = encoding.isClassification() ? encoding.labels().size() : 1;
        Function<NDList, NDList> activation = activation(h.activation());
        SequentialBlock net = new SequentialBlock();
        switch (h.template()) {
            case LINEAR_REGRESSION, LOGISTIC_REGRESSION -> net.add(Linear.builder().setUnits(outputs).build());
            case MLP -> {
                for (int units : h.hiddenLayers()) {
                    net.add(Linear.builder().setUnits(units).build()).add(activation);
                    if (h.dropout() > 0) {
                        net.add(Dropout.builder().optRate((float) h.dropout()).build());
                    }
                }
                net.add(Linear.builder().setUnits(outputs).build());
            }
            case CNN -> {
                long height = h.imageHeight();
                long width = h.imageWidth();
                for (int channels : h.hiddenLayers()) {
                    net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                            .setFilters(channels).build()).add(activation);
                    if (height >= 2 && width >= 2) {
                        net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                        height /= 2;
                        width /= 2;
                    }
                }
                net.add(Blocks.batchFlattenBlock());
                if (h.dropout() > 0) {
                    net.add(Dropout.builder().optRate((float) h.dropout()).build());
                }
                net.add(Linear.builder().setUnits(outputs).build());
            }
            case TRANSFORMER -> {
                int hidden = h.hiddenLayers() == null || h.hiddenLayers().isEmpty() ? 2 * h.embeddingSize()
                        : h.hiddenLayers().get(0);
                net.add(new IdEmbedding.Builder().setDictionarySize((int) inputsVocabulary(encoding))
                        .setEmbeddingSize(h.embeddingSize()).build());
                for (int l = 0; l < h.encoderLayers(); l++) {
                    net.add(new TransformerEncoderBlock(h.embeddingSize(), h.attentionHeads(), hidden,
                            (float) h.dropout(), activation));
                }
                net.add(LambdaBlock.singleton(a -> a.mean(new int[] {1}), "meanPool"));
                net.add(Linear.builder().setUnits(outputs).build());
            }
        }
        return net;
    }

    private static long inputsVocabulary(Encoding encoding) {
        return encoding.vocabulary().size() + 2L;
    }

    private static Function<NDList, NDList> activation(Activation activation) {
        if (activation == null) {
            return ai.djl.nn.Activation::relu;
        }
        return switch (activation) {
            case RELU -> ai.djl.nn.Activation::relu;
            case TANH -> ai.djl.nn.Activation::tanh;
            case SIGMOID -> ai.djl.nn.Activation::sigmoid;
        };
    }

    static Model load(Path modelDir, Hyperparameters h, Encoding encoding, Device device) {
        Model model = Model.newInstance("runway-model", device);
        try {
            model.setBlock(block(h, encoding, null));
            model.load(modelDir, ModelFiles.PREFIX);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (e instanceof MalformedModelException) {
                throw new BadInputException("model", "The saved model in " + modelDir + " cannot be read: "
                        + e.getMessage());
            }
            throw (RuntimeException) e;
        }
    }

    /** Class indices (classification) or values (regression), one per row. */
    static float[] predict(Model model, ModelInputs inputs, boolean classification) {
        float[] result = new float[inputs.rows()];
        int[] order = ModelInputs.identity(inputs.rows());
        ParameterStore parameters = new ParameterStore(model.getNDManager(), false);
        for (int from = 0; from < inputs.rows(); from += EVAL_BATCH) {
            int to = Math.min(inputs.rows(), from + EVAL_BATCH);
            try (NDManager batch = model.getNDManager().newSubManager()) {
                NDArray x = inputs.batch(batch, order, from, to);
                NDArray out = model.getBlock().forward(parameters, new NDList(x), false).singletonOrThrow();
                float[] values = classification ? out.argMax(1).toType(DataType.FLOAT32, false).toFloatArray()
                        : out.reshape(-1).toFloatArray();
                System.arraycopy(values, 0, result, from, to - from);
            }
        }
        return result;
    }

    static Map<String, Double> classificationMetrics(float[] actual, float[] predicted, int classes) {
        long[][] matrix = confusion(actual, predicted, classes);
        long right = 0;
        double precision = 0;
        double recall = 0;
        double f1 = 0;
        for (int c = 0; c < classes; c++) {
            right += matrix[c][c];
            double[] prf = precisionRecallF1(matrix, c);
            precision += prf[0];
            recall += prf[1];
            f1 += prf[2];
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", actual.length == 0 ? 0 : (double) right / actual.length);
        metrics.put("precision", precision / classes);
        metrics.put("recall", recall / classes);
        metrics.put("f1", f1 / classes);
        return metrics;
    }

    static Map<String, Double> regressionMetrics(float[] actual, float[] predicted) {
        int n = actual.length;
        double mean = 0;
        for (float a : actual) {
            mean += a;
        }
        mean /= Math.max(1, n);
        double squared = 0;
        double absolute = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double error = actual[i] - predicted[i];
            squared += error * error;
            absolute += Math.abs(error);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("mse", squared / Math.max(1, n));
        metrics.put("mae", absolute / Math.max(1, n));
        metrics.put("r2", total == 0 ? 0 : 1 - squared / total);
        return metrics;
    }

    static long[][] confusion(float[] actual, float[] predicted, int classes) {
        long[][] matrix = new long[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            matrix[(int) actual[i]][(int) predicted[i]]++;
        }
        return matrix;
    }

    static double[] precisionRecallF1(long[][] matrix, int c) {
        long predictedC = 0;
        long actualC = 0;
        for (int k = 0; k < matrix.length; k++) {
            predictedC += matrix[k][c];
            actualC += matrix[c][k];
        }
        double precision = predictedC == 0 ? 0 : (double) matrix[c][c] / predictedC;
        double recall = actualC == 0 ? 0 : (double) matrix[c][c] / actualC;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new double[] {precision, recall, f1};
    }

    /** Intercept and slopes of a linear model in the data's original units (the standardisation undone). */
    private static Map<String, Double> coefficients(Model model, Encoding encoding) {
        float[] weights = null;
        float bias = 0;
        for (Parameter p : model.getBlock().getParameters().values()) {
            if (p.getType() == Parameter.Type.WEIGHT) {
                weights = p.getArray().toFloatArray();
            } else if (p.getType() == Parameter.Type.BIAS) {
                bias = p.getArray().toFloatArray()[0];
            }
        }
        Map<String, Double> result = new LinkedHashMap<>();
        double intercept = bias;
        List<String> names = encoding.columnNames();
        Map<String, Double> slopes = new LinkedHashMap<>();
        int column = 0;
        for (Feature f : encoding.features()) {
            if (f.kind() == Kind.NUMERIC) {
                double slope = weights[column] / f.std();
                intercept -= slope * f.mean();
                slopes.put(names.get(column), slope);
                column++;
            } else {
                for (int c = 0; c < f.categories().size(); c++) {
                    slopes.put(names.get(column), (double) weights[column]);
                    column++;
                }
            }
        }
        result.put("intercept", intercept);
        result.putAll(slopes);
        return result;
    }

    /**
     * For each input feature, shuffle its values across rows (seeded) and measure how much worse the model gets. A
     * categorical feature's one-hot columns move together; text moves as one feature (whole rows of tokens).
     */
    private static List<FeatureImportance> permutationImportance(Model model, ModelInputs inputs, Encoding encoding,
            long seed, boolean classification, double baseline) {
        List<FeatureImportance> result = new ArrayList<>();
        int size = inputs.rowSize();
        int column = 0;
        for (int f = 0; f < encoding.features().size(); f++) {
            Feature feature = encoding.features().get(f);
            int from = feature.kind() == Kind.TEXT ? 0 : column;
            int to = feature.kind() == Kind.TEXT ? size : column + feature.width();
            column = to;
            int[] order = shuffled(inputs.rows(), seed, 10_000 + f);
            float[] x = inputs.x().clone();
            for (int r = 0; r < inputs.rows(); r++) {
                System.arraycopy(inputs.x(), order[r] * size + from, x, r * size + from, to - from);
            }
            float[] predicted = predict(model, inputs.withX(x), classification);
            double importance = classification
                    ? baseline - classificationMetrics(inputs.y(), predicted, encoding.labels().size()).get("accuracy")
                    : regressionMetrics(inputs.y(), predicted).get("mse") - baseline;
            result.add(new FeatureImportance(feature.column(), importance));
        }
        return result;
    }

    private static String summary(Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return "metrics: none (no test rows)";
        }
        List<String> parts = new ArrayList<>();
        metrics.forEach((k, v) -> parts.add(k + " " + String.format(Locale.ROOT, "%.4f", v)));
        return String.join(", ", parts);
    }
}
