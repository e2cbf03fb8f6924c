package dev.runway.training;

import dev.runway.training.engine.TrainingListener;
import java.nio.file.Path;
import java.util.Optional;

/** What an admitted run does on its executor slot: train or evaluate. Runs outside any transaction. */
interface RunWork {

    /** How the work ended: stopped (cancel, shutdown) or done with its result. */
    record Outcome(boolean stopped, String device, String resultJson, String modelDir) {}

    /** @param gpu the index of the GPU this slot pinned for the run, or -1 when it has none (a CPU run or node) */
    Outcome execute(Run run, int gpu, Path workDir, Optional<Path> resumeFrom, TrainingListener listener)
            throws Exception;
}
