package dev.runway.budget;

/** Where money came from. */
public enum FundingKind {
    ANGEL("Angel"), VENTURE("Venture"), GRANT("Grant"), REVENUE("Revenue"), OTHER("Other");

    private final String label;

    FundingKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
