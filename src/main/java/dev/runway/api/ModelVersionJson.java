package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.runway.base.Json;
import dev.runway.model.ModelService;
import dev.runway.model.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ModelVersion", example = "{\"id\": 88, \"projectId\": 3, \"version\": 5, \"runId\": 1201, \"datasetVersionId\": 42, "
        + "\"template\": \"MLP\", \"imported\": false, \"metrics\": {\"accuracy\": 0.967}, "
        + "\"createdAt\": \"2026-11-30T09:13:20Z\", \"stage\": \"STAGING\", "
        + "\"aliases\": [\"champion\"]}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersionJson(long id, long projectId, int version,
        @Schema(description = "the training run; absent for an imported version") Long runId,
        @Schema(description = "the data it was trained on; absent for an imported version") Long datasetVersionId,
        @Schema(description = "the template, or ONNX / TORCHSCRIPT for an imported version") String template,
        @Schema(description = "uploaded as a file rather than trained here") boolean imported,
        @Schema(description = "an imported version's manifest") Object manifest, @Schema(description = "test metrics by name") Map<String, Double> metrics,
        Instant createdAt,
        @Schema(description = "NONE, STAGING, PRODUCTION or ARCHIVED") String stage,
        @Schema(description = "the aliases that point at this version, e.g. champion") List<String> aliases,
        @Schema(description = "lineage: the preparation its run trained with; given when one version is asked for, "
                + "absent for imported versions and runs from before revisions were kept")
        PreparationRevisionJson preparation) {

    static ModelVersionJson of(ModelVersion m, List<String> aliases) {
        return of(m, aliases, null);
    }

    static ModelVersionJson of(ModelVersion m, List<String> aliases, PreparationRevisionJson preparation) {
        return new ModelVersionJson(m.getId(), m.getProjectId(), m.getVersion(), m.getRunId(),
                m.getDatasetVersionId(), m.getTemplate(), m.isImported(),
                m.isImported() ? Json.tree(m.manifestJson()) : null, ModelService.metrics(m), m.getCreatedAt(),
                m.getStage().name(), aliases == null ? List.of() : aliases, preparation);
    }
}
