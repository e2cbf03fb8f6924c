package dev.runway.billing;

import java.math.BigDecimal;

/**
 * What usage is measured in. Compute is recorded in device-seconds and priced per hour; storage is recorded in
 * GB-hours and priced per GB-month of 730 hours.
 */
public enum Resource {
    GPU("GPU time", "hour", new BigDecimal(3600)),
    CPU("CPU time", "hour", new BigDecimal(3600)),
    STORAGE("Storage", "GB-month", new BigDecimal(730));

    private final String label;
    private final String unit;
    private final BigDecimal perUnit;

    Resource(String label, String unit, BigDecimal perUnit) {
        this.label = label;
        this.unit = unit;
        this.perUnit = perUnit;
    }

    public String label() {
        return label;
    }

    /** The unit prices are quoted in. */
    public String unit() {
        return unit;
    }

    /** Recorded quantity per priced unit: seconds per hour, GB-hours per GB-month. */
    public BigDecimal perUnit() {
        return perUnit;
    }
}
