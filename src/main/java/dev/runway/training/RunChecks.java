package dev.runway.training;

import dev.runway.base.BadInputException;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.Preparation;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Task;

/**
 * The checks made once per run, when it is submitted, from the settings and the dataset's profile alone (no data is
 * read), so that nothing unrunnable is queued: the settings by the engine's one validator ({@link
 * Hyperparameters#check}, its limits), then what the profile says about the target and the split. The engine only
 * asserts, when the run starts, what the loaded data alone can tell.
 */
final class RunChecks {

    private RunChecks() {}

    static void check(Hyperparameters h, Preparation preparation, CsvProfile profile) {
        Task task = Task.of(preparation.task());
        // At submission the feature columns stand for the values per row (an image's pixels are numeric columns).
        Hyperparameters.check(h, task, task == Task.TEXT_CLASSIFICATION ? 0 : preparation.features().size());
        if (task != Task.REGRESSION) {
            profile.column(preparation.target()).filter(c -> c.distinct() < 2).ifPresent(c -> {
                throw new BadInputException("dataset", "The target “" + c.name() + "” has fewer than two classes");
            });
        }
        // A preparation saved before the split check existed may still leave validation or test empty.
        preparation.checkSplit(profile);
    }
}
