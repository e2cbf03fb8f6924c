package dev.runway.training;

/**
 * Fired inside the transaction that ends a run (CDI event), for features that act on it: the model registry
 * registers a trained model, billing meters the run.
 */
public record RunFinished(long tenantId, long runId, long projectId, long datasetVersionId, long userId,
        Run.Kind kind, Run.Status status, String template, String resultJson, String modelDir) {

    static RunFinished of(long tenantId, Run run) {
        return new RunFinished(tenantId, run.getId(), run.getProjectId(), run.getDatasetVersionId(),
                run.getStartedBy(), run.getKind(), run.getStatus(), run.getTemplate(), run.resultJson(),
                run.getModelDir());
    }
}
