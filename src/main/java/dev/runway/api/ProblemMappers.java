package dev.runway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.base.PreconditionFailedException;
import dev.runway.base.Text;
import dev.runway.base.TooLargeException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Every failure of an API request becomes problem details (RFC 9457); no stack trace leaves the server. The
 * services' own exceptions carry messages written for people, and are passed on as they are.
 */
final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private ProblemMappers() {}

    @Provider
    public static class BadInput implements ExceptionMapper<BadInputException> {
        @Override
        public Response toResponse(BadInputException e) {
            return Problems.badInput(e.field(), Text.withoutFilePaths(e.getMessage()));
        }
    }

    /** An upload that passed the limit while it streamed (a declared length over it never gets here: UploadLimit). */
    @Provider
    public static class TooLarge implements ExceptionMapper<TooLargeException> {
        @Override
        public Response toResponse(TooLargeException e) {
            return Problems.tooLarge(e.getMessage(), e.field());
        }
    }

    @Provider
    public static class NotFound implements ExceptionMapper<NotFoundException> {
        @Override
        public Response toResponse(NotFoundException e) {
            return Problems.of(404, "not-found", "Not found", e.getMessage(), null);
        }
    }

    @Provider
    public static class AccessDenied implements ExceptionMapper<AccessDeniedException> {
        @Override
        public Response toResponse(AccessDeniedException e) {
            return Problems.of(403, "forbidden", "Not allowed", e.getMessage(), null);
        }
    }

    /** A stale If-Match (dev.runway.base.ETag): the client read an older version of the resource. */
    @Provider
    public static class PreconditionFailed implements ExceptionMapper<PreconditionFailedException> {
        @Override
        public Response toResponse(PreconditionFailedException e) {
            return Problems.of(412, "precondition-failed", "Precondition failed", e.getMessage(), null);
        }
    }

    /** A retry with an Idempotency-Key whose first answer is kept: that answer again. */
    @Provider
    public static class Replay implements ExceptionMapper<IdempotencyKeys.ReplayException> {
        @Override
        public Response toResponse(IdempotencyKeys.ReplayException e) {
            return e.response();
        }
    }

    @Provider
    public static class KeyReused implements ExceptionMapper<IdempotencyKeys.KeyReusedException> {
        @Override
        public Response toResponse(IdempotencyKeys.KeyReusedException e) {
            return Problems.of(409, "idempotency-key-reused", "Idempotency key reused", e.getMessage(), null);
        }
    }

    @Provider
    public static class KeyRejected implements ExceptionMapper<ApiKeyRejectedException> {
        @Override
        public Response toResponse(ApiKeyRejectedException e) {
            return Problems.unauthorized(e.getMessage());
        }
    }

    /**
     * A request that breaks its record's constraints (Bean Validation): one error per field, named as in the request
     * ("datasetVersionId", "comment"); a missing body names no field. More specific than Quarkus' own mapper for
     * validation exceptions, so this one answers.
     */
    @Provider
    public static class Violations implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> new Problem.FieldError(field(v.getPropertyPath()), v.getMessage()))
                    .toList();
            if (errors.isEmpty()) {
                return Problems.badInput(null, "The request could not be read");
            }
            String detail = errors.stream().map(Problem.FieldError::message).collect(Collectors.joining("; "));
            List<Problem.FieldError> named = errors.stream().filter(f -> f.field() != null).toList();
            return Problems.of(400, "bad-input", "Bad input", detail, named.isEmpty() ? null : named);
        }

        /** The path inside the request body: a method validation's method and parameter nodes are left out. */
        static String field(Path path) {
            StringBuilder field = new StringBuilder();
            for (Path.Node node : path) {
                if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                        || node.getKind() == ElementKind.CONSTRUCTOR || node.getKind() == ElementKind.RETURN_VALUE) {
                    continue;
                }
                if (node.getIndex() != null) {
                    field.append('[').append(node.getIndex()).append(']');
                }
                if (node.getName() != null && !node.getName().isEmpty()) {
                    field.append(field.length() == 0 ? "" : ".").append(node.getName());
                }
            }
            return field.length() == 0 ? null : field.toString();
        }
    }

    /** A body that is not JSON, or JSON of the wrong shape. */
    @Provider
    public static class UnreadableJson implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                String field = field(mapping);
                return Problems.badInput(field, "“" + field + "” has the wrong type");
            }
            return Problems.badInput(null, "The request body is not valid JSON");
        }

        /** The path of the wrong value in the body, e.g. "hyperparameters.hiddenLayers[1]". */
        static String field(JsonMappingException e) {
            return e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
    }

    /**
     * A JSON value of the wrong type or an unknown enum constant. Quarkus has a mapper of its own for this subclass,
     * more specific than {@link UnreadableJson}'s, that answers plain JSON; this one answers the problem naming the
     * field, and for an enum the values it takes.
     */
    @Provider
    public static class MismatchedJson implements ExceptionMapper<MismatchedInputException> {
        @Override
        public Response toResponse(MismatchedInputException e) {
            Class<?> type = e.getTargetType();
            if (type != null && type.isEnum() && !e.getPath().isEmpty()) {
                String field = UnreadableJson.field(e);
                return Problems.badInput(field, "“" + field + "” must be one of " + Arrays.stream(
                        type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", ")));
            }
            return new UnreadableJson().toResponse(e);
        }
    }

    /** JAX-RS' own refusals (no such path, method not allowed, unsupported media type …) keep their status. */
    @Provider
    public static class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            if (status >= 500) {
                LOG.error("API request failed", e);
                return Problems.of(status, "server-error", "Server error",
                        "Something went wrong on our side; nothing was changed. Please try again.", null);
            }
            if (status == 400) {
                Throwable cause = e.getCause();
                return Problems.badInput(null, cause instanceof JsonProcessingException
                        ? "The request body is not valid JSON" : "The request could not be read: " + e.getMessage());
            }
            Response.Status known = Response.Status.fromStatusCode(status);
            String title = known == null ? "Request refused" : known.getReasonPhrase();
            return Problems.of(status, kebab(title), title, e.getMessage(), null);
        }
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            LOG.error("Unexpected error in an API request", e);
            return Problems.of(500, "server-error", "Server error",
                    "Something went wrong on our side; nothing was changed. Please try again.", null);
        }
    }

    private static String kebab(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
