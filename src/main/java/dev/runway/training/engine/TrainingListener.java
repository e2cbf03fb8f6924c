package dev.runway.training.engine;

import java.nio.file.Path;

/** How a training reports progress and learns that it should stop (checked between batches). */
public interface TrainingListener {

    void onBatch(int epoch, int batch, int batchesPerEpoch);

    void onEpoch(EpochMetrics metrics);

    /** Called after the checkpoint of {@code epoch} was written to {@code dir}. */
    void onCheckpoint(int epoch, Path dir);

    void log(String line);

    /** True when the run was cancelled (or its budget reached): the engine stops after the current batch. */
    boolean stopRequested();
}
