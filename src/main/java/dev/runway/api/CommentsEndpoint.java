package dev.runway.api;

import dev.runway.base.Keyset;
import dev.runway.collaboration.CommentService;
import dev.runway.collaboration.CommentSubject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * What the comment threads of runs, model versions and dataset versions share ({@link RunCommentsResource},
 * {@link ModelCommentsResource}, {@link DatasetVersionCommentsResource}). Each of those is a root resource of its own,
 * with the whole prefix in its path, so that it is chosen over the subject's resource (/runs, /models…) for
 * …/comments, and each names its own operations in the OpenAPI document.
 */
@ApplicationScoped
class CommentsEndpoint {

    static final String LIST_DESCRIPTION = "Markdown as written (body) and rendered safely (html); mentions are "
            + "written @[Name](user:id).";
    static final String ADD_DESCRIPTION = "Adds a comment as the key's creator; members mentioned as @[Name](user:id) "
            + "are notified.";
    static final String SEND_AS_JSON = "Send the comment as JSON: {\"body\": \"…\"}";

    @Inject
    CommentService comments;

    ListPage<CommentJson> list(CommentSubject.Type type, long id, Paging paging) {
        Paging.Request page = paging.of("comments");
        return page.page(comments.list(type, id, page.after(), page.fetch()),
                c -> new Keyset(c.createdAt().toString(), c.id()), CommentJson::of);
    }

    Response add(CommentSubject.Type type, long id, CommentJson.Request request) {
        return Response.status(Response.Status.CREATED)
                .entity(CommentJson.of(comments.add(type, id, request.body()))).build();
    }
}
