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
 * a fixed pace, a checkpoint per epoch, resumable, stoppable between batches — so that admission, fairness, cancel and
 * recovery can be timed exactly. DJL training itself is tested in the engine's tests and in RunTrainingTest.
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
        int first = resumeFrom.map(p -> Integer.parseInt(p.getFileName().toString().substring(6)) + 1).orElse(1);
        listener.log(resumeFrom.map(p -> "Resuming from " + p.getFileName()).orElse("Starting"));
        for (int epoch = first; epoch <= epochs; epoch++) {
            for (int batch = 1; batch <= BATCHES; batch++) {
                if (listener.stopRequested()) {
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
