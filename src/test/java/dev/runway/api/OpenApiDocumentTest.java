package dev.runway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's OpenAPI document, as the running console serves it, read by swagger-parser (the validator of the
 * Swagger/OpenAPI tools): valid, and complete enough to generate a client from: every operation is named and
 * described, sends and answers schemas, and shows an example of each.
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static OpenAPI api;
    private static List<String> parseMessages;

    @BeforeAll
    static void read() throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:8081/q/openapi?format=json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        ParseOptions options = new ParseOptions();
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(answer.body(), null, options);
        api = result.getOpenAPI();
        parseMessages = result.getMessages() == null ? List.of() : result.getMessages();
    }

    @Test
    void the_document_passes_swagger_parsers_validation() {
        assertThat(parseMessages).isEmpty();
        assertThat(api.getPaths()).isNotEmpty();
        assertThat(api.getPaths().keySet()).allMatch(path -> path.startsWith("/api/v1/"));
    }

    @Test
    void every_operation_has_a_unique_id_a_summary_and_a_successful_answer() {
        List<String> gaps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        forEachOperation((name, operation) -> {
            if (operation.getOperationId() == null || !ids.add(operation.getOperationId())) {
                gaps.add(name + ": no operationId, or one used twice");
            }
            if (operation.getSummary() == null || operation.getSummary().isBlank()) {
                gaps.add(name + ": no summary");
            }
            if (operation.getResponses() == null
                    || operation.getResponses().keySet().stream().noneMatch(code -> code.matches("[23]\\d\\d"))) {
                gaps.add(name + ": no 2xx or 3xx answer");
            }
        });
        assertThat(gaps).isEmpty();
    }

    @Test
    void every_request_body_and_successful_answer_has_a_schema_and_an_example() {
        List<String> gaps = new ArrayList<>();
        forEachOperation((name, operation) -> {
            if (operation.getRequestBody() != null) {
                checkContent(name + " request", operation.getRequestBody().getContent(), gaps);
            }
            for (Map.Entry<String, ApiResponse> response : operation.getResponses().entrySet()) {
                ApiResponse answer = response.getValue().get$ref() == null ? response.getValue()
                        : api.getComponents().getResponses().get(response.getValue().get$ref()
                                .substring(response.getValue().get$ref().lastIndexOf('/') + 1));
                // An answer made of headers alone (tus: Location, Upload-Offset) says so by naming them.
                boolean headersAlone = answer.getContent() == null && answer.getHeaders() != null
                        && !answer.getHeaders().isEmpty();
                if (response.getKey().matches("2\\d\\d") && !response.getKey().equals("204") && !headersAlone) {
                    checkContent(name + " answer " + response.getKey(), answer.getContent(), gaps);
                }
            }
        });
        assertThat(gaps).isEmpty();
    }

    private static void checkContent(String where, Map<String, MediaType> content, List<String> gaps) {
        if (content == null || content.isEmpty()) {
            gaps.add(where + ": no content");
            return;
        }
        content.forEach((type, media) -> {
            if (media.getSchema() == null) {
                gaps.add(where + " (" + type + "): no schema");
            } else if (media.getExample() == null && (media.getExamples() == null || media.getExamples().isEmpty())
                    && !exemplified(media.getSchema(), new HashSet<>())) {
                gaps.add(where + " (" + type + "): no example (" + describe(media.getSchema()) + ")");
            }
        });
    }

    /** A schema shows an example when it has one, or when every property (or item) it is made of does. */
    private static boolean exemplified(Schema<?> schema, Set<String> seen) {
        if (schema.getExample() != null || schema.getExamples() != null && !schema.getExamples().isEmpty()
                || schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return true;
        }
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            return !seen.add(name) || exemplified(api.getComponents().getSchemas().get(name), seen);
        }
        if (schema.getItems() != null) {
            return exemplified(schema.getItems(), seen);
        }
        for (List<Schema> parts : java.util.Arrays.asList(schema.getAllOf(), schema.getOneOf(), schema.getAnyOf())) {
            if (parts != null && !parts.isEmpty()) {
                return parts.stream().allMatch(part -> exemplified(part, seen));
            }
        }
        if (schema.getProperties() != null && !schema.getProperties().isEmpty()) {
            return schema.getProperties().values().stream().allMatch(property -> exemplified(property, seen));
        }
        if (schema.getAdditionalProperties() instanceof Schema<?> values) {
            return exemplified(values, seen);
        }
        // A bare boolean, or a file's bytes, needs no example to be understood.
        return "binary".equals(schema.getFormat()) || "boolean".equals(schema.getType())
                || schema.getTypes() != null && schema.getTypes().contains("boolean");
    }

    private static String describe(Schema<?> schema) {
        return schema.get$ref() != null ? schema.get$ref() : String.valueOf(schema.getType() != null
                ? schema.getType() : schema.getTypes());
    }

    private static void forEachOperation(java.util.function.BiConsumer<String, Operation> check) {
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            path.getValue().readOperationsMap().forEach((method, operation) ->
                    check.accept(method + " " + path.getKey(), operation));
        }
    }
}
