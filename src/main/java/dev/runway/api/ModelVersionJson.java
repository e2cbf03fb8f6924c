package dev.runway.api;

import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ModelVersion")
public record ModelVersionJson(long id, long projectId, int version, long runId, long datasetVersionId,
        String template, @Schema(description = "test metrics by name") Map<String, Double> metrics,
        Instant createdAt,
        @Schema(description = "NONE, STAGING, PRODUCTION or ARCHIVED") String stage,
        @Schema(description = "the aliases that point at this version, e.g. champion") List<String> aliases) {

    static ModelVersionJson of(ModelVersion m, List<String> aliases) {
        return new ModelVersionJson(m.getId(), m.getProjectId(), m.getVersion(), m.getRunId(),
                m.getDatasetVersionId(), m.getTemplate(), ModelService.metrics(m), m.getCreatedAt(),
                m.getStage().name(), aliases == null ? List.of() : aliases);
    }
}
