package dev.runway.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.training.Drain;
import dev.runway.training.Run;
import dev.runway.training.RunFixture;
import dev.runway.training.RunScheduler;
import dev.runway.training.RunService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The management interface (port 9001 in tests): probes, readiness while draining, and Prometheus metrics. */
@QuarkusTest
class HealthAndMetricsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MANAGEMENT = "http://localhost:9001";
    private static final String CONSOLE = "http://localhost:8081";

    @Inject
    Drain drain;

    @Inject
    RunScheduler scheduler;

    @Inject
    RunService runs;

    @Inject
    RunFixture fixture;

    @Inject
    javax.sql.DataSource dataSource;

    @Test
    void live_ready_and_started_answer_up_without_secrets() throws Exception {
        for (String probe : new String[] {"live", "ready", "started"}) {
            HttpResponse<String> answer = get(MANAGEMENT + "/q/health/" + probe);
            assertThat(answer.statusCode()).as(probe).isEqualTo(200);
            assertThat(answer.body()).as(probe).contains("\"status\": \"UP\"")
                    .doesNotContainIgnoringCase("jdbc:").doesNotContainIgnoringCase("password")
                    .doesNotContain("runway_app").doesNotContain("runway_migrator");
        }
        assertThat(get(MANAGEMENT + "/q/health/ready").body())
                .contains("Database connections health check", "Database migrations", "Run executor", "Drain")
                .contains("\"pending\": 0").contains("\"state\": \"running\"");
    }

    @Test
    void readiness_goes_down_while_draining_and_up_again_when_the_drain_is_cancelled() throws Exception {
        try {
            drain.start();
            HttpResponse<String> draining = get(MANAGEMENT + "/q/health/ready");
            assertThat(draining.statusCode()).isEqualTo(503);
            assertThat(draining.body()).contains("\"status\": \"DOWN\"").contains("\"draining\": true");
            assertThat(get(MANAGEMENT + "/q/health/live").statusCode()).as("a draining node is alive").isEqualTo(200);
        } finally {
            drain.cancel();
        }
        assertThat(get(MANAGEMENT + "/q/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void health_and_metrics_are_not_served_on_the_consoles_port_but_the_openapi_document_is() throws Exception {
        assertThat(get(CONSOLE + "/q/health/ready").statusCode()).isEqualTo(404);
        assertThat(get(CONSOLE + "/q/metrics").statusCode()).isEqualTo(404);
        assertThat(get(CONSOLE + "/q/openapi").statusCode()).isEqualTo(200);
    }

    @Test
    void a_queued_then_finished_run_moves_the_metrics_which_name_no_tenant() throws Exception {
        get(CONSOLE + "/login");
        String before = metrics();
        assertThat(before).contains("runway_executor_slots{node=\"" + scheduler.nodeName() + "\",state=\"total\"} "
                + (double) scheduler.slots()).contains("runway_executor_slots{node=\"" + scheduler.nodeName()
                + "\",state=\"busy\"}").contains("runway_vaadin_sessions_active ")
                .contains("http_server_requests_seconds_count").contains("jvm_memory_used_bytes")
                .containsPattern("http_server_requests_seconds_bucket\\{[^}]*le=\"0\\.25\"");
        double durations = value(before, "runway_run_duration_seconds_count{status=\"succeeded\"}");
        double latencies = value(before, "runway_run_queue_latency_seconds_count");
        double usage = value(before, "runway_usage_events_posted_total");

        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        scheduler.pause();
        long id;
        try {
            id = TenantContext.runAs(owner, () -> runs.submit(new RunService.Submission(setup.versionId(),
                    RunFixture.mlp(1), "cpu", 50)).getId());
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> value(metrics(), "runway_runs_queued{pool=\"cpu\"}") >= 1);
        } finally {
            scheduler.resume();
        }
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                TenantContext.runAs(owner, () -> runs.get(id)).getStatus() == Run.Status.SUCCEEDED);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            String after = metrics();
            assertThat(value(after, "runway_run_duration_seconds_count{status=\"succeeded\"}"))
                    .isEqualTo(durations + 1);
            assertThat(value(after, "runway_run_queue_latency_seconds_count")).isEqualTo(latencies + 1);
            assertThat(value(after, "runway_usage_events_posted_total")).isGreaterThan(usage);
            assertThat(after).contains("runway_run_duration_seconds_bucket{status=\"succeeded\",le=");
            assertThat(after).contains("runway_runs_running{pool=\"cpu\"}");
            String tenant = Long.toString(owner.tenantId());
            assertThat(after).doesNotContain("tenant").doesNotContain(setup.company().slug());
            Matcher label = Pattern.compile("=\"([^\"]*)\"").matcher(after);
            while (label.find()) {
                assertThat(label.group(1)).as("a label value").isNotEqualTo(tenant);
            }
        });
    }

    @Test
    void each_pool_in_the_queue_gets_its_own_gauges_and_a_cancelled_run_leaves_its_pools_queue() throws Exception {
        RunFixture.Setup setup = fixture.iris();
        Actor owner = setup.company().owner();
        // No node serves this pool: the run waits in it until it is cancelled.
        long id = TenantContext.runAs(owner, () -> runs.submit(new RunService.Submission(setup.versionId(),
                RunFixture.mlp(1), "cpu", 50, "metrics-test")).getId());
        try {
            assertThat(TenantContext.runAs(owner, () -> runs.get(id)).getPool()).isEqualTo("metrics-test");
            assertThat(queuedExecutions("metrics-test")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                String now = metrics();
                assertThat(value(now, "runway_runs_queued{pool=\"metrics-test\"}")).isEqualTo(1);
                assertThat(now).contains("runway_runs_running{pool=\"metrics-test\"} 0.0")
                        .contains("runway_runs_queued{pool=\"cpu\"}");
            });
        } finally {
            TenantContext.runAs(owner, () -> runs.cancel(id));
        }
        assertThat(queuedExecutions("metrics-test")).as("cancel removes the run's execution, task run:metrics-test")
                .isZero();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(metrics()).contains("runway_runs_queued{pool=\"metrics-test\"} 0.0"));
    }

    private long queuedExecutions(String pool) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement(
                "select count(*) from scheduled_tasks where task_name = ? and not picked")) {
            s.setString(1, "run:" + pool);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String metrics() throws Exception {
        HttpResponse<String> answer = get(MANAGEMENT + "/q/metrics");
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** The sample's value, or 0 when the series is not there yet (a timer appears with its first recording). */
    private static double value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return 0;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
