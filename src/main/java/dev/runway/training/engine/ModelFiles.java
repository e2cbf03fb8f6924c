package dev.runway.training.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.runway.base.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** The files of a saved model and of a checkpoint: DJL parameters plus small JSON files. */
final class ModelFiles {

    static final String PREFIX = "model";
    static final String METADATA = "runway-model.json";
    static final String CHECKPOINT = "checkpoint.json";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * What inference needs beside the parameters: the hyperparameters rebuild the network, the encoding turns rows
     * into its input (its vocabulary already cut to the model's size).
     */
    record Metadata(int format, Hyperparameters hyperparameters, Encoding encoding, int epochs, String device,
            Map<String, Double> testMetrics, Map<String, Double> coefficients) {}

    /**
     * The state a resumed training needs; the optimizer's own moments are not in it (DJL cannot save them).
     *
     * @param epoch the last completed epoch
     * @param optimizerSteps updates done so far, handed to the new optimizer as its first update number
     * @param batches batches of epoch {@code epoch + 1} already done: 0 at an epoch's end, more in a checkpoint written
     *     mid-epoch for a hand-over, which also keeps that epoch's running sums so its metrics come out whole
     * @param lossSum the partial epoch's training loss summed over its rows so far
     * @param metricSum the partial epoch's correct predictions (classification) or loss sum (regression) so far
     */
    record Checkpoint(int epoch, double bestValidationLoss, int bestEpoch, int epochsWithoutImprovement,
            long optimizerSteps, int batches, double lossSum, double metricSum) {

        /** The state at the end of {@code epoch}. */
        static Checkpoint afterEpoch(int epoch, double bestValidationLoss, int bestEpoch,
                int epochsWithoutImprovement, long optimizerSteps) {
            return new Checkpoint(epoch, bestValidationLoss, bestEpoch, epochsWithoutImprovement, optimizerSteps, 0,
                    0, 0);
        }

        /** This state part-way through the next epoch. */
        Checkpoint atBatch(long steps, int batchesDone, double partialLossSum, double partialMetricSum) {
            return new Checkpoint(epoch, bestValidationLoss, bestEpoch, epochsWithoutImprovement, steps, batchesDone,
                    partialLossSum, partialMetricSum);
        }
    }

    private ModelFiles() {}

    static Metadata readMetadata(Path modelDir) {
        Path file = modelDir.resolve(METADATA);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("model", "No trained model in " + modelDir + " (" + METADATA + " missing)");
        }
        return read(file, Metadata.class);
    }

    static Checkpoint readCheckpoint(Path dir) {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("resumeFrom", "No checkpoint in " + dir + " (" + CHECKPOINT + " missing)");
        }
        return read(file, Checkpoint.class);
    }

    static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the files (not sub-folders) of {@code from} into a fresh {@code to}. */
    static void copyFiles(Path from, Path to) {
        try {
            clear(to);
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The parameter files of {@code from} in {@code to}, in place of those there, as hard links: a parameter file is
     * written once and never changed (a folder is cleared before a model is saved into it), so a link is as good as a
     * copy, and on a busy disk creating a file costs ten times a link. Copies where links fail (another file system,
     * or one without links).
     */
    static void linkParameters(Path from, Path to) {
        try {
            if (Files.isDirectory(to)) {
                for (Path old : parameterFiles(to)) {
                    Files.delete(old);
                }
            } else {
                Files.createDirectories(to);
            }
            for (Path f : parameterFiles(from)) {
                Path target = to.resolve(f.getFileName());
                try {
                    Files.createLink(target, f);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.List<Path> parameterFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".params")).toList();
        }
    }

    static void clear(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
