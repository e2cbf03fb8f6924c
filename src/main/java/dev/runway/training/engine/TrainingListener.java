package dev.runway.training.engine;

import java.nio.file.Path;

/** How a training reports progress and learns that it should stop (checked between batches). */
public interface TrainingListener {

    void onBatch(int epoch, int batch, int batchesPerEpoch);

    void onEpoch(EpochMetrics metrics);

    /** Called after the checkpoint of {@code epoch} was written to {@code dir}. */
    void onCheckpoint(int epoch, Path dir);

    /**
     * Called after a checkpoint in the middle of {@code epoch} (written for a hand-over): it holds {@code batch} of
     * that epoch's batches, and a training resumed from {@code dir} continues with batch {@code batch + 1}.
     */
    default void onBatchCheckpoint(int epoch, int batch, Path dir) {}

    void log(String line);

    /** True when the run was cancelled (or its budget reached): the engine stops after the current batch. */
    boolean stopRequested();

    /**
     * Asked once the training stops: true when the stop hands the run over to another node (this one drains), so the
     * engine first writes a checkpoint at the batch it stopped before; a cancel or a budget stop needs none.
     */
    default boolean handOver() {
        return false;
    }
}
