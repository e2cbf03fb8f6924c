package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.runway.collaboration.Comment;
import dev.runway.collaboration.CommentService;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
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

    /** What a client sends to comment; checked as it arrives, and again by the comment service. */
    public record Request(
            @NotBlank(message = "Comment is required")
            @Size(max = Comment.BODY_MAX, message = "Comment must be at most {max} characters") String body) {}
}
