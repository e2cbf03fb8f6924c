package dev.runway.api;

import dev.runway.collaboration.CommentSubject;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The comments on a dataset version. */
@Path("/datasets/versions/{versionId}/comments")
@Produces(MediaType.APPLICATION_JSON)
@ActsForKey
@Tag(name = "Datasets")
public class DatasetVersionCommentsResource {

    private static final CommentSubject.Type SUBJECT = CommentSubject.Type.DATASET_VERSION;

    @Inject
    CommentsEndpoint comments;

    @GET
    @Operation(operationId = "listDatasetVersionComments", summary = "The comments on a dataset version, oldest first; paged",
            description = CommentsEndpoint.LIST_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "A page of comments")
    @APIResponse(responseCode = "404", description = "No such dataset version in this company")
    public ListPage<CommentJson> list(@PathParam("versionId") long versionId, @BeanParam Paging paging) {
        return comments.list(SUBJECT, versionId, paging);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "commentOnDatasetVersion", summary = "Comment on a dataset version",
            description = CommentsEndpoint.ADD_DESCRIPTION)
    @APIResponse(responseCode = "201", description = "The comment",
            content = @Content(schema = @Schema(implementation = CommentJson.class)))
    @APIResponse(responseCode = "400", description = "Empty or longer than 5,000 characters")
    @APIResponse(responseCode = "403", description = "The key's role may not comment")
    @APIResponse(responseCode = "404", description = "No such dataset version in this company")
    public Response add(@PathParam("versionId") long versionId,
            @Valid @NotNull(message = CommentsEndpoint.SEND_AS_JSON) CommentJson.Request request) {
        return comments.add(SUBJECT, versionId, request);
    }
}
