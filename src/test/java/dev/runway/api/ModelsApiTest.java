package dev.runway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.model.ModelFixture;
import dev.runway.model.ModelLifecycle;
import dev.runway.model.PromotionRules;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** The model lifecycle over HTTP: stage, approvals (200 / 202), Production now and at an instant, aliases, the zip. */
@QuarkusTest
class ModelsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL base;

    @Inject
    ModelFixture fixture;

    @Inject
    TenancyFixture tenancy;

    @Inject
    ApiKeyService keys;

    @Inject
    ModelLifecycle lifecycle;

    record Reply(int status, String contentType, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(new String(body, StandardCharsets.UTF_8), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @Test
    void a_version_is_staged_promoted_with_approval_and_found_in_production_now_and_then() {
        ModelFixture.Setup s = fixture.project(0.9, 0.96);
        // Admins make keys (MANAGE_SETTINGS); their keys act as Engineers.
        Actor alice = tenancy.member(s.company(), Role.ADMIN);
        Actor bob = tenancy.member(s.company(), Role.ADMIN);
        String keyA = key(alice, Role.ENGINEER);
        String keyB = key(bob, Role.ENGINEER);
        String viewerKey = key(s.owner(), Role.VIEWER);
        String models = "/api/v1/projects/" + s.projectId() + "/models";

        assertProblem(get(models + "/production", keyA), 404, "not-found");
        Reply staged = post("/api/v1/models/" + s.v(1) + "/stage", keyA, "{\"stage\": \"staging\", \"comment\": \"try\"}");
        assertThat(staged.status()).as(staged.text()).isEqualTo(200);
        assertThat(staged.json().get("stage").asText()).isEqualTo("STAGING");
        Reply promoted = post("/api/v1/models/" + s.v(1) + "/stage", keyA, "{\"stage\": \"PRODUCTION\", \"comment\": "
                + "\"ship\"}");
        assertThat(promoted.json().get("stage").asText()).isEqualTo("PRODUCTION");
        Instant between = Instant.now();

        TenantContext.runAs(s.owner(), () -> lifecycle.saveRules(s.projectId(), new PromotionRules(
                PromotionRules.DEFAULTS.stagingRoles(), PromotionRules.DEFAULTS.productionRoles(), 1, null)));
        Reply asked = post("/api/v1/models/" + s.v(2) + "/stage", keyA, "{\"stage\": \"PRODUCTION\", \"comment\": "
                + "\"better\"}");
        assertThat(asked.status()).as(asked.text()).isEqualTo(202);
        assertThat(asked.json().get("targetStage").asText()).isEqualTo("PRODUCTION");
        assertThat(asked.json().get("status").asText()).isEqualTo("PENDING");
        assertThat(asked.json().get("approvalsRequired").asInt()).isEqualTo(1);
        assertProblem(post("/api/v1/models/" + s.v(2) + "/approve", keyA, "{\"comment\": \"me\"}"), 403, "forbidden");
        assertProblem(post("/api/v1/models/" + s.v(2) + "/approve", viewerKey, "{\"comment\": \"me\"}"), 403,
                "forbidden");
        assertField(post("/api/v1/models/" + s.v(2) + "/approve", keyB, "{}"), "comment");
        Reply approved = post("/api/v1/models/" + s.v(2) + "/approve", keyB, "{\"comment\": \"ok\"}");
        assertThat(approved.status()).as(approved.text()).isEqualTo(200);
        assertThat(approved.json().get("stage").asText()).isEqualTo("PRODUCTION");

        assertThat(get(models + "/production", keyA).json().get("version").asInt()).isEqualTo(2);
        assertThat(get(models + "/production?at=" + between, keyA).json().get("version").asInt()).isEqualTo(1);
        assertProblem(get(models + "/production?at=2000-01-01T00:00:00Z", keyA), 404, "not-found");
        assertField(get(models + "/production?at=yesterday", keyA), "at");

        Reply alias = put("/api/v1/models/" + s.v(2) + "/aliases/champion", keyA, "{\"comment\": \"best\"}");
        assertThat(alias.status()).as(alias.text()).isEqualTo(200);
        assertField(put("/api/v1/models/" + s.v(2) + "/aliases/Not%20Ok", keyA, "{\"comment\": \"x\"}"), "alias");
        JsonNode list = get(models, keyA).json().get("items");
        Map<Integer, JsonNode> byVersion = new HashMap<>();
        list.forEach(v -> byVersion.put(v.get("version").asInt(), v));
        assertThat(byVersion.get(1).get("stage").asText()).isEqualTo("ARCHIVED");
        assertThat(byVersion.get(2).get("aliases").toString()).isEqualTo("[\"champion\"]");

        assertField(post("/api/v1/models/" + s.v(1) + "/stage", keyA, "{\"stage\": \"LIVE\", \"comment\": \"x\"}"),
                "stage");
        assertField(post("/api/v1/models/" + s.v(1) + "/stage", keyA, "{\"stage\": \"STAGING\"}"), "comment");
        assertProblem(post("/api/v1/models/" + s.v(1) + "/stage", viewerKey, "{\"stage\": \"STAGING\", "
                + "\"comment\": \"x\"}"), 403, "forbidden");

        Reply rolledBack = post("/api/v1/projects/" + s.projectId() + "/models/rollback", keyA,
                "{\"comment\": \"v2 drifts\"}");
        assertThat(rolledBack.json().get("version").asInt()).as(rolledBack.text()).isEqualTo(1);
    }

    @Test
    void a_request_that_breaks_its_constraints_is_a_400_problem_naming_the_field() {
        ModelFixture.Setup s = fixture.project(0.9, 0.96);
        String key = key(s.owner(), Role.ENGINEER);
        String version = "/api/v1/models/" + s.v(1);

        Reply noComment = post(version + "/stage", key, "{\"stage\": \"STAGING\", \"comment\": \"  \"}");
        assertField(noComment, "comment");
        assertThat(noComment.json().get("detail").asText()).isEqualTo("A comment (why) is required");
        assertField(post(version + "/stage", key, "{\"comment\": \"why\"}"), "stage");
        Reply tooLong = post(version + "/approve", key, "{\"comment\": \"" + "x".repeat(1001) + "\"}");
        assertField(tooLong, "comment");
        assertThat(tooLong.json().get("detail").asText()).isEqualTo("A comment (why) must be at most 1000 characters");
        Reply both = post(version + "/stage", key, "{}");
        assertProblem(both, 400, "bad-input");
        assertThat(both.json().get("errors").findValuesAsText("field")).containsExactly("comment", "stage");
        assertField(post(version + "/evaluate", key, "{\"rows\": \"all\"}"), "datasetVersionId");

        Reply noBody = post(version + "/approve", key, "");
        assertProblem(noBody, 400, "bad-input");
        assertThat(noBody.json().get("detail").asText()).isEqualTo("Send {\"comment\": \"why\"}");
        assertThat(noBody.json().has("errors")).isFalse();
        assertThat(get("/api/v1/models/" + s.v(1), key).json().get("stage").asText()).isEqualTo("NONE");
    }

    @Test
    void the_artifact_is_a_zip_of_the_model_files_and_their_metadata_and_other_companies_get_404() throws IOException {
        ModelFixture.Setup s = fixture.project(0.93);
        ModelFixture.Setup other = fixture.project(0.9);
        String key = key(s.owner(), Role.VIEWER);
        TenantContext.runAs(s.owner(), () -> lifecycle.setAlias(s.v(1), "candidate", "first"));

        Reply zip = get("/api/v1/models/" + s.v(1) + "/artifact", key);
        assertThat(zip.status()).isEqualTo(200);
        assertThat(zip.contentType()).startsWith("application/zip");
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries).containsKeys("runway-model.json", "model/model-0001.params");
        JsonNode metadata = JSON.readTree(entries.get("runway-model.json"));
        assertThat(metadata.get("version").asInt()).isEqualTo(1);
        assertThat(metadata.get("stage").asText()).isEqualTo("NONE");
        assertThat(metadata.get("aliases").toString()).isEqualTo("[\"candidate\"]");
        assertThat(metadata.at("/metrics/accuracy").asDouble()).isEqualTo(0.93);
        assertThat(metadata.at("/lineage/datasetVersionId").asLong()).isEqualTo(s.datasetVersionId());
        assertThat(entries.get("runway-model.json")).doesNotContain("/tmp");

        assertProblem(get("/api/v1/models/" + other.v(1) + "/artifact", key), 404, "not-found");
        assertProblem(post("/api/v1/models/" + other.v(1) + "/stage", key(s.owner(), Role.OWNER),
                "{\"stage\": \"STAGING\", \"comment\": \"x\"}"), 404, "not-found");
    }

    @Test
    void the_openapi_document_describes_the_lifecycle_endpoints() throws Exception {
        String document = HTTP.send(HttpRequest.newBuilder(URI.create(base + "q/openapi")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(document).contains("/api/v1/models/{versionId}/stage", "/api/v1/models/{versionId}/approve",
                "/api/v1/models/{versionId}/artifact", "/api/v1/projects/{projectId}/models/production",
                "/api/v1/models/{versionId}/aliases/{name}", "StageRequest");
    }

    private String key(Actor actor, Role role) {
        return TenantContext.runAs(actor, () -> keys.create("key " + TenancyFixture.unique(), role, null)).key();
    }

    private static void assertProblem(Reply reply, int status, String kind) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asText()).isEqualTo("urn:runway:problem:" + kind);
        assertThat(reply.json().get("detail").asText()).isNotBlank();
    }

    private static void assertField(Reply reply, String field) {
        assertProblem(reply, 400, "bad-input");
        assertThat(reply.json().get("errors").findValuesAsText("field")).as(reply.text()).containsExactly(field);
    }

    private Reply get(String path, String key) {
        return send("GET", path, key, null);
    }

    private Reply post(String path, String key, String json) {
        return send("POST", path, key, json);
    }

    private Reply put(String path, String key, String json) {
        return send("PUT", path, key, json);
    }

    private Reply send(String method, String path, String key, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString() + path.substring(1)))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + key);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
