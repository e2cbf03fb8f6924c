package dev.runway.training.engine;

import dev.runway.dataset.Preparation.TaskType;
import java.util.Set;

/** The model families a run can train, and the tasks each fits. */
public enum Template {
    LINEAR_REGRESSION("Linear regression", Set.of(TaskType.REGRESSION)),
    LOGISTIC_REGRESSION("Logistic / softmax regression", Set.of(TaskType.CLASSIFICATION)),
    MLP("Multi-layer perceptron", Set.of(TaskType.REGRESSION, TaskType.CLASSIFICATION, TaskType.TEXT_CLASSIFICATION)),
    CNN("Small convolutional network (image rows)", Set.of(TaskType.CLASSIFICATION)),
    TRANSFORMER("Transformer encoder (text)", Set.of(TaskType.TEXT_CLASSIFICATION));

    private final String label;
    private final Set<TaskType> tasks;

    Template(String label, Set<TaskType> tasks) {
        this.label = label;
        this.tasks = tasks;
    }

    public String label() {
        return label;
    }

    public boolean fits(TaskType task) {
        return tasks.contains(task);
    }
}
