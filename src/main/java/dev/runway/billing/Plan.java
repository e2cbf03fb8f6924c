package dev.runway.billing;

/** A tenant's plan; its prices, allowance and concurrency come from the {@link PriceList} version in force. */
public enum Plan {
    FREE("Free"),
    TEAM("Team"),
    ENTERPRISE("Enterprise");

    private final String label;

    Plan(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
