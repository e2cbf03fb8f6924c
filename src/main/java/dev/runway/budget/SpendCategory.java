package dev.runway.budget;

/** What money is spent on, in the plan and in actual spend. */
public enum SpendCategory {
    COMPUTE("Compute"), PEOPLE("People"), MARKETING("Marketing"), INFRASTRUCTURE("Infrastructure"), OTHER("Other");

    private final String label;

    SpendCategory(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
