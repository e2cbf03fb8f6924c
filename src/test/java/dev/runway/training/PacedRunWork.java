package dev.runway.training;

import dev.runway.training.engine.EpochMetrics;
import dev.runway.training.engine.TrainingListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * For the queue's tests (selected by {@link PacedWorkProfile}): work with the shape of training — epochs of batches at
 * a fixed pace, a checkpoint per epoch and one where a hand-over stops it, resumable, stoppable between batches — so
 * that admission, fairness, cancel, recovery and the drain can be timed exactly. DJL training itself is tested in the engine's tests and in RunTrainingTest.
 */
@Alternative
@ApplicationScoped
public class PacedRunWork implements RunWork {

    public static volatile long batchMillis = 40;
    public static final int BATCHES = 5;

    @Override
    public Outcome execute(Run run, int gpu, Path workDir, Optional<Path> resumeFrom, TrainingListener listener)
            throws Exception {
        int epochs = Math.max(1, run.getTotalEpochs());
        // epoch-3 (after epoch 3) or epoch-4-batch-2 (two batches into epoch 4), as the engine names them.
        String[] resumed = resumeFrom.map(p -> p.getFileName().toString().split("-")).orElse(new String[0]);
        int first = resumed.length == 0 ? 1 : Integer.parseInt(resumed[1]) + (resumed.length == 2 ? 1 : 0);
        int firstBatch = resumed.length == 4 ? Integer.parseInt(resumed[3]) + 1 : 1;
        listener.log(resumeFrom.map(p -> "Resuming from " + p.getFileName()).orElse("Starting"));
        for (int epoch = first; epoch <= epochs; epoch++) {
            for (int batch = epoch == first ? firstBatch : 1; batch <= BATCHES; batch++) {
                if (listener.stopRequested()) {
                    if (batch > 1 && listener.handOver()) {
                        Path checkpoint = Files.createDirectories(workDir.resolve("checkpoints")
                                .resolve("epoch-" + epoch + "-batch-" + (batch - 1)));
                        listener.onBatchCheckpoint(epoch, batch - 1, checkpoint);
                    }
                    return new Outcome(true, "cpu", null, null);
                }
                Thread.sleep(batchMillis);
                listener.onBatch(epoch, batch, BATCHES);
            }
            listener.onEpoch(new EpochMetrics(epoch, 1.0 / epoch, 1.1 / epoch, 0.5 + epoch / 100.0,
                    0.5 + epoch / 110.0, BATCHES * 10L, BATCHES * batchMillis / 1000.0));
            Path checkpoint = Files.createDirectories(workDir.resolve("checkpoints").resolve("epoch-" + epoch));
            Files.writeString(checkpoint.resolve("state.json"), "{\"epoch\":" + epoch + "}");
            listener.onCheckpoint(epoch, checkpoint);
        }
        return new Outcome(false, "cpu", "{\"testMetrics\":{\"accuracy\":0.9}}", workDir.resolve("model").toString());
    }
}
