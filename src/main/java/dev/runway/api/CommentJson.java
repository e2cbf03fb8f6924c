package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.runway.collaboration.CommentService;
import java.time.Instant;

/**
 * A comment as the API shows it: the Markdown as written and the same safe HTML the console shows.
 *
 * @param mine whether the key's creator wrote it (and so may edit or delete it in the console)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommentJson(long id, long authorId, String authorName, String body, String html, Instant createdAt,
        Instant editedAt, boolean mine) {

    static CommentJson of(CommentService.Entry e) {
        return new CommentJson(e.id(), e.authorId(), e.authorName(), e.body(), e.html(), e.createdAt(), e.editedAt(),
                e.mine());
    }

    /** What a client sends to comment. */
    public record Request(String body) {}
}
