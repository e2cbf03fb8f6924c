package dev.runway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An error as RFC 9457 problem details ({@code application/problem+json}). {@code errors} names the request fields
 * that are wrong, when the problem is bad input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(description = "what kind of problem, e.g. urn:runway:problem:bad-input") String type,
        @Schema(description = "a short, fixed summary of the kind") String title,
        @Schema(description = "the HTTP status") int status,
        @Schema(description = "what went wrong this time, and what to fix") String detail,
        @Schema(description = "the wrong fields, for bad input") List<FieldError> errors) {

    public record FieldError(@Schema(description = "the request field, e.g. hyperparameters.learningRate")
            String field, String message) {}
}
