package dev.runway.api;

import dev.runway.collaboration.CommentSubject;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The comments on a run. */
@Path("/runs/{id}/comments")
@ActsForKey
@Tag(name = "Runs")
@APIResponse(responseCode = "401", description = "Missing, unknown, revoked or expired API key",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class RunCommentsResource extends CommentsEndpoint {

    @Override
    CommentSubject.Type type() {
        return CommentSubject.Type.RUN;
    }
}
