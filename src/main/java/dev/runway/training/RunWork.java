package dev.runway.training;

import dev.runway.training.engine.TrainingListener;
import java.nio.file.Path;
import java.util.Optional;

/** What an admitted run does on its executor slot: train or evaluate. Runs outside any transaction. */
interface RunWork {

    /** How the work ended: stopped (cancel, shutdown) or done with its result. */
    record Outcome(boolean stopped, String device, String resultJson, String modelDir) {}

    Outcome execute(Run run, Path workDir, Optional<Path> resumeFrom, TrainingListener listener) throws Exception;
}
