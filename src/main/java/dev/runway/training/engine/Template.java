package dev.runway.training.engine;

import java.util.Set;

/** The model families a run can train, and the tasks each fits. */
public enum Template {
    LINEAR_REGRESSION("Linear regression", Set.of(Task.REGRESSION)),
    LOGISTIC_REGRESSION("Logistic / softmax regression", Set.of(Task.CLASSIFICATION)),
    MLP("Multi-layer perceptron", Set.of(Task.REGRESSION, Task.CLASSIFICATION, Task.TEXT_CLASSIFICATION)),
    CNN("Small convolutional network (image rows)", Set.of(Task.CLASSIFICATION)),
    TRANSFORMER("Transformer encoder (text)", Set.of(Task.TEXT_CLASSIFICATION));

    private final String label;
    private final Set<Task> tasks;

    Template(String label, Set<Task> tasks) {
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

    public boolean fits(Task task) {
        return tasks.contains(task);
    }
}
