package dev.runway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.dataset.DatasetService;
import dev.runway.project.ProjectService;
import dev.runway.billing.Plan;
import dev.runway.billing.PlanService;
import dev.runway.billing.Resource;
import dev.runway.billing.Usage;
import dev.runway.billing.UsageLedger;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Membership;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TeamService;
import dev.runway.tenancy.TenantContext;
import dev.runway.tenancy.Tokens;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import dev.runway.testing.TusUploads;
import dev.runway.training.PacedWorkProfile;
import dev.runway.training.RunFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The REST API over HTTP against the real PostgreSQL: two companies, each with its own keys; every endpoint, the
 * 401/403/404/400 problems, and what is stored of a key.
 */
@QuarkusTest
@TestProfile(PacedWorkProfile.class)
class ApiTest {

    private static final String BASE = "http://localhost:8081";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long MAX_UPLOAD_MB = 200;

    @Inject
    RunFixture runs;

    @Inject
    TenancyFixture tenancy;

    @Inject
    ApiKeyService keys;

    @Inject
    ProjectService projects;

    @Inject
    DatasetService datasets;

    @Inject
    TeamService team;

    @Inject
    TestClock clock;

    @Inject
    PlanService plans;

    @Inject
    UsageLedger ledger;

    @Inject
    EntityManager em;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    record Reply(int status, String contentType, String text) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + text, e);
            }
        }
    }

    /** Company A with a prepared iris version, company B likewise. */
    record World(RunFixture.Setup a, RunFixture.Setup b, String keyA, String keyB) {}

    private World world() {
        RunFixture.Setup a = runs.iris();
        RunFixture.Setup b = runs.iris();
        return new World(a, b, key(a.company().owner(), Role.ENGINEER), key(b.company().owner(), Role.ENGINEER));
    }

    @Test
    void projects_are_listed_for_the_keys_company_only() {
        World w = world();
        long projectA = projectOf(w.a());
        long projectB = projectOf(w.b());

        Reply list = get("/api/v1/projects", w.keyA());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.contentType()).startsWith("application/json");
        assertThat(list.json().findValuesAsText("id")).containsExactly(Long.toString(projectA));
        assertThat(list.json().get("items").get(0).get("name").asText()).startsWith("Runs ");

        assertThat(get("/api/v1/projects/" + projectA, w.keyA()).json().get("id").asLong()).isEqualTo(projectA);
        assertProblem(get("/api/v1/projects/" + projectB, w.keyA()), 404, "not-found");
        assertThat(get("/api/v1/projects", w.keyB()).json().findValuesAsText("id"))
                .containsExactly(Long.toString(projectB));
    }

    @Test
    void a_key_alone_creates_a_project_uploads_a_csv_saves_its_preparation_and_starts_a_run() throws IOException {
        World w = world();
        String name = "Flowers " + TenancyFixture.unique();
        Reply created = post("/api/v1/projects", w.keyA(), "{\"name\": \"" + name + "\", \"description\": \"iris\", "
                + "\"tags\": [\"Tabular\", \"q3\"]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("name").asText()).isEqualTo(name);
        assertThat(created.json().get("tags").toString()).isEqualTo("[\"tabular\",\"q3\"]");
        long project = created.json().get("id").asLong();
        assertField(post("/api/v1/projects", w.keyA(), "{\"name\": \"" + name + "\"}"), "name");
        assertField(post("/api/v1/projects", w.keyA(), "{\"description\": \"no name\"}"), "name");
        assertProblem(post("/api/v1/projects", key(w.a().company().owner(), Role.VIEWER), "{\"name\": \"x\"}"),
                403, "forbidden");

        Reply patched = send("PATCH", "/api/v1/projects/" + project, w.keyA(), "application/json",
                "{\"description\": \"Iris, measured\"}");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().get("name").asText()).isEqualTo(name);
        assertThat(patched.json().get("description").asText()).isEqualTo("Iris, measured");
        assertThat(patched.json().get("tags")).hasSize(2);
        assertThat(post("/api/v1/projects/" + project + "/archive", w.keyA(), null).json().get("archived")
                .asBoolean()).isTrue();
        assertThat(get("/api/v1/projects", w.keyA()).json().findValuesAsText("name")).doesNotContain(name);
        assertThat(post("/api/v1/projects/" + project + "/restore", w.keyA(), null).json().get("archived")
                .asBoolean()).isFalse();
        assertProblem(send("PATCH", "/api/v1/projects/" + project, w.keyB(), "application/json", "{}"), 404,
                "not-found");

        // Resumably (tus), over a connection that drops half-way once: the client resumes where the bytes stopped.
        Path iris = Path.of("samples", "iris.csv");
        TusUploads.Result upload = TusUploads.upload(8081, w.keyA(), iris, Map.of("projectId", Long.toString(project),
                "dataset", "iris"), Files.size(iris) / 2, 1024);
        assertThat(upload.drops()).isEqualTo(1);
        assertThat(upload.attempts()).isGreaterThan(1);
        long version = upload.datasetVersionId();
        JsonNode profile = get("/api/v1/datasets/versions/" + version, w.keyA()).json();
        assertThat(profile.get("version").get("prepared").asBoolean()).isFalse();
        assertThat(profile.get("profile").get("columns").findValuesAsText("name")).containsExactly("sepal_length",
                "sepal_width", "petal_length", "petal_width", "species");
        assertProblem(get("/api/v1/datasets/versions/" + version + "/preparation", w.keyA()), 404, "not-found");
        assertField(send("PUT", "/api/v1/datasets/versions/" + version + "/preparation", w.keyA(), "application/json",
                "{\"target\": \"colour\", \"features\": [\"sepal_length\"], \"task\": \"CLASSIFICATION\"}"), "target");
        assertField(send("PUT", "/api/v1/datasets/versions/" + version + "/preparation", w.keyA(), "application/json",
                "{\"target\": \"species\", \"features\": [\"sepal_length\"], \"task\": \"CLASSIFICATION\", "
                        + "\"trainRatio\": 0.5}"), "trainRatio");

        Reply saved = send("PUT", "/api/v1/datasets/versions/" + version + "/preparation", w.keyA(),
                "application/json", "{\"target\": \"species\", \"features\": [\"sepal_length\", \"sepal_width\", "
                        + "\"petal_length\", \"petal_width\"], \"task\": \"CLASSIFICATION\"}");
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        assertThat(saved.json().get("trainRatio").asDouble()).isEqualTo(0.7);
        assertThat(saved.json().get("missingValues").asText()).isEqualTo("IMPUTE");
        assertThat(get("/api/v1/datasets/versions/" + version + "/preparation", w.keyA()).json())
                .isEqualTo(saved.json());
        assertProblem(get("/api/v1/datasets/versions/" + version, w.keyB()), 404, "not-found");
        assertProblem(send("PUT", "/api/v1/datasets/versions/" + version + "/preparation", w.keyB(),
                "application/json", saved.text()), 404, "not-found");

        // With an Idempotency-Key, and sent again as a script's retry would be: one run, the same answer.
        HttpRequest start = HttpRequest.newBuilder(URI.create(BASE + "/api/v1/runs"))
                .header("Authorization", "Bearer " + w.keyA()).header("Content-Type", "application/json")
                .header("Idempotency-Key", "start-" + TenancyFixture.unique())
                .POST(HttpRequest.BodyPublishers.ofString("{\"datasetVersionId\": " + version
                        + ", \"template\": \"MLP\", \"hyperparameters\": {\"epochs\": 3}}")).build();
        Reply run = exchange(start);
        Reply retried = exchange(start);
        assertThat(run.status()).as(run.text()).isEqualTo(201);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.text()).isEqualTo(run.text());
        assertThat(get("/api/v1/projects/" + project + "/runs", w.keyA()).json()).hasSize(1);
    }

    @Test
    void a_key_of_one_company_gets_404_for_every_id_of_another() {
        World w = world();
        long projectB = projectOf(w.b());
        long datasetB = as(w.b().company().owner(), () -> datasets.version(w.b().versionId()).getDatasetId());
        long runB = startRun(w.keyB(), w.b().versionId()).json().get("id").asLong();

        assertProblem(get("/api/v1/projects/" + projectB, w.keyA()), 404, "not-found");
        assertProblem(get("/api/v1/projects/" + projectB + "/datasets", w.keyA()), 404, "not-found");
        assertProblem(get("/api/v1/projects/" + projectB + "/runs", w.keyA()), 404, "not-found");
        assertProblem(get("/api/v1/projects/" + projectB + "/models", w.keyA()), 404, "not-found");
        assertProblem(get("/api/v1/datasets/" + datasetB, w.keyA()), 404, "not-found");
        assertProblem(get("/api/v1/runs/" + runB, w.keyA()), 404, "not-found");
        assertProblem(send("POST", "/api/v1/runs/" + runB + "/cancel", w.keyA(), null, null), 404, "not-found");
        assertProblem(send("POST", "/api/v1/datasets/" + datasetB + "/versions", w.keyA(), "text/csv", "a,b\n1,2\n"),
                404, "not-found");
        assertProblem(send("POST", "/api/v1/projects/" + projectB + "/datasets/sneaky/versions", w.keyA(), "text/csv",
                "a,b\n1,2\n"), 404, "not-found");
        assertProblem(startRun(w.keyA(), w.b().versionId()), 404, "not-found");

        // B's data is untouched and still B's.
        assertThat(as(w.b().company().owner(), () -> datasets.versions(datasetB))).hasSize(1);
        assertThat(get("/api/v1/runs/" + runB, w.keyB()).status()).isEqualTo(200);
    }

    @Test
    void csv_uploads_create_a_dataset_and_add_versions_raw_or_multipart() throws IOException {
        World w = world();
        long project = projectOf(w.a());
        String csv = Files.readString(Path.of("samples", "linear.csv"));

        Reply first = send("POST", "/api/v1/projects/" + project + "/datasets/line/versions?filename=line.csv",
                w.keyA(), "text/csv", csv);
        assertThat(first.status()).isEqualTo(201);
        JsonNode v1 = first.json();
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(v1.get("filename").asText()).isEqualTo("line.csv");
        assertThat(v1.get("rows").asLong()).isPositive();
        assertThat(v1.get("prepared").asBoolean()).isFalse();
        long datasetId = v1.get("datasetId").asLong();

        // The same bytes again keep version 1 and say so; ?force=true adds them as a new version all the same.
        Reply same = multipart("/api/v1/datasets/" + datasetId + "/versions", w.keyA(), "again.csv", csv);
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().get("id").asLong()).isEqualTo(v1.get("id").asLong());
        assertThat(same.json().get("existing").asBoolean()).isTrue();
        assertThat(same.json().get("message").asText()).startsWith("The file is identical to version 1 of “line”")
                .endsWith("Send ?force=true to add it as a new version anyway.");
        assertThat(v1.has("existing")).isFalse();
        Reply sameByName = send("POST", "/api/v1/projects/" + project + "/datasets/line/versions", w.keyA(),
                "text/csv", csv);
        assertThat(sameByName.status()).isEqualTo(200);
        assertThat(sameByName.json().get("version").asInt()).isEqualTo(1);
        Reply second = multipart("/api/v1/datasets/" + datasetId + "/versions?force=true", w.keyA(), "again.csv",
                csv);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().get("version").asInt()).isEqualTo(2);
        assertThat(second.json().get("filename").asText()).isEqualTo("again.csv");
        assertThat(second.json().get("sha256").asText()).isEqualTo(v1.get("sha256").asText());
        Reply third = multipart("/api/v1/projects/" + project + "/datasets/line/versions?force=true", w.keyA(),
                "third.csv", csv);
        assertThat(third.json().get("version").asInt()).isEqualTo(3);
        Reply changed = send("POST", "/api/v1/datasets/" + datasetId + "/versions", w.keyA(), "text/csv",
                csv + "100,302\r\n");
        assertThat(changed.status()).isEqualTo(201);
        assertThat(changed.json().get("version").asInt()).isEqualTo(4);

        JsonNode dataset = get("/api/v1/datasets/" + datasetId, w.keyA()).json();
        assertThat(dataset.get("name").asText()).isEqualTo("line");
        assertThat(dataset.get("versions").findValuesAsText("version")).containsExactly("4", "3", "2", "1");
        assertThat(get("/api/v1/projects/" + project + "/datasets", w.keyA()).json().findValuesAsText("name"))
                .contains("iris", "line");

        Reply empty = send("POST", "/api/v1/datasets/" + datasetId + "/versions", w.keyA(), "text/csv", "");
        assertProblem(empty, 400, "bad-input");
        assertThat(empty.json().get("errors").get(0).get("field").asText()).isEqualTo("file");
        Reply ragged = send("POST", "/api/v1/datasets/" + datasetId + "/versions", w.keyA(), "text/csv",
                "x,y\n1,2\n3\n");
        assertProblem(ragged, 400, "bad-input");
        assertThat(ragged.json().get("detail").asText()).contains("Line 3");
        assertThat(get("/api/v1/datasets/" + datasetId, w.keyA()).json().get("versions")).hasSize(4);
    }

    @Test
    void a_run_is_started_and_its_status_progress_and_metrics_are_read() {
        World w = world();
        long project = projectOf(w.a());
        Reply started = startRun(w.keyA(), w.a().versionId());
        assertThat(started.status()).isEqualTo(201);
        JsonNode run = started.json();
        long id = run.get("id").asLong();
        assertThat(run.get("status").asText()).isEqualTo("QUEUED");
        assertThat(run.get("template").asText()).isEqualTo("MLP");
        assertThat(run.get("totalEpochs").asInt()).isEqualTo(3);
        assertThat(run.get("projectId").asLong()).isEqualTo(project);
        assertThat(run.has("progress")).isTrue();

        JsonNode done = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/api/v1/runs/" + id, w.keyA()).json(),
                        r -> r.get("finished").asBoolean() && (r.has("modelVersionId") || !r.get("status").asText()
                                .equals("SUCCEEDED")));
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(done.get("metrics").findValuesAsText("epoch")).containsExactly("1", "2", "3");
        assertThat(done.get("metrics").get(0).has("validationLoss")).isTrue();
        assertThat(done.get("preparation").get("revision").asInt()).isEqualTo(1);
        assertThat(done.get("preparation").get("current").asBoolean()).isTrue();
        assertThat(done.get("preparation").get("settings").get("target").asText()).isNotBlank();
        long model = done.get("modelVersionId").asLong();
        assertThat(get("/api/v1/models/" + model, w.keyA()).json().get("preparation").get("sha256").asText())
                .isEqualTo(done.get("preparation").get("sha256").asText());

        JsonNode models = get("/api/v1/projects/" + project + "/models", w.keyA()).json().get("items");
        assertThat(models.findValuesAsText("id")).containsExactly(Long.toString(model));
        assertThat(models.toString() + done).doesNotContain("storage").doesNotContain("/runs/");
        assertThat(models.get(0).get("runId").asLong()).isEqualTo(id);
        assertThat(get("/api/v1/projects/" + project + "/runs", w.keyA()).json().findValuesAsText("id"))
                .containsExactly(Long.toString(id));
        assertThat(done.get("cost").get("currency").asText()).isEqualTo("USD");
        assertThat(done.get("cost").get("deviceSeconds").asDouble()).isPositive();
        assertThat(done.get("cost").get("amount").decimalValue()).isEqualByComparingTo("0");   // the Free plan
    }

    @Test
    void a_run_started_without_a_device_gets_the_consoles_default_auto() {
        World w = world();
        as(w.a().company().owner(), () -> plans.changePlan(Plan.TEAM, null));   // a plan with GPUs: auto stays auto
        JsonNode run = startRun(w.keyA(), w.a().versionId()).json();
        assertThat(run.get("requestedDevice").asText()).as("the New run dialog's default").isEqualTo("auto");
        assertThat(run.get("pool").asText()).as("auto is not a GPU request").isEqualTo("cpu");
    }

    @Test
    void usage_is_read_by_billing_keys_of_its_own_company_only() {
        World w = world();
        long project = projectOf(w.a());
        Actor ownerA = w.a().company().owner();
        as(ownerA, () -> plans.changePlan(Plan.TEAM, null));
        Instant t = clock.instant();
        as(ownerA, () -> QuarkusTransaction.requiringNew().run(() -> ledger.record(ownerA.tenantId(),
                new Usage("api-test:1", Resource.CPU, new BigDecimal("36000"), project, null, t,
                        t.plusSeconds(36_000)))));   // on the Team plan: 10 h × 0.12
        String billingKey = key(ownerA, Role.BILLING);

        Reply reply = get("/api/v1/usage", billingKey);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode usage = reply.json();
        assertThat(usage.get("plan").asText()).isEqualTo("TEAM");
        assertThat(usage.get("invoiceStatus").asText()).isEqualTo("DRAFT");
        assertThat(usage.get("lines").get(0).get("projectId").asLong()).isEqualTo(project);
        assertThat(usage.get("lines").get(0).get("amount").decimalValue()).isEqualByComparingTo("1.20");
        assertThat(usage.get("subtotal").decimalValue()).isEqualByComparingTo("1.20");
        assertThat(usage.get("days").findValuesAsText("resource")).contains("CPU");

        assertProblem(get("/api/v1/usage", w.keyA()), 403, "forbidden");   // an Engineer key sees no billing
        assertField(get("/api/v1/usage?month=November", billingKey), "month");
        JsonNode otherCompany = get("/api/v1/usage", key(w.b().company().owner(), Role.BILLING)).json();
        assertThat(otherCompany.get("lines")).isEmpty();
        assertThat(otherCompany.get("subtotal").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void bad_input_to_start_run_is_a_400_problem_naming_the_field() {
        World w = world();
        long version = w.a().versionId();
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"hyperparameters\": {\"learningRate\": -1}}"), "hyperparameters.learningRate");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"hyperparameters\": {\"epochs\": 0}}"), "hyperparameters.epochs");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"hyperparameters\": {\"epochs\": \"many\"}}"), "hyperparameters.epochs");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"hyperparameters\": {\"epocs\": 3}}"), "hyperparameters.epocs");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"hyperparameters\": {\"augmentation\": {\"noise\": 2}}}"), "hyperparameters.augmentation.noise");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version
                + ", \"template\": \"LINEAR_REGRESSION\"}"), "template");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"GPT\"}"),
                "template");
        assertField(post("/api/v1/runs", w.keyA(), "{\"template\": \"MLP\"}"), "datasetVersionId");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"device\": \"tpu\"}"), "device");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"priority\": 101}"), "priority");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"pool\": \"GPU pool!\"}"), "pool");
        // Only the pools of runway.executor.pools: a run in a pool no node serves would wait forever.
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"pool\": \"gpu-h100\"}"), "pool");
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + version + ", \"template\": \"MLP\", "
                + "\"epochs\": 3}"), "epochs");
        assertProblem(post("/api/v1/runs", w.keyA(), "{not json"), 400, "bad-input");

        // An upload without preparation settings cannot train: the field is the version.
        long project = projectOf(w.a());
        long unprepared = send("POST", "/api/v1/projects/" + project + "/datasets/raw/versions", w.keyA(), "text/csv",
                "x,y\n1,2\n2,4\n3,6\n").json().get("id").asLong();
        assertField(post("/api/v1/runs", w.keyA(), "{\"datasetVersionId\": " + unprepared
                + ", \"template\": \"MLP\"}"), "datasetVersionId");

        assertThat(get("/api/v1/projects/" + project + "/runs", w.keyA()).json().get("items")).isEmpty();
    }

    @Test
    void a_read_only_key_reads_but_cannot_start_a_run_or_upload() {
        World w = world();
        String viewer = key(w.a().company().owner(), Role.VIEWER);
        long project = projectOf(w.a());
        assertThat(get("/api/v1/projects", viewer).status()).isEqualTo(200);
        Reply refused = startRun(viewer, w.a().versionId());
        assertProblem(refused, 403, "forbidden");
        assertThat(refused.json().get("detail").asText()).contains("API key's role (Viewer)");
        assertProblem(send("POST", "/api/v1/projects/" + project + "/datasets/x/versions", viewer, "text/csv",
                "a,b\n1,2\n"), 403, "forbidden");
        assertThat(get("/api/v1/projects/" + project + "/runs", viewer).json().get("items")).isEmpty();
    }

    @Test
    void a_key_acts_with_no_more_than_its_creators_current_role() {
        TenancyFixture.Company company = tenancy.company();
        Actor admin = tenancy.member(company, Role.ADMIN);
        assertThatThrownBy(() -> as(admin, () -> keys.create("too much", Role.OWNER, null)))
                .isInstanceOf(BadInputException.class).extracting("field").isEqualTo("role");
        Actor engineer = tenancy.member(company, Role.ENGINEER);
        assertThatThrownBy(() -> as(engineer, () -> keys.create("mine", Role.VIEWER, null)))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(as(admin, () -> keys.grantableRoles())).doesNotContain(Role.OWNER).contains(Role.ADMIN);
        assertThatThrownBy(() -> as(admin, () -> keys.create("past", Role.VIEWER, clock.instant().minusSeconds(1))))
                .isInstanceOf(BadInputException.class).extracting("field").isEqualTo("expiresAt");
        assertThatThrownBy(() -> as(admin, () -> keys.create(" ", Role.VIEWER, null)))
                .isInstanceOf(BadInputException.class).extracting("field").isEqualTo("name");

        // An ADMIN key of an admin who is then made an analyst can no longer change data (analysts cannot).
        long project = as(company.owner(), () -> projects.create(new ProjectService.ProjectForm("Keys "
                + TenancyFixture.unique(), "", "", true)).getId());
        String adminKey = key(admin, Role.ADMIN);
        String upload = "/api/v1/projects/" + project + "/datasets/d/versions";
        assertThat(send("POST", upload, adminKey, "text/csv", "a,b\n1,2\n").status()).isEqualTo(201);
        long membership = membershipOf(company, admin);
        as(company.owner(), () -> team.changeRole(membership, Role.ANALYST));
        Reply refused = send("POST", upload, adminKey, "text/csv", "a,b\n1,2\n");
        assertProblem(refused, 403, "forbidden");
        assertThat(refused.json().get("detail").asText()).contains("Analyst");
        assertThat(get("/api/v1/projects", adminKey).status()).isEqualTo(200);
    }

    @Test
    void unknown_malformed_revoked_and_expired_keys_get_401() {
        World w = world();
        Reply none = get("/api/v1/projects", null);
        assertProblem(none, 401, "unauthorized");
        assertThat(none.json().get("detail").asText()).contains("Authorization: Bearer");
        assertProblem(get("/api/v1/projects", "not-a-key"), 401, "unauthorized");
        assertProblem(get("/api/v1/projects", "rw_000000000000_nope"), 401, "unauthorized");
        String prefixOfA = w.keyA().split("_")[1];
        assertProblem(get("/api/v1/projects", "rw_" + prefixOfA + "_" + Tokens.newToken()), 401, "unauthorized");
        assertProblem(get("/api/v1/runs/1", "rw_000000000000_nope"), 401, "unauthorized");
        assertProblem(send("POST", "/api/v1/runs", "rw_000000000000_nope", "application/json", "{}"), 401,
                "unauthorized");

        Actor owner = w.a().company().owner();
        ApiKeyService.CreatedKey revoked = as(owner, () -> keys.create("to revoke", Role.VIEWER, null));
        assertThat(get("/api/v1/projects", revoked.key()).status()).isEqualTo(200);
        as(owner, () -> keys.revoke(revoked.apiKey().getId()));
        Reply afterRevoke = get("/api/v1/projects", revoked.key());
        assertProblem(afterRevoke, 401, "unauthorized");
        assertThat(afterRevoke.json().get("detail").asText()).contains("revoked");

        String expiring = as(owner, () -> keys.create("short", Role.VIEWER, clock.instant().plus(Duration.ofHours(1))))
                .key();
        assertThat(get("/api/v1/projects", expiring).status()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        Reply afterExpiry = get("/api/v1/projects", expiring);
        assertProblem(afterExpiry, 401, "unauthorized");
        assertThat(afterExpiry.json().get("detail").asText()).contains("expired");
        clock.reset();

        // A key stops working when its creator leaves the company.
        Actor admin = tenancy.member(w.a().company(), Role.ADMIN);
        String adminKey = key(admin, Role.VIEWER);
        assertThat(get("/api/v1/projects", adminKey).status()).isEqualTo(200);
        long membership = membershipOf(w.a().company(), admin);
        as(owner, () -> team.removeMember(membership));
        assertProblem(get("/api/v1/projects", adminKey), 401, "unauthorized");

        assertThat(get("/api/v1/projects", w.keyA()).status()).isEqualTo(200);
    }

    @Test
    void a_key_is_shown_once_and_only_the_hash_of_its_secret_is_stored() {
        Actor owner = tenancy.company().owner();
        ApiKeyService.CreatedKey created = as(owner, () -> keys.create("CI", Role.ENGINEER, null));
        assertThat(created.key()).matches("rw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        String[] parts = created.key().split("_", 3);
        assertThat(created.apiKey().getPrefix()).isEqualTo(parts[1]);

        @SuppressWarnings("unchecked")
        List<Object[]> rows = as(owner, () -> QuarkusTransaction.requiringNew().call(() -> (List<Object[]>) em
                .createNativeQuery("select prefix, secret_hash, name, role from api_key where id = :id")
                .setParameter("id", created.apiKey().getId()).getResultList()));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)[1].toString()).isEqualTo(Tokens.sha256(parts[2]));
        assertThat(List.of(rows.get(0))).noneMatch(v -> v.toString().contains(parts[2]));
        // Nothing the service hands out later contains the secret.
        assertThat(as(owner, () -> keys.list())).singleElement()
                .satisfies(k -> assertThat(k.toString() + k.getName() + k.getPrefix()).doesNotContain(parts[2]));
        // The application role cannot read keys without the tenant either (row-level security).
        long visible = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from api_key").getSingleResult()).longValue());
        assertThat(visible).isZero();
    }

    @Test
    void keys_are_tenant_owned_rows_and_the_lookup_answers_only_to_the_holder_of_a_key() {
        World w = world();
        Actor ownerB = w.b().company().owner();
        List<?> tenants = as(ownerB, () -> QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select distinct tenant_id from api_key").getResultList()));
        assertThat(tenants).singleElement().satisfies(t -> assertThat(((Number) t).longValue())
                .isEqualTo(ownerB.tenantId()));

        String[] a = w.keyA().split("_", 3);
        List<?> withSecret = lookup(a[1], Tokens.sha256(a[2]));
        assertThat(withSecret).hasSize(1);
        assertThat(lookup(a[1], Tokens.sha256("guess"))).isEmpty();
        assertThat(lookup(a[1], null)).isEmpty();
        // Also from inside another tenant's transaction: the function adds nothing to what RLS shows B.
        assertThat(as(ownerB, () -> QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from api_key where prefix = :p").setParameter("p", a[1]).getResultList()))).isEmpty();
    }

    private List<?> lookup(String prefix, String hash) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from api_key_lookup(cast(:p as varchar), cast(:h as varchar))")
                .setParameter("p", prefix).setParameter("h", hash).getResultList());
    }

    @Test
    void last_used_is_recorded_at_most_once_a_minute() {
        Actor owner = tenancy.company().owner();
        ApiKeyService.CreatedKey created = as(owner, () -> keys.create("poller", Role.VIEWER, null));
        assertThat(lastUsed(owner, created)).isNull();

        assertThat(get("/api/v1/projects", created.key()).status()).isEqualTo(200);
        Instant first = lastUsed(owner, created);
        assertThat(first).isNotNull();
        clock.advance(Duration.ofSeconds(30));
        get("/api/v1/projects", created.key());
        assertThat(lastUsed(owner, created)).isEqualTo(first);
        clock.advance(Duration.ofSeconds(31));
        get("/api/v1/projects", created.key());
        assertThat(lastUsed(owner, created)).isAfter(first);
    }

    @Test
    void errors_are_problem_details_and_unknown_api_paths_are_404_problems() {
        World w = world();
        Reply unknown = get("/api/v1/no-such-thing", w.keyA());
        assertProblem(unknown, 404, "not-found");
        Reply wrongMethod = send("DELETE", "/api/v1/projects", w.keyA(), null, null);
        assertThat(wrongMethod.status()).isIn(404, 405);
        assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
        Reply badId = get("/api/v1/projects/abc", w.keyA());
        assertThat(badId.status()).isEqualTo(404);
        assertThat(badId.contentType()).startsWith("application/problem+json");
        assertThat(unknown.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void the_console_and_the_openapi_document_are_served_beside_the_api() throws Exception {
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("content-type").orElse("")).startsWith("text/html");

        HttpResponse<String> openapi = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/q/openapi?format=json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(openapi.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(openapi.body());
        assertThat(doc.get("paths").has("/api/v1/projects")).isTrue();
        assertThat(doc.get("paths").has("/api/v1/runs/{runId}")).isTrue();
        assertThat(doc.get("paths").has("/api/v1/datasets/{datasetId}/versions")).isTrue();
        assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
        JsonNode upload = doc.at("/paths/~1api~1v1~1datasets~1{datasetId}~1versions/post/requestBody/content");
        assertThat(upload.has("text/csv")).as(upload.toString()).isTrue();
        assertThat(upload.has("multipart/form-data")).as(upload.toString()).isTrue();
        assertThat(doc.at("/paths/~1api~1v1~1runs/post/requestBody/content/application~1json/schema/$ref").asText())
                .endsWith("StartRun");
        assertThat(doc.at("/components/schemas/Problem/properties").has("errors")).isTrue();
    }

    @Test
    void location_headers_are_api_paths_whatever_host_the_request_names() throws IOException {
        World w = world();
        long project = projectOf(w.a());
        Raw started = raw("POST", "/api/v1/runs", "evil.example", w.keyA(), "application/json",
                "{\"datasetVersionId\": " + w.a().versionId() + ", \"template\": \"MLP\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        long run = JSON.readTree(started.body()).get("id").asLong();
        assertThat(started.header("location")).isEqualTo("/api/v1/runs/" + run);

        Raw uploaded = raw("POST", "/api/v1/projects/" + project + "/datasets/located/versions", "evil.example",
                w.keyA(), "text/csv", "x,y\n1,2\n");
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        long dataset = JSON.readTree(uploaded.body()).get("datasetId").asLong();
        assertThat(uploaded.header("location")).isEqualTo("/api/v1/datasets/" + dataset);
        // The paths lead to what was created.
        assertThat(get(started.header("location"), w.keyA()).status()).isEqualTo(200);
        assertThat(get(uploaded.header("location"), w.keyA()).status()).isEqualTo(200);
    }

    @Test
    void an_upload_over_the_size_limit_is_a_413_problem_before_a_byte_is_stored() throws IOException {
        World w = world();
        long dataset = as(w.a().company().owner(), () -> datasets.version(w.a().versionId()).getDatasetId());
        long overLimit = MAX_UPLOAD_MB * 1024 * 1024 + 1;
        // Only the length is declared: the answer comes from the headers alone, the rest is never sent.
        Raw refused = raw("POST", "/api/v1/datasets/" + dataset + "/versions", "localhost:8081", w.keyA(),
                "text/csv", "x,y\n1,2\n", overLimit);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.header("content-type")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:runway:problem:payload-too-large");
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("detail").asText()).contains(MAX_UPLOAD_MB + " MB");
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("file");
        assertThat(refused.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(as(w.a().company().owner(), () -> datasets.versions(dataset))).hasSize(1);
    }

    @Test
    void a_streamed_upload_that_passes_the_size_limit_is_a_413_problem() throws Exception {
        World w = world();
        long dataset = as(w.a().company().owner(), () -> datasets.version(w.a().versionId()).getDatasetId());
        long total = MAX_UPLOAD_MB * 1024 * 1024 + 8;
        // No length is declared (chunked): the limit is met while the bytes are stored.
        InputStream csv = new InputStream() {
            private final byte[] header = "x,y\n".getBytes(StandardCharsets.US_ASCII);
            private final byte[] row = "1,2\n".getBytes(StandardCharsets.US_ASCII);
            private long sent;

            @Override
            public int read() {
                if (sent >= total) {
                    return -1;
                }
                byte b = sent < header.length ? header[(int) sent] : row[(int) (sent % row.length)];
                sent++;
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (sent >= total) {
                    return -1;
                }
                int n = (int) Math.min(length, total - sent);
                for (int i = 0; i < n; i++) {
                    buffer[offset + i] = (byte) read();
                }
                return n;
            }
        };
        Reply refused = exchange(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/datasets/" + dataset + "/versions"))
                .header("Authorization", "Bearer " + w.keyA()).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> csv)).build());
        assertProblem(refused, 413, "payload-too-large");
        assertThat(refused.json().get("detail").asText()).contains(MAX_UPLOAD_MB + " MB");
        assertThat(as(w.a().company().owner(), () -> datasets.versions(dataset))).hasSize(1);
    }

    @Test
    void every_api_answer_carries_the_security_headers() throws IOException {
        World w = world();
        for (Raw answer : List.of(
                raw("GET", "/api/v1/projects", "localhost:8081", w.keyA(), null, null),
                raw("GET", "/api/v1/projects", "localhost:8081", null, null, null),
                raw("GET", "/api/v1/no-such-thing", "localhost:8081", w.keyA(), null, null),
                raw("GET", "/q/openapi", "localhost:8081", null, null, null))) {
            assertThat(answer.header("content-security-policy")).contains("frame-ancestors 'none'")
                    .contains("default-src 'self'");
            assertThat(answer.header("x-frame-options")).isEqualTo("DENY");
            assertThat(answer.header("x-content-type-options")).isEqualTo("nosniff");
            assertThat(answer.header("referrer-policy")).isEqualTo("same-origin");
        }
    }

    // ---- helpers ----

    private String key(Actor actor, Role role) {
        return as(actor, () -> keys.create("key " + TenancyFixture.unique(), role, null)).key();
    }

    private long projectOf(RunFixture.Setup setup) {
        return as(setup.company().owner(), () -> projects.list(null, false, ProjectService.Sort.NAME).get(0).getId());
    }

    private long membershipOf(TenancyFixture.Company company, Actor member) {
        return as(company.owner(), () -> team.members().stream().filter(m -> m.getUser().getId() == member.userId())
                .findFirst().map(Membership::getId).orElseThrow());
    }

    private Instant lastUsed(Actor owner, ApiKeyService.CreatedKey created) {
        return as(owner, () -> keys.list().stream().filter(k -> k.getId().equals(created.apiKey().getId()))
                .findFirst().orElseThrow().getLastUsedAt());
    }

    private Reply startRun(String key, long versionId) {
        return post("/api/v1/runs", key, "{\"datasetVersionId\": " + versionId + ", \"template\": \"MLP\", "
                + "\"hyperparameters\": {\"epochs\": 3, \"hiddenLayers\": [16], \"optimizer\": \"adam\"}}");
    }

    private static void assertProblem(Reply reply, int status, String kind) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("type").asText()).isEqualTo("urn:runway:problem:" + kind);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static void assertField(Reply reply, String field) {
        assertProblem(reply, 400, "bad-input");
        assertThat(reply.json().get("errors").findValuesAsText("field")).as(reply.text()).containsExactly(field);
    }

    private static <T> T as(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, work);
    }

    private static void as(Actor actor, Runnable work) {
        TenantContext.runAs(actor, work);
    }

    private static Reply get(String path, String key) {
        return send("GET", path, key, null, null);
    }

    private static Reply post(String path, String key, String json) {
        return send("POST", path, key, "application/json", json);
    }

    private static Reply send(String method, String path, String key, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return exchange(request.build());
    }

    private static Reply multipart(String path, String key, String filename, String csv) {
        String boundary = "runway-" + TenancyFixture.unique();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        return exchange(HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    private static Reply exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
    /** An answer read off the socket: Java's HTTP client will not send a made-up Host or Content-Length. */
    record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static Raw raw(String method, String path, String host, String key, String contentType, String body)
            throws IOException {
        return raw(method, path, host, key, contentType, body,
                body == null ? -1 : body.getBytes(StandardCharsets.UTF_8).length);
    }

    private static Raw raw(String method, String path, String host, String key, String contentType, String body,
            long contentLength) throws IOException {
        try (Socket socket = new Socket("localhost", 8081)) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n");
            if (key != null) {
                head.append("Authorization: Bearer ").append(key).append("\r\n");
            }
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (contentLength >= 0) {
                head.append("Content-Length: ").append(contentLength).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    private static Raw parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        String rest = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            StringBuilder decoded = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = rest.indexOf("\r\n", at);
                int size = Integer.parseInt(rest.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                decoded.append(rest, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            rest = decoded.toString();
        }
        return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers,
                new String(rest.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
}
