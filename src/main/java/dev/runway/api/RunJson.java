package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.runway.base.Text;
import dev.runway.training.Run;
import dev.runway.training.RunResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A run as the API shows it. Built only through {@link #of}, so that fields can be added without breaking callers.
 * Absent values (not started yet, no metrics or cost asked for) are left out.
 */
@Schema(name = "Run", example = "{\"id\": 1201, \"projectId\": 3, \"datasetVersionId\": 42, \"kind\": \"TRAIN\", "
        + "\"template\": \"MLP\", \"status\": \"SUCCEEDED\", \"finished\": true, \"progress\": 1.0, "
        + "\"epoch\": 40, \"totalEpochs\": 40, \"requestedDevice\": \"auto\", \"deviceUsed\": \"cpu\", "
        + "\"pool\": \"cpu\", \"priority\": 50, \"attempt\": 1, \"cancelRequested\": false, "
        + "\"createdAt\": \"2026-11-30T09:12:44Z\", \"startedAt\": \"2026-11-30T09:12:45Z\", "
        + "\"finishedAt\": \"2026-11-30T09:13:20Z\", \"modelVersionId\": 88, "
        + "\"metrics\": [{\"epoch\": 12, \"trainLoss\": 0.21, \"validationLoss\": 0.25, "
        + "\"trainMetric\": 0.94, \"validationMetric\": 0.93}], \"cost\": {\"amount\": 0.0042, "
        + "\"currency\": \"USD\", \"deviceSeconds\": 35.1}, \"results\": {\"accuracy\": 0.967, "
        + "\"loss\": 0.11}}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunJson(
        long id,
        long projectId,
        long datasetVersionId,
        String kind,
        String template,
        @Schema(enumeration = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "STOPPED"}) String status,
        boolean finished,
        @Schema(description = "share of the planned batches done, 0 to 1") double progress,
        int epoch,
        int totalEpochs,
        String requestedDevice,
        String deviceUsed,
        @Schema(description = "the worker pool that executes the run") String pool,
        int priority,
        int attempt,
        boolean cancelRequested,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error,
        @Schema(description = "the model version a succeeded training run registered") Long modelVersionId,
        @Schema(description = "per epoch, oldest first; given when one run is asked for") List<MetricJson> metrics,
        @Schema(description = "metered cost so far, live while it runs; given when one run is asked for") Cost cost,
        @Schema(description = "once succeeded, given when one run is asked for: a training run's test metrics, an "
                + "evaluation's metrics (accuracy, precision, recall, f1 for classification; mse, mae, r2 for "
                + "regression)") Map<String, Double> results,
        @Schema(description = "a succeeded evaluation run's whole result, given when one run is asked for: rows, "
                + "labels, perClass, confusion (classification), points (regression: actual and predicted), importance "
                + "(permutation importance per feature)") Object evaluation,
        @Schema(description = "the preparation the run trains with (revision of its dataset version's settings, kept "
                + "when they change later); given when one run is asked for, absent for runs from before revisions "
                + "were kept") PreparationRevisionJson preparation) {

    /** What the run cost so far: its metered segments plus the one under way, at the plan's prices. */
    @Schema(name = "RunCost")
    public record Cost(java.math.BigDecimal amount, String currency, java.math.BigDecimal deviceSeconds) {}

    static RunJson of(Run r, Long modelVersionId, List<MetricJson> metrics) {
        return of(r, modelVersionId, metrics, null);
    }

    static RunJson of(Run r, Long modelVersionId, List<MetricJson> metrics, Cost cost) {
        return of(r, modelVersionId, metrics, cost, null);
    }

    static RunJson of(Run r, Long modelVersionId, List<MetricJson> metrics, Cost cost,
            PreparationRevisionJson preparation) {
        RunResult result = cost == null || r.getStatus() != Run.Status.SUCCEEDED ? null : r.result().orElse(null);
        Map<String, Double> results = result == null ? null
                : r.getKind() == Run.Kind.EVALUATE ? result.metrics() : result.testMetrics();
        return new RunJson(r.getId(), r.getProjectId(), r.getDatasetVersionId(), r.getKind().name(), r.getTemplate(),
                r.getStatus().name(), r.getStatus().finished(), r.progress(), r.getEpoch(), r.getTotalEpochs(),
                r.getRequestedDevice(), r.getDeviceUsed(), r.getPool(), r.getPriority(), r.getAttempt(),
                r.isCancelRequested(), r.getCreatedAt(), r.getStartedAt(), r.getFinishedAt(),
                Text.withoutFilePaths(r.getError()), modelVersionId, metrics, cost, results,
                r.getKind() == Run.Kind.EVALUATE && result != null ? result.evaluation() : null, preparation);
    }
}
