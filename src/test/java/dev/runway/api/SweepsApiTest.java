package dev.runway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.tenancy.Role;
import dev.runway.testing.Acting;
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
import org.junit.jupiter.api.Test;

@QuarkusTest
class SweepsApiTest {

    @Inject
    RunFixture runs;

    @Inject
    ApiKeyService keys;

    @TestHTTPResource("/")
    URL base;

    @Test
    void a_key_starts_a_sweep_and_follows_its_trials_to_the_best_one() throws Exception {
        RunFixture.Setup mine = runs.iris();
        RunFixture.Setup theirs = runs.iris();
        var owner = mine.company().owner();
        String key = Acting.as(owner, () -> keys.create("sweeps", Role.ENGINEER, null)).key();
        String viewer = Acting.as(owner, () -> keys.create("viewer", Role.VIEWER, null)).key();
        String body = """
                {"datasetVersionId": %d, "template": "mlp", "hyperparameters": {"epochs": 3, "hiddenLayers": [16]},
                 "method": "grid", "trials": 2, "parallel": 2,
                 "parameters": {"learningRate": {"values": [0.03, 0.001]}},
                 "objective": "validationLoss", "budget": {"amount": 1, "currency": "USD"}}""";

        HttpResponse<String> created = post("api/v1/sweeps", body.formatted(mine.versionId()), key);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode sweep = new ObjectMapper().readTree(created.body());
        long id = sweep.get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/sweeps/" + id);
        assertThat(sweep.get("trials")).hasSize(2);
        assertThat(sweep.at("/money/cap").decimalValue()).isEqualByComparingTo("1");
        assertThat(sweep.hasNonNull("auto")).as("a sweep a person configured is not Auto").isFalse();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> new ObjectMapper().readTree(get("api/v1/sweeps/" + id, viewer).body())
                        .get("status").asText().equals("FINISHED"));
        JsonNode done = new ObjectMapper().readTree(get("api/v1/sweeps/" + id, viewer).body());
        assertThat(done.get("bestTrial").isInt()).isTrue();
        assertThat(done.get("trials").get(0).get("objective").isNumber()).isTrue();
        assertThat(done.get("trials").get(0).get("runStatus").asText()).isEqualTo("SUCCEEDED");

        assertThat(post("api/v1/sweeps", body.formatted(mine.versionId()), viewer).statusCode()).as("a viewer")
                .isEqualTo(403);
        HttpResponse<String> foreign = post("api/v1/sweeps", body.formatted(theirs.versionId()), key);
        assertThat(foreign.statusCode()).isEqualTo(404);
        HttpResponse<String> bad = post("api/v1/sweeps", body.formatted(mine.versionId())
                .replace("\"learningRate\"", "\"momentum\""), key);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("parameters.momentum").contains("cannot be swept");
        // Numbers out of range or of the wrong type are refused at their field, not read as something else.
        HttpResponse<String> wrapped = post("api/v1/sweeps", body.formatted(mine.versionId())
                .replace("\"trials\": 2", "\"trials\": 4294967297"), key);
        assertThat(wrapped.statusCode()).isEqualTo(400);
        assertThat(wrapped.body()).contains("trials").contains("is a whole number");
        HttpResponse<String> seed = post("api/v1/sweeps", body.formatted(mine.versionId())
                .replace("\"method\": \"grid\"", "\"seed\": \"tomorrow\", \"method\": \"grid\""), key);
        assertThat(seed.statusCode()).isEqualTo(400);
        assertThat(seed.body()).contains("seed").contains("whole number");
        assertThat(get("api/v1/sweeps/" + id, Acting.as(theirs.company().owner(),
                () -> keys.create("theirs", Role.VIEWER, null)).key()).statusCode()).isEqualTo(404);
    }

    @Test
    void a_run_with_the_template_auto_starts_auto_whose_plan_and_limits_can_be_read_first() throws Exception {
        RunFixture.Setup mine = runs.iris();
        var owner = mine.company().owner();
        String key = Acting.as(owner, () -> keys.create("auto", Role.ENGINEER, null)).key();
        ObjectMapper json = new ObjectMapper();

        HttpResponse<String> planned = get("api/v1/auto/plan?datasetVersionId=" + mine.versionId(), key);
        assertThat(planned.statusCode()).as(planned.body()).isEqualTo(200);
        JsonNode plan = json.readTree(planned.body());
        assertThat(plan.get("shape").asText()).isEqualTo("tabular");
        assertThat(plan.get("family").asText()).isEqualTo("Multi-layer perceptron");
        assertThat(plan.get("timeLimitMinutes").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(plan.get("currency").asText()).isEqualTo("USD");

        // Auto chooses the hyperparameters itself; its own limits are checked at their field.
        HttpResponse<String> tuned = post("api/v1/runs", """
                {"datasetVersionId": %d, "template": "auto", "hyperparameters": {"epochs": 3}}"""
                .formatted(mine.versionId()), key);
        assertThat(tuned.statusCode()).isEqualTo(400);
        assertThat(tuned.body()).contains("\"field\":\"hyperparameters\"").contains("Auto chooses");
        HttpResponse<String> instant = post("api/v1/runs", """
                {"datasetVersionId": %d, "template": "AUTO", "timeLimitMinutes": 0}""".formatted(mine.versionId()),
                key);
        assertThat(instant.statusCode()).isEqualTo(400);
        assertThat(instant.body()).contains("\"field\":\"timeLimitMinutes\"").contains("from 1 minute");
        HttpResponse<String> euros = post("api/v1/runs", """
                {"datasetVersionId": %d, "template": "AUTO", "budget": {"amount": 1, "currency": "EUR"}}"""
                .formatted(mine.versionId()), key);
        assertThat(euros.statusCode()).isEqualTo(400);
        assertThat(euros.body()).contains("\"field\":\"budget\"").contains("billed in USD");

        HttpResponse<String> created = post("api/v1/runs", """
                {"datasetVersionId": %d, "template": "AUTO", "timeLimitMinutes": 10,
                 "budget": {"amount": "0.50", "currency": "USD"}}""".formatted(mine.versionId()), key);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode sweep = json.readTree(created.body());
        long id = sweep.get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/sweeps/" + id);
        assertThat(sweep.get("method").asText()).isEqualTo("asha");
        assertThat(sweep.at("/money/cap").decimalValue()).isEqualByComparingTo("0.50");
        assertThat(sweep.at("/auto/family").asText()).isEqualTo("MLP");
        assertThat(sweep.at("/auto/why").asText()).isEqualTo(plan.get("why").asText());
        assertThat(sweep.at("/auto/timeLimitSeconds").asLong()).isEqualTo(600);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> json.readTree(get("api/v1/sweeps/" + id, key).body()).at("/auto/modelVersionId")
                        .isIntegralNumber());
        JsonNode done = json.readTree(get("api/v1/sweeps/" + id, key).body());
        assertThat(done.get("status").asText()).isEqualTo("FINISHED");
        long model = done.at("/auto/modelVersionId").asLong();
        JsonNode version = json.readTree(get("api/v1/models/" + model, key).body());
        int best = done.get("bestTrial").asInt();
        assertThat(version.get("runId").asLong()).isEqualTo(done.get("trials").get(best - 1).get("runId").asLong());
    }

    private HttpResponse<String> post(String path, String body, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
