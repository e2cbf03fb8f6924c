package dev.runway.base;

/**
 * How many runs at once a company's plan lets it have from now on: fired by billing inside the transaction that
 * changes the plan (and by its hourly job, when a change stated for later takes hold), heard by training, which keeps
 * it as the company's executor quota in its own table. In the shared kernel because billing already depends on
 * training (it implements training's charges port), so training cannot hear a billing type.
 *
 * @param tenantId  the company
 * @param runsAtOnce the plan's concurrency, at least 1
 */
public record PlanConcurrency(long tenantId, int runsAtOnce) {}
