package dev.runway.training.engine;

/**
 * What a model predicts. The engine's own word for the dataset preparation's task, with the same names (so saved
 * models and results read the same), so that the engine depends on no dataset type.
 */
public enum Task {
    REGRESSION,
    CLASSIFICATION,
    TEXT_CLASSIFICATION;

    /** The task of the same name: the dataset preparation's task as the engine sees it. */
    public static Task of(Enum<?> task) {
        return task == null ? null : valueOf(task.name());
    }
}
