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

    /**
     * The label of a run's or model version's template name; an imported version (and its evaluations) names its file
     * format instead ({@link ImportedModels#FORMATS}), which is no template.
     */
    public static String labelOf(String name) {
        for (Template t : values()) {
            if (t.name().equals(name)) {
                return t.label();
            }
        }
        return ImportedModels.label(name);
    }

    public boolean fits(TaskType task) {
        return tasks.contains(task);
    }
}
