package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.runway.collaboration.Comment;
import dev.runway.collaboration.CommentService;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A comment as the API shows it: the Markdown as written and the same safe HTML the console shows.
 *
 * @param mine whether the key's creator wrote it (and so may edit or delete it in the console)
 */
@Schema(name = "Comment", example = "{\"id\": 311, \"authorId\": 12, \"authorName\": \"Mei Chen\", "
        + "\"body\": \"Loss plateaus after epoch 30, @[Ana Ruiz](user:14)\", "
        + "\"html\": \"<p>Loss plateaus after epoch 30, <span class=\\\"mention\\\">@Ana Ruiz</span></p>\", "
        + "\"createdAt\": \"2026-11-30T09:12:44Z\", \"mine\": true}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommentJson(long id, long authorId, String authorName, String body, String html, Instant createdAt,
        Instant editedAt, boolean mine) {

    static CommentJson of(CommentService.Entry e) {
        return new CommentJson(e.id(), e.authorId(), e.authorName(), e.body(), e.html(), e.createdAt(), e.editedAt(),
                e.mine());
    }

    /** What a client sends to comment; checked as it arrives, and again by the comment service. */
    @Schema(name = "CommentRequest", example = "{\"body\": \"Loss plateaus after epoch 30, @[Ana Ruiz](user:14)\"}")
    public record Request(
            @NotBlank(message = "Comment is required")
            @Size(max = Comment.BODY_MAX, message = "Comment must be at most {max} characters") String body) {}
}
