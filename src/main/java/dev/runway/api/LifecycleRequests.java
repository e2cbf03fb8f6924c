package dev.runway.api;

import dev.runway.model.ModelLifecycle;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The bodies of the model lifecycle's requests. Their constraints are checked when a request arrives (a violation is
 * a 400 problem naming the field); the lifecycle checks the same again, since other callers reach it too.
 */
final class LifecycleRequests {

    static final String SEND_COMMENT = "Send {\"comment\": \"why\"}";
    static final String COMMENT_REQUIRED = "A comment (why) is required";
    static final String COMMENT_TOO_LONG = "A comment (why) must be at most {max} characters";

    private LifecycleRequests() {}

    @Schema(name = "StageChange", example = "{\"stage\": \"PRODUCTION\", \"comment\": \"Beats v4 on the holdout\"}")
    public record StageChange(
            @Schema(description = "NONE, STAGING, PRODUCTION or ARCHIVED", required = true)
            @NotBlank(message = "Choose a stage: NONE, STAGING, PRODUCTION or ARCHIVED") String stage,
            @Schema(description = "why (required)", required = true)
            @NotBlank(message = COMMENT_REQUIRED) @Size(max = ModelLifecycle.COMMENT_MAX, message = COMMENT_TOO_LONG)
            String comment) {}

    @Schema(name = "LifecycleComment", example = "{\"comment\": \"Checked the confusion matrix\"}")
    public record WithComment(
            @Schema(description = "why (required)", required = true)
            @NotBlank(message = COMMENT_REQUIRED) @Size(max = ModelLifecycle.COMMENT_MAX, message = COMMENT_TOO_LONG)
            String comment) {}
}
