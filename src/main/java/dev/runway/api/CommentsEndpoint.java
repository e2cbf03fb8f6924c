package dev.runway.api;

import dev.runway.base.Keyset;
import dev.runway.collaboration.CommentService;
import dev.runway.collaboration.CommentSubject;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The comment thread of one kind of subject; {@link RunCommentsResource}, {@link ModelCommentsResource} and
 * {@link DatasetVersionCommentsResource} give it a path. Each is a root resource of its own, with the whole prefix
 * in its path, so that it is chosen over the subject's resource (/runs, /models…) for …/comments.
 */
abstract class CommentsEndpoint {

    @Inject
    CommentService comments;

    abstract CommentSubject.Type type();

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The comments, oldest first; paged", description = "Markdown as written (body) and "
            + "rendered safely (html); mentions are written @[Name](user:id).")
    @APIResponse(responseCode = "200", description = "A page of comments")
    @APIResponse(responseCode = "404", description = "No such subject in this company")
    public ListPage<CommentJson> list(@PathParam("id") long id, @BeanParam Paging paging) {
        Paging.Request page = paging.of("comments");
        return page.page(comments.list(type(), id, page.after(), page.fetch()),
                c -> new Keyset(c.createdAt().toString(), c.id()), CommentJson::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Comment", description = "Adds a comment as the key's creator; members mentioned as "
            + "@[Name](user:id) are notified.")
    @APIResponse(responseCode = "201", description = "The comment")
    @APIResponse(responseCode = "400", description = "Empty or longer than 5,000 characters")
    @APIResponse(responseCode = "403", description = "The key's role may not comment")
    @APIResponse(responseCode = "404", description = "No such subject in this company")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CommentJson.Request.class)))
    public Response add(@PathParam("id") long id,
            @Valid @NotNull(message = "Send the comment as JSON: {\"body\": \"…\"}") CommentJson.Request request) {
        return Response.status(Response.Status.CREATED)
                .entity(CommentJson.of(comments.add(type(), id, request.body()))).build();
    }
}
