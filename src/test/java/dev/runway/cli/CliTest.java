package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.api.ApiKeyService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.PacedRunWork;
import dev.runway.training.PacedWorkProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The `runway` command-line client run in-process (picocli's {@code execute}) against the console this test starts:
 * from an API key alone to a followed run, a promoted model and the month's usage, with and without --json; the
 * exit code of a run that does not succeed; and every call the client makes checked against the OpenAPI document.
 */
@QuarkusTest
@TestProfile(PacedWorkProfile.class)
class CliTest {

    private static final String BASE = "http://localhost:8081";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TenancyFixture tenancy;

    @Inject
    ApiKeyService keys;

    @Inject
    PacedRunWork paced;

    @TempDir
    Path home;

    /** What one run of the command did: its exit code, standard output and standard error. */
    record Ran(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + out + err, e);
            }
        }
    }

    @Test
    void login_checks_the_key_and_keeps_it_in_a_file_only_its_owner_reads() throws IOException {
        TenancyFixture.Company company = tenancy.company();
        String key = key(company.owner(), Role.VIEWER);
        Path config = home.resolve("runway").resolve("config.properties");

        Ran refused = runway(config, "login", "--server", BASE, "--key", "rw_000000000000_not-a-key");
        assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
        assertThat(refused.err()).startsWith("runway: ").contains("[401]");
        assertThat(config).doesNotExist();

        Ran login = runway(config, "login", "--server", BASE, "--key", key);
        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(login.out()).contains("Logged in to " + BASE).contains(key.substring(0, 15))
                .doesNotContain(key.substring(16));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(config)).contains("key=" + key).contains("server=" + BASE.replace(":", "\\:"));

        // Logging in again replaces the file, still private; a Viewer key reads projects.
        Ran again = runway(config, "login", "--key", key, "--json");
        assertThat(again.json().get("server").asText()).isEqualTo(BASE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(runway(config, "projects", "--json").json().isArray()).isTrue();
        Ran forbidden = runway(config, "projects", "create", "Not for viewers");
        assertThat(forbidden.exit()).isEqualTo(1);
        assertThat(forbidden.err()).contains("[403]");
    }

    @Test
    void the_cli_alone_goes_from_a_key_to_a_followed_run_a_promoted_model_and_the_months_usage() {
        TenancyFixture.Company company = tenancy.company();
        Path config = home.resolve("config.properties");
        String key = key(company.owner(), Role.OWNER);
        assertThat(runway(config, "login", "--server", BASE, "--key", key).exit()).isZero();
        String name = "Flowers " + TenancyFixture.unique();

        Ran created = runway(config, "projects", "create", name, "--description", "iris", "--tag", "tabular,q3",
                "--json");
        assertThat(created.exit()).as(created.err()).isZero();
        long project = created.json().get("id").asLong();
        assertThat(created.json().get("tags").toString()).isEqualTo("[\"tabular\",\"q3\"]");
        assertThat(runway(config, "projects").out()).contains(name).contains("tabular, q3");
        assertThat(runway(config, "projects", "--json").json().findValuesAsText("id"))
                .containsExactly(Long.toString(project));

        Ran uploaded = runway(config, "upload", Path.of("samples", "iris.csv").toString(), "--dataset", "iris",
                "--project", name);
        assertThat(uploaded.exit()).as(uploaded.err()).isZero();
        // By tus where this console offers it (docs/api.md), else one plain POST.
        boolean tus = http("OPTIONS", "/api/v1/uploads", key).headers().firstValue("Tus-Version").isPresent();
        assertThat(uploaded.out()).contains("Uploaded iris.csv" + (tus ? " (resumable)" : "") + " as version 1 of "
                + "dataset “iris”").contains("150 rows");
        // The same bytes again keep version 1 (nothing is sent) unless --force asks for a new version.
        Ran same = runway(config, "upload", Path.of("samples", "iris.csv").toString(), "-d", "iris", "-p", name);
        assertThat(same.exit()).as(same.err()).isZero();
        assertThat(same.out()).contains("iris.csv is identical to version 1 of dataset “iris”")
                .contains("Use --force");
        Ran second = runway(config, "upload", Path.of("samples", "iris.csv").toString(), "-d", "iris", "-p",
                Long.toString(project), "--force", "--json");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.json().get("version").asInt()).isEqualTo(2);
        long version = second.json().get("id").asLong();

        Ran badTarget = runway(config, "prepare", Long.toString(version), "--target", "colour", "--task",
                "classification");
        assertThat(badTarget.exit()).isEqualTo(1);
        assertThat(badTarget.err()).contains("(target)").contains("[400]");
        Ran prepared = runway(config, "prepare", Long.toString(version), "--target", "species", "--task",
                "classification", "--json");
        assertThat(prepared.exit()).as(prepared.err()).isZero();
        assertThat(prepared.json().get("features").toString())
                .isEqualTo("[\"sepal_length\",\"sepal_width\",\"petal_length\",\"petal_width\"]");
        assertThat(prepared.json().get("trainRatio").asDouble()).isEqualTo(0.7);

        Ran followed = runway(config, "run", "--dataset-version", Long.toString(version), "--template", "mlp",
                "--set", "epochs=3", "--set", "hiddenLayers=[16]", "--set", "optimizer=adam", "--follow",
                "--interval", "0.1");
        assertThat(followed.exit()).as(followed.err()).isZero();
        assertThat(followed.err()).contains("epoch 3/3").contains("loss 0.3333  val 0.3667").contains("100%");
        assertThat(followed.out()).startsWith("Run ").contains(" SUCCEEDED: model version ");

        Ran models = runway(config, "models", "--project", Long.toString(project), "--json");
        assertThat(models.json()).hasSize(1);
        long model = models.json().get(0).get("id").asLong();
        assertThat(models.json().get(0).get("stage").asText()).isEqualTo("NONE");
        assertThat(runway(config, "models", "-p", name).out()).contains("v1").contains("NONE").contains("MLP");

        Ran promoted = runway(config, "promote", Long.toString(model), "-m", "Good on the test split");
        assertThat(promoted.exit()).as(promoted.err()).isZero();
        assertThat(promoted.out()).contains("is now STAGING");
        Ran production = runway(config, "promote", Long.toString(model), "-m", "Ship it", "--json");
        assertThat(production.exit()).as(production.err()).isZero();
        assertThat(production.json().get("stage").asText()).isEqualTo("PRODUCTION");

        Ran usage = runway(config, "usage", "--json");
        assertThat(usage.exit()).as(usage.err()).isZero();
        assertThat(usage.json().get("month").asText()).matches("\\d{4}-\\d{2}");
        assertThat(runway(config, "usage").out()).contains("plan ");
        Ran badMonth = runway(config, "usage", "--month", "November");
        assertThat(badMonth.exit()).isEqualTo(1);
        assertThat(badMonth.err()).contains("(month)");
    }

    @Test
    void following_a_run_that_does_not_succeed_exits_with_3() throws Exception {
        TenancyFixture.Company company = tenancy.company();
        Path config = home.resolve("config.properties");
        String key = key(company.owner(), Role.OWNER);
        assertThat(runway(config, "login", "--server", BASE, "--key", key).exit()).isZero();
        long project = runway(config, "projects", "create", "Held " + TenancyFixture.unique(), "--json").json()
                .get("id").asLong();
        long version = runway(config, "upload", Path.of("samples", "iris.csv").toString(), "-d", "iris", "-p",
                Long.toString(project), "--json").json().get("id").asLong();
        assertThat(runway(config, "prepare", Long.toString(version), "--target", "species", "--task",
                "CLASSIFICATION").exit()).isZero();

        CountDownLatch hold = paced.hold(company.owner().tenantId());
        try {
            CompletableFuture<Ran> following = CompletableFuture.supplyAsync(() -> runway(config, "run",
                    "--dataset-version", Long.toString(version), "-t", "MLP", "--set", "epochs=3", "-f",
                    "--interval", "0.1"));
            long run = await().atMost(Duration.ofSeconds(20)).until(() -> firstRun(key, project), id -> id > 0);
            assertThat(http("POST", "/api/v1/runs/" + run + "/cancel", key).statusCode()).isEqualTo(200);
            hold.countDown();
            Ran ended = following.get(30, TimeUnit.SECONDS);
            assertThat(ended.exit()).as(ended.out() + ended.err()).isEqualTo(3);
            assertThat(ended.err()).contains("runway: Run " + run + " ended CANCELLED");
        } finally {
            hold.countDown();
        }
    }

    @Test
    void every_path_and_method_the_cli_calls_is_in_the_openapi_document() throws IOException {
        JsonNode paths = JSON.readTree(http("GET", "/q/openapi?format=json", null).body()).get("paths");
        List<String> missing = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            if (endpoint.inOpenApi() && !paths.path(endpoint.path()).has(endpoint.method().toLowerCase(Locale.ROOT))) {
                missing.add(endpoint.method() + " " + endpoint.path());
            }
        }
        assertThat(missing).as("calls of the CLI that the OpenAPI document lacks").isEmpty();
        assertThat(Arrays.stream(Endpoint.values()).filter(Endpoint::inOpenApi)).hasSizeGreaterThan(10);
    }

    @Test
    void without_a_login_the_cli_says_how_to_log_in() {
        Ran ran = runway(home.resolve("none.properties"), "models", "-p", "1");
        assertThat(ran.exit()).isEqualTo(1);
        assertThat(ran.err()).contains("runway login --server URL");
    }

    // ---- helpers ----

    /** Runs `runway ARGS --config CONFIG` in this JVM. */
    static Ran runway(Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = Runway.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        String[] withConfig = Arrays.copyOf(args, args.length + 2);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        int exit = line.execute(withConfig);
        return new Ran(exit, out.toString(), err.toString());
    }

    static String key(ApiKeyService keys, Actor actor, Role role) {
        return TenantContext.runAs(actor, () -> keys.create("cli " + TenancyFixture.unique(), role, null)).key();
    }

    private String key(Actor actor, Role role) {
        return key(keys, actor, role);
    }

    private static long firstRun(String key, long project) throws IOException {
        JsonNode runs = JSON.readTree(http("GET", "/api/v1/projects/" + project + "/runs", key).body());
        JsonNode items = runs.isArray() ? runs : runs.path("items");
        return items.size() == 0 ? 0 : items.get(0).get("id").asLong();
    }

    private static HttpResponse<String> http(String method, String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
