package dev.runway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.collaboration.CommentFixture;
import dev.runway.collaboration.CommentMarkdown;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** GET and POST …/comments on runs, model versions and dataset versions, with API keys of two companies. */
@QuarkusTest
class CommentsApiTest {

    private static final String BASE = "http://localhost:8081/api/v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    CommentFixture fixture;

    @Inject
    TenancyFixture tenancy;

    @Inject
    ApiKeyService keys;

    private record Reply(int status, String contentType, JsonNode json) {}

    private String key(Actor actor, Role role) {
        return TenantContext.runAs(actor, () -> keys.create("key " + TenancyFixture.unique(), role, null)).key();
    }

    private static Reply send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    @Test
    void keys_comment_and_read_threads_of_their_own_company_only() throws Exception {
        CommentFixture.Subjects subjects = fixture.subjects();
        CommentFixture.Member analyst = fixture.member(subjects.company(), "王小明", Role.ANALYST);
        String engineerKey = key(subjects.company().owner(), Role.ENGINEER);
        String viewerKey = key(subjects.company().owner(), Role.VIEWER);
        String otherKey = key(tenancy.company().owner(), Role.ENGINEER);
        String body = JSON.writeValueAsString(java.util.Map.of("body",
                "**Ship** it, " + CommentMarkdown.mention(analyst.actor().userId(), "王小明") + " <script>x</script>"));

        for (String path : new String[] {"/runs/" + subjects.runId(), "/models/" + subjects.modelVersionId(),
                "/datasets/versions/" + subjects.datasetVersionId()}) {
            Reply created = send("POST", path + "/comments", engineerKey, body);
            assertThat(created.status()).as(path + " " + created.json()).isEqualTo(201);
            assertThat(created.json().get("html").asText()).startsWith("<p><strong>Ship</strong> it, "
                    + "<span class=\"mention\" data-user=\"" + analyst.actor().userId() + "\">@王小明</span>")
                    .contains("&lt;script&gt;");
            assertThat(created.json().get("mine").asBoolean()).isTrue();

            Reply thread = send("GET", path + "/comments", viewerKey, null);
            assertThat(thread.status()).isEqualTo(200);
            assertThat(thread.contentType()).startsWith("application/json");
            assertThat(thread.json().findValuesAsText("id")).containsExactly(created.json().get("id").asText());
            assertThat(thread.json().get("items").get(0).get("body").asText()).startsWith("**Ship** it, @[王小明](user:");

            Reply refused = send("POST", path + "/comments", viewerKey, body);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(send("GET", path + "/comments", otherKey, null).status()).isEqualTo(404);
            assertThat(send("POST", path + "/comments", otherKey, body).status()).isEqualTo(404);
        }

        Reply empty = send("POST", "/runs/" + subjects.runId() + "/comments", engineerKey, "{\"body\": \" \"}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("errors").findValuesAsText("field")).containsExactly("body");
        assertThat(send("GET", "/runs/" + subjects.runId(), engineerKey, null).status())
                .as("the run itself is still answered by its own resource").isEqualTo(200);
    }

    @Test
    void the_openapi_document_lists_the_comment_endpoints() throws Exception {
        HttpResponse<String> openapi = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:8081/q/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode paths = JSON.readTree(openapi.body()).get("paths");
        for (String path : new String[] {"/api/v1/runs/{runId}/comments", "/api/v1/models/{versionId}/comments",
                "/api/v1/datasets/versions/{versionId}/comments"}) {
            assertThat(paths.has(path)).as(path).isTrue();
            assertThat(paths.get(path).has("get")).as(path).isTrue();
            assertThat(paths.get(path).at("/post/requestBody/content/application~1json/schema/$ref").asText())
                    .as(path).endsWith("CommentRequest");
        }
    }
}
