package dev.runway.dataset;

/** Fired (CDI event) inside the transaction that records a new dataset version. */
public record DatasetVersionAdded(long tenantId, long projectId, long datasetId, long versionId, long userId) {}
