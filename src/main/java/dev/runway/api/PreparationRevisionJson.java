package dev.runway.api;

import dev.runway.dataset.DatasetService;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The preparation a run trained with (its lineage): the version's revision at submission, kept when it changes. */
@Schema(name = "PreparationRevision", description = "The exact preparation a run trained with: revision 1, 2, … of its "
        + "dataset version's preparation, identified by the SHA-256 of the settings")
public record PreparationRevisionJson(
        @Schema(description = "1, 2, … per dataset version") int revision,
        @Schema(description = "SHA-256 of the settings' JSON: equal settings, equal hash") String sha256,
        @Schema(description = "false once the version's preparation was changed after this revision") boolean current,
        Instant createdAt,
        PreparationJson settings) {

    static PreparationRevisionJson of(DatasetService.RevisionUsed used) {
        return new PreparationRevisionJson(used.revision(), used.sha256(), used.current(), used.createdAt(),
                PreparationJson.of(used.preparation()));
    }
}
