package dev.runway.api;

import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ModelVersion")
public record ModelVersionJson(long id, long projectId, int version, long runId, long datasetVersionId,
        String template, @Schema(description = "test metrics by name") Map<String, Double> metrics,
        Instant createdAt) {

    static ModelVersionJson of(ModelVersion m) {
        return new ModelVersionJson(m.getId(), m.getProjectId(), m.getVersion(), m.getRunId(),
                m.getDatasetVersionId(), m.getTemplate(), ModelService.metrics(m), m.getCreatedAt());
    }
}
