package dev.runway.training.engine;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How fast the engine trains against its peers: the digits MLP (64-128-10, ReLU, dropout 0.1, Adam lr 0.01, batch 32,
 * 20 epochs, no early stopping) trained through {@link TrainingEngine#train} (which also validates each epoch, writes
 * a checkpoint per epoch, saves the model and measures the test split), through a bare DJL loop over an
 * {@link ArrayDataset} of the same training arrays, and by Python PyTorch ({@code src/test/python/digits_mlp_peer.py}
 * run by {@code /usr/bin/python3} on the same rows, one thread, a validation pass per epoch). Each round runs the three
 * one after the other, so that they share the machine's load alike. Run: see docs/benchmarks.md.
 */
public final class TrainingOverheadBenchmark {

    private static final int EPOCHS = 20;
    private static final int REPEATS = Integer.getInteger("bench.repeats", 7);
    private static final String PYTHON = System.getProperty("bench.python", "/usr/bin/python3");
    private static final Path PEER = Path.of("src/test/python/digits_mlp_peer.py");

    public static void main(String[] args) throws Exception {
        PreparedData data = EngineSamples.digits();
        Hyperparameters h = Hyperparameters.defaults(Template.MLP).withEpochs(EPOCHS).withEarlyStoppingPatience(0);
        String devices = TrainingEngine.devices().toString(); // loads the engine class, which sets the threads
        System.out.println("PyTorch threads: " + System.getProperty("ai.djl.pytorch.num_threads") + "; devices "
                + devices + "; " + data.train().rows() + " training rows × " + EPOCHS + " epochs, "
                + data.validation().rows() + " validation rows");
        Path rows = writeRows(data);
        long samples = (long) data.train().rows() * EPOCHS;
        double[] engine = new double[REPEATS];
        double[] loop = new double[REPEATS];
        double[] bare = new double[REPEATS];
        double[] python = new double[REPEATS];
        double[] checkpoints = new double[REPEATS];
        double[] before = new double[REPEATS];
        double[] after = new double[REPEATS];
        engineRun(h, data);
        bareRun(h, data);
        for (int i = 0; i < REPEATS; i++) {
            double[] run = engineRun(h, data);
            engine[i] = run[0];
            loop[i] = run[1];
            checkpoints[i] = run[2];
            before[i] = run[3];
            after[i] = run[4];
            bare[i] = bareRun(h, data);
            python[i] = pythonRun(rows);
            System.out.printf(Locale.ROOT, "round %d: engine %.3f s end to end (%.0f samples/s; its epochs %.3f s), "
                    + "bare DJL %.3f s (%.0f samples/s), Python PyTorch %.3f s (%.0f samples/s)%n", i + 1, engine[i],
                    samples / engine[i], loop[i], bare[i], samples / bare[i], python[i], samples / python[i]);
        }
        double e = median(engine);
        double l = median(loop);
        double b = median(bare);
        double p = median(python);
        System.out.printf(Locale.ROOT, "median of %d rounds, samples/s:%n", REPEATS);
        System.out.printf(Locale.ROOT, "| engine end to end | engine epochs alone | bare DJL loop | Python PyTorch "
                + "| engine ÷ Python | bare DJL ÷ Python | engine overhead over bare DJL | epochs' overhead |%n");
        System.out.printf(Locale.ROOT, "| %,.0f | %,.0f | %,.0f | %,.0f | %.2f× | %.2f× | %.1f %% | %.1f %% |%n",
                samples / e, samples / l, samples / b, samples / p, p / e, p / b, (e - b) / b * 100,
                (l - b) / b * 100);
        System.out.printf(Locale.ROOT, "engine outside its epochs (medians): checkpoints %.1f ms per run (%.2f ms per "
                + "epoch), before the first batch %.1f ms, after the last checkpoint (final model, test split) %.1f ms%n",
                median(checkpoints) * 1e3, median(checkpoints) * 1e3 / EPOCHS, median(before) * 1e3,
                median(after) * 1e3);
        Files.deleteIfExists(rows);
    }

    /** The training and validation rows, as the peer script reads them (big-endian ints and floats). */
    private static Path writeRows(PreparedData data) throws IOException {
        Path file = Files.createTempFile("digits-rows", ".bin");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (PreparedData.Split split : new PreparedData.Split[] {data.train(), data.validation()}) {
                out.writeInt(split.rows());
                out.writeInt(split.width());
                for (float v : split.x()) {
                    out.writeFloat(v);
                }
                for (float v : split.y()) {
                    out.writeFloat(v);
                }
            }
        }
        return file;
    }

    /** Seconds of one timed training in a fresh Python process (after one warm-up training there). */
    private static double pythonRun(Path rows) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(PYTHON, PEER.toString(), rows.toString(), String.valueOf(EPOCHS), "1")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("The Python peer failed: " + output);
        }
        for (String line : output.split("\\R")) {
            if (line.startsWith("python ")) {
                return Double.parseDouble(line.split(" ")[1]);
            }
        }
        throw new IllegalStateException("The Python peer printed no time: " + output);
    }

    /**
     * Seconds end to end, the sum of the epochs' own seconds (training batches plus validation), and where the rest
     * went: writing checkpoints, before the first batch (network, trainer), after the last checkpoint (final model,
     * test split).
     */
    private static double[] engineRun(Hyperparameters h, PreparedData data) throws Exception {
        Path dir = Files.createTempDirectory("engine-bench");
        Timing timing = new Timing();
        long start = System.nanoTime();
        TrainingEngine.train(h, data, dir, Optional.empty(), "cpu", timing);
        long end = System.nanoTime();
        ModelFiles.clear(dir);
        return new double[] {(end - start) / 1e9, timing.epochSeconds, timing.checkpointNanos / 1e9,
                (timing.firstBatch - start) / 1e9, (end - timing.lastCheckpoint) / 1e9};
    }

    /** A listener that only notes the time of each step. */
    private static final class Timing implements TrainingListener {
        long firstBatch;
        long epochEnd;
        long lastCheckpoint;
        long checkpointNanos;
        double epochSeconds;

        @Override
        public void onBatch(int epoch, int batch, int batchesPerEpoch) {
            if (firstBatch == 0) {
                firstBatch = System.nanoTime();
            }
        }

        @Override
        public void onEpoch(EpochMetrics metrics) {
            epochSeconds += metrics.seconds();
            epochEnd = System.nanoTime();
        }

        @Override
        public void onCheckpoint(int epoch, Path checkpoint) {
            lastCheckpoint = System.nanoTime();
            checkpointNanos += lastCheckpoint - epochEnd;
        }

        @Override
        public void log(String line) {}

        @Override
        public boolean stopRequested() {
            return false;
        }
    }

    private static double bareRun(Hyperparameters h, PreparedData data) throws Exception {
        long start = System.nanoTime();
        try (Model model = Model.newInstance("bare");
                NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock();
            net.add(Linear.builder().setUnits(h.hiddenLayers().get(0)).build()).add(Activation::relu)
                    .add(Dropout.builder().optRate((float) h.dropout()).build())
                    .add(Linear.builder().setUnits(10).build());
            model.setBlock(net);
            PreparedData.Split train = data.train();
            ArrayDataset dataset = new ArrayDataset.Builder()
                    .setData(manager.create(train.x(), new Shape(train.rows(), train.width())))
                    .optLabels(manager.create(train.y()))
                    .setSampling(h.batchSize(), true)
                    .build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) h.learningRate()))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, train.width()));
                for (int epoch = 0; epoch < h.epochs(); epoch++) {
                    for (Batch batch : trainer.iterateDataset(dataset)) {
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray prediction = trainer.forward(batch.getData()).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), new NDList(prediction));
                            collector.backward(loss);
                        }
                        trainer.step();
                        batch.close();
                    }
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
