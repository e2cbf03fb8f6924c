package dev.runway.api;

import dev.runway.model.ModelLifecycle;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "StageRequest", description = "A stage change waiting for approvals", example = "{\"id\": 17, \"versionId\": 88, \"version\": 5, \"targetStage\": \"PRODUCTION\", "
        + "\"status\": \"PENDING\", \"requestedBy\": \"Mei Chen\", "
        + "\"comment\": \"Beats v4 on the holdout\", \"approvalsRequired\": 2, "
        + "\"approvedBy\": [\"Ana Ruiz\"], \"createdAt\": \"2026-11-30T09:12:44Z\"}")
public record StageRequestJson(long id, long versionId, int version, String targetStage, String status,
        String requestedBy, String comment, int approvalsRequired,
        @Schema(description = "who approved so far") List<String> approvedBy, Instant createdAt) {

    static StageRequestJson of(ModelLifecycle.Pending p) {
        var r = p.request();
        return new StageRequestJson(r.getId(), r.getModelVersionId(), p.version(), r.getTargetStage().name(),
                r.getStatus().name(), p.requester(), r.getComment(), r.getApprovalsRequired(), p.approvers(),
                r.getCreatedAt());
    }
}
