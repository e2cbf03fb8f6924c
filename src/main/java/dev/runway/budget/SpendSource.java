package dev.runway.budget;

/** Who recorded an actual: a person (editable) or the billing feature (read-only, posted with a key). */
public enum SpendSource {
    MANUAL, BILLING
}
