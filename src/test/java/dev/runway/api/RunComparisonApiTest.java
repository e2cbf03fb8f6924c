package dev.runway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.tenancy.Role;
import dev.runway.testing.Acting;
import dev.runway.training.CompareFixture;
import dev.runway.training.RunFixture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunComparisonApiTest {

    @Inject
    RunFixture runs;

    @Inject
    CompareFixture fixture;

    @Inject
    ApiKeyService keys;

    @TestHTTPResource("/")
    URL base;

    @Test
    void a_key_compares_its_companys_runs_and_another_companys_run_is_a_404() throws Exception {
        RunFixture.Setup mine = runs.iris();
        RunFixture.Setup theirs = runs.iris();
        var owner = mine.company().owner();
        long a = fixture.succeeded(owner, mine.versionId(), RunFixture.mlp(2_000), 2_000, 0,
                Map.of("accuracy", 0.9), Duration.ofMinutes(1));
        long b = fixture.succeeded(owner, mine.versionId(), RunFixture.mlp(2_000).withLearningRate(0.1), 2_000, 0,
                Map.of("accuracy", 0.8), Duration.ofMinutes(1));
        long foreign = fixture.succeeded(theirs.company().owner(), theirs.versionId(), RunFixture.mlp(2), 2, 0,
                Map.of(), Duration.ofMinutes(1));
        String key = Acting.as(owner, () -> keys.create("compare", Role.VIEWER, null)).key();

        HttpResponse<String> ok = get("api/v1/runs/compare?ids=" + a + "," + b + "&baseline=" + b, key);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode json = new ObjectMapper().readTree(ok.body());
        assertThat(json.get("baselineId").asLong()).isEqualTo(b);
        assertThat(json.get("runs")).hasSize(2);
        assertThat(json.get("metrics").get(0).get("deltas").get(0).asDouble()).isCloseTo(0.1,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(json.get("curves").get(0).get("lines").get(0).get("epochs").size()).isLessThanOrEqualTo(300);

        HttpResponse<String> notFound = get("api/v1/runs/compare?ids=" + a + "," + foreign, key);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        HttpResponse<String> one = get("api/v1/runs/compare?ids=" + a, key);
        assertThat(one.statusCode()).isEqualTo(400);
        assertThat(one.body()).contains("at least 2 runs");
        // The run endpoint next to it still answers.
        assertThat(get("api/v1/runs/" + a, key).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
