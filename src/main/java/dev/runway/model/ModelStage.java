package dev.runway.model;

/** Where a model version stands in its project's lifecycle. At most one version of a project is in Production. */
public enum ModelStage {
    NONE("None"),
    STAGING("Staging"),
    PRODUCTION("Production"),
    ARCHIVED("Archived");

    private final String label;

    ModelStage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
