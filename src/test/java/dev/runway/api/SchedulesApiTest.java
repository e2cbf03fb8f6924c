package dev.runway.api;

import static dev.runway.api.ApiClient.allIds;
import static dev.runway.api.ApiClient.assertField;
import static dev.runway.api.ApiClient.assertProblem;
import static dev.runway.api.ApiClient.get;
import static dev.runway.api.ApiClient.key;
import static dev.runway.api.ApiClient.post;
import static dev.runway.api.ApiClient.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.dataset.DatasetService;
import dev.runway.tenancy.Role;
import dev.runway.testing.Acting;
import dev.runway.training.RunFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

/** Schedules through /api/v1/schedules: create (cron or on a new version), pause, resume, delete. */
@QuarkusTest
class SchedulesApiTest {

    @Inject
    RunFixture runs;

    @Inject
    ApiKeyService keys;

    @Inject
    DatasetService datasets;

    @Inject
    EntityManager em;

    private long datasetOf(RunFixture.Setup setup) {
        return Acting.as(setup.company().owner(), () -> datasets.version(setup.versionId()).getDatasetId());
    }

    private static String schedule(String name, long datasetId, String more) {
        return "{\"name\": \"" + name + "\", \"datasetId\": " + datasetId + ", \"template\": \"MLP\", "
                + "\"hyperparameters\": {\"epochs\": 2}" + more + "}";
    }

    @Test
    void a_schedule_is_created_paused_resumed_and_deleted_and_its_runs_stay() {
        RunFixture.Setup a = runs.iris();
        RunFixture.Setup b = runs.iris();
        String engineer = key(keys, a.company().owner(), Role.ENGINEER);
        String viewer = key(keys, a.company().owner(), Role.VIEWER);
        String otherCompany = key(keys, b.company().owner(), Role.OWNER);
        long dataset = datasetOf(a);

        ApiClient.Reply nightly = post("/api/v1/schedules", engineer, schedule("Nightly", dataset,
                ", \"cron\": \"0 0 2 * * *\", \"priority\": 70"));
        assertThat(nightly.status()).as(nightly.text()).isEqualTo(201);
        long id = nightly.json().get("id").asLong();
        assertThat(nightly.json().get("cron").asText()).isEqualTo("0 0 2 * * *");
        assertThat(nightly.json().get("priority").asInt()).isEqualTo(70);
        assertThat(nightly.json().get("nextFireAt").asText()).endsWith("T02:00:00Z");
        ApiClient.Reply onVersion = post("/api/v1/schedules", engineer, schedule("After upload", dataset,
                ", \"onNewVersion\": true"));
        assertThat(onVersion.status()).as(onVersion.text()).isEqualTo(201);
        assertThat(onVersion.json().has("nextFireAt")).isFalse();
        assertThat(allIds("/api/v1/schedules", viewer, 1))
                .containsExactly(onVersion.json().get("id").asLong(), id);

        ApiClient.Reply paused = post("/api/v1/schedules/" + id + "/pause", engineer, null);
        assertThat(paused.json().get("paused").asBoolean()).isTrue();
        assertThat(paused.json().has("nextFireAt")).isFalse();
        ApiClient.Reply resumed = post("/api/v1/schedules/" + id + "/resume", engineer, null);
        assertThat(resumed.json().get("paused").asBoolean()).isFalse();
        assertThat(resumed.json().has("nextFireAt")).isTrue();
        assertProblem(post("/api/v1/schedules/" + id + "/pause", viewer, null), 403, "forbidden");
        assertProblem(post("/api/v1/schedules", viewer, schedule("Viewer's", dataset, ", \"onNewVersion\": true")),
                403, "forbidden");
        for (String path : new String[] {"", "/pause", "/resume"}) {
            assertProblem(send(path.isEmpty() ? "GET" : "POST", "/api/v1/schedules/" + id + path, otherCompany,
                    null), 404, "not-found");
        }
        assertProblem(send("DELETE", "/api/v1/schedules/" + id, otherCompany, null), 404, "not-found");

        // A run the schedule started keeps existing when the schedule goes.
        ApiClient.Reply run = post("/api/v1/runs", engineer, "{\"datasetVersionId\": " + a.versionId()
                + ", \"template\": \"MLP\", \"hyperparameters\": {\"epochs\": 1}}");
        long runId = run.json().get("id").asLong();
        Acting.tx(a.company().owner(), () -> em.createNativeQuery("update run set schedule_id = :s where id = :r")
                .setParameter("s", id).setParameter("r", runId).executeUpdate());
        assertThat(send("DELETE", "/api/v1/schedules/" + id, engineer, null).status()).isEqualTo(204);
        assertProblem(get("/api/v1/schedules/" + id, engineer), 404, "not-found");
        assertThat(get("/api/v1/runs/" + runId, engineer).status()).isEqualTo(200);
        assertThat(allIds("/api/v1/schedules", viewer, 5)).containsExactly(onVersion.json().get("id").asLong());
    }

    @Test
    void a_bad_schedule_is_a_400_naming_the_field_and_nothing_is_created() {
        RunFixture.Setup a = runs.iris();
        RunFixture.Setup b = runs.iris();
        String engineer = key(keys, a.company().owner(), Role.ENGINEER);
        long dataset = datasetOf(a);

        assertField(post("/api/v1/schedules", engineer, schedule("No when", dataset, "")), "cron");
        assertField(post("/api/v1/schedules", engineer, schedule("Bad cron", dataset, ", \"cron\": \"nightly\"")),
                "cron");
        assertField(post("/api/v1/schedules", engineer, schedule("", dataset, ", \"onNewVersion\": true")), "name");
        assertField(post("/api/v1/schedules", engineer, "{\"name\": \"x\", \"template\": \"MLP\", "
                + "\"onNewVersion\": true}"), "datasetId");
        assertField(post("/api/v1/schedules", engineer, "{\"name\": \"x\", \"datasetId\": " + dataset
                + ", \"template\": \"GPT\", \"onNewVersion\": true}"), "template");
        assertField(post("/api/v1/schedules", engineer, "{\"name\": \"x\", \"datasetId\": " + dataset
                + ", \"template\": \"MLP\", \"hyperparameters\": {\"epochs\": 0}, \"onNewVersion\": true}"),
                "hyperparameters.epochs");
        assertField(post("/api/v1/schedules", engineer, schedule("Bad priority", dataset,
                ", \"onNewVersion\": true, \"priority\": 101")), "priority");
        assertProblem(post("/api/v1/schedules", engineer, schedule("Theirs", datasetOf(b),
                ", \"onNewVersion\": true")), 404, "not-found");
        assertThat(get("/api/v1/schedules", engineer).ids()).isEmpty();
    }
}
