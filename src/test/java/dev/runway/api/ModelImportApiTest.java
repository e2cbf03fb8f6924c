package dev.runway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.dataset.DatasetService;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The import and evaluate contract over HTTP: 201 with the version and the run, metrics on the run, 400 problems. */
@QuarkusTest
class ModelImportApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path MODELS = Path.of("src/test/resources/imported-models");
    private static final String IRIS = """
            {"name": "iris from research", "format": "%s", "task": "classification",
             "features": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "inputs": "raw",
             "target": "species", "classes": ["setosa", "versicolor", "virginica"]}""";

    @TestHTTPResource("/")
    URL base;

    @Inject
    TenancyFixture tenancy;

    @Inject
    ProjectService projects;

    @Inject
    DatasetService datasets;

    @Inject
    ApiKeyService keys;

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(body, e);
            }
        }
    }

    @Test
    void an_onnx_file_is_imported_evaluated_and_its_accuracy_read_from_the_run() throws Exception {
        TenancyFixture.Company company = tenancy.company();
        Actor owner = company.owner();
        long[] ids = TenantContext.runAs(owner, () -> {
            long project = projects.create(new ProjectService.ProjectForm("Import API " + TenancyFixture.unique(),
                    "", "", true)).getId();
            try (InputStream in = Files.newInputStream(Path.of("samples", "iris.csv"))) {
                return new long[] {project, datasets.upload(project, "iris", "iris.csv", in).getId()};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String key = TenantContext.runAs(owner, () -> keys.create("key " + TenancyFixture.unique(), Role.ENGINEER,
                null)).key();
        String viewer = TenantContext.runAs(owner, () -> keys.create("viewer " + TenancyFixture.unique(),
                Role.VIEWER, null)).key();
        String path = "/api/v1/projects/" + ids[0] + "/models/import";
        byte[] onnx = Files.readAllBytes(MODELS.resolve("iris.onnx"));

        Reply imported = multipart(path, key, IRIS.formatted("onnx"), "iris.onnx", onnx);
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        JsonNode version = imported.json();
        assertThat(version.get("imported").asBoolean()).isTrue();
        assertThat(version.get("template").asText()).isEqualTo("ONNX");
        assertThat(version.get("version").asInt()).isEqualTo(1);
        assertThat(version.has("runId")).isFalse();
        assertThat(version.at("/manifest/classes").size()).isEqualTo(3);

        Reply started = post("/api/v1/models/" + version.get("id").asLong() + "/evaluate", key,
                "{\"datasetVersionId\": " + ids[1] + ", \"rows\": \"all\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        assertThat(started.json().get("kind").asText()).isEqualTo("EVALUATE");
        String run = "/api/v1/runs/" + started.json().get("id").asLong();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> get(run, key).json().get("finished").asBoolean());
        JsonNode finished = get(run, key).json();
        assertThat(finished.get("status").asText()).as(finished.toString()).isEqualTo("SUCCEEDED");
        double expected = JSON.readTree(MODELS.resolve("expected.json").toFile()).at("/models/iris/accuracy")
                .asDouble();
        assertThat(finished.at("/results/accuracy").asDouble()).isCloseTo(expected, within(0.01));
        assertThat(finished.at("/evaluation/confusion")).hasSize(3);
        assertThat(finished.at("/evaluation/importance")).hasSize(4);

        assertField(post("/api/v1/models/" + version.get("id").asLong() + "/evaluate", key,
                "{\"datasetVersionId\": " + ids[1] + ", \"rows\": \"some\"}"), "rows");
        assertField(post("/api/v1/models/" + version.get("id").asLong() + "/evaluate", key, "{}"),
                "datasetVersionId");
        assertField(multipart(path, key, IRIS.formatted("onnx"), "iris.onnx", "not a model".getBytes()), "file");
        assertField(multipart(path, key, IRIS.formatted("keras"), "iris.onnx", onnx), "manifest.format");
        assertField(multipart(path, key, "{\"name\": \"x\", \"colour\": 1}", "iris.onnx", onnx), "manifest.colour");
        assertField(multipart(path, key, null, "iris.onnx", onnx), "manifest");
        assertThat(multipart(path, viewer, IRIS.formatted("onnx"), "iris.onnx", onnx).status()).isEqualTo(403);
        assertThat(multipart("/api/v1/projects/0/models/import", key, IRIS.formatted("onnx"), "iris.onnx", onnx)
                .status()).isEqualTo(404);
        assertThat(get("/api/v1/projects/" + ids[0] + "/models", key).json().get("items")).hasSize(1);
    }

    @Test
    void the_openapi_document_describes_import_and_evaluate() {
        JsonNode doc = get("/q/openapi?format=json", null).json();
        JsonNode importOp = doc.at("/paths/~1api~1v1~1projects~1{projectId}~1models~1import/post");
        assertThat(importOp.at("/requestBody/content").has("multipart/form-data")).as(importOp.toString()).isTrue();
        assertThat(importOp.at("/responses").has("201")).isTrue();
        JsonNode evaluate = doc.at("/paths/~1api~1v1~1models~1{versionId}~1evaluate/post");
        assertThat(evaluate.at("/responses").has("201")).as(evaluate.toString()).isTrue();
    }

    private static void assertField(Reply reply, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().get("detail").asText()).isNotBlank().doesNotContain("Exception");
        assertThat(reply.json().get("errors").findValuesAsText("field")).as(reply.body()).containsExactly(field);
    }

    private Reply multipart(String path, String key, String manifest, String filename, byte[] file) {
        String boundary = "runway-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (manifest != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"manifest\"\r\n"
                    + "Content-Type: application/json\r\n\r\n" + manifest + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary), key);
    }

    private Reply post(String path, String key, String json) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), key);
    }

    private Reply get(String path, String key) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), key);
    }

    private URI uri(String path) {
        return URI.create(base.toString() + path.substring(1));
    }

    private static Reply send(HttpRequest.Builder request, String key) {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
