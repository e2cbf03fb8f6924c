package dev.runway.training.engine;

import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.CsvProfiler;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.training.TrainingData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** The sample data sets prepared like the sample project prepares them, and a listener that records. */
final class EngineSamples {

    static final Path SAMPLES = Path.of("samples");

    private EngineSamples() {}

    static PreparedData linear() {
        return load("linear.csv", Preparation.defaults("y", List.of("x"), TaskType.REGRESSION));
    }

    static PreparedData iris() {
        return load("iris.csv", Preparation.defaults("species",
                List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), TaskType.CLASSIFICATION));
    }

    static PreparedData digits() {
        return load("digits.csv", Preparation.defaults("digit",
                IntStream.range(0, 64).mapToObj(i -> "pixel_" + i).toList(), TaskType.CLASSIFICATION));
    }

    static PreparedData tickets() {
        return load("support_tickets.csv", Preparation.defaults("intent", List.of("text"),
                TaskType.TEXT_CLASSIFICATION));
    }

    static PreparedData load(String file, Preparation preparation) {
        return TrainingData.load(SAMPLES.resolve(file), profile(file).delimiter(), profile(file), preparation);
    }

    static CsvProfile profile(String file) {
        try {
            return CsvProfiler.profile(SAMPLES.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records what the engine reports; can ask to stop after a number of batches, for a hand-over or not. */
    static final class Recorder implements TrainingListener {
        final List<EpochMetrics> epochs = new ArrayList<>();
        final List<Integer> checkpoints = new ArrayList<>();
        /** The mid-epoch checkpoints: {epoch, batch} each. */
        final List<int[]> batchCheckpoints = new ArrayList<>();
        boolean handOver;
        final List<String> log = new ArrayList<>();
        int batches;
        int batchesAtStop = -1;
        final int stopAfterBatches;

        Recorder() {
            this(Integer.MAX_VALUE);
        }

        Recorder(int stopAfterBatches) {
            this.stopAfterBatches = stopAfterBatches;
        }

        @Override
        public void onBatch(int epoch, int batch, int batchesPerEpoch) {
            batches++;
        }

        @Override
        public void onEpoch(EpochMetrics metrics) {
            epochs.add(metrics);
        }

        @Override
        public void onCheckpoint(int epoch, Path dir) {
            checkpoints.add(epoch);
        }

        @Override
        public void onBatchCheckpoint(int epoch, int batch, Path dir) {
            batchCheckpoints.add(new int[] {epoch, batch});
        }

        @Override
        public boolean handOver() {
            return handOver;
        }

        @Override
        public void log(String line) {
            log.add(line);
        }

        @Override
        public boolean stopRequested() {
            boolean stop = batches >= stopAfterBatches;
            if (stop && batchesAtStop < 0) {
                batchesAtStop = batches;
            }
            return stop;
        }
    }
}
