package dev.runway.training;

import dev.runway.training.engine.TrainingListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.file.Path;
import java.util.Optional;

/**
 * For the dispatch benchmark (selected by {@link DispatchProfile}): work that returns at once, so that what is timed
 * is the queue itself — submit, claim, admission, finish — and nothing of training.
 */
@Alternative
@ApplicationScoped
public class NoOpRunWork implements RunWork {

    @Override
    public Outcome execute(Run run, int gpu, Path workDir, Optional<Path> resumeFrom, TrainingListener listener) {
        return new Outcome(false, "cpu", null, null);
    }
}
