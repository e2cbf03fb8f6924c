package dev.runway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds problem responses. Serialised here so that the media type is exactly application/problem+json. */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Problems() {}

    static Response of(int status, String kind, String title, String detail, List<Problem.FieldError> errors) {
        Problem problem = new Problem("urn:runway:problem:" + kind, title, status, detail, errors);
        return Response.status(status).type(MEDIA_TYPE).entity(json(problem)).build();
    }

    static String json(Problem problem) {
        try {
            return MAPPER.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem could not be written as JSON", e);
        }
    }

    static Response badInput(String field, String detail) {
        return of(400, "bad-input", "Bad input", detail,
                field == null ? null : List.of(new Problem.FieldError(field, detail)));
    }

    static Problem tooLargeProblem(String detail, String field) {
        return new Problem("urn:runway:problem:payload-too-large", "Payload too large", 413, detail,
                field == null ? null : List.of(new Problem.FieldError(field, detail)));
    }

    static Response tooLarge(String detail, String field) {
        return Response.status(413).type(MEDIA_TYPE).entity(json(tooLargeProblem(detail, field))).build();
    }

    static Response unauthorized(String detail) {
        return Response.fromResponse(of(401, "unauthorized", "Missing or invalid API key", detail, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"runway\"").build();
    }
}
