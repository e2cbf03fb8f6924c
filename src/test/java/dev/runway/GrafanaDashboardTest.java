package dev.runway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/runway-dashboard.json: valid JSON that Grafana imports, and every metric its queries name is one a
 * Runway node exports on /q/metrics, so that no panel stays empty because of a misspelt or imagined name.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("deploy/grafana/runway-dashboard.json");

    /**
     * What Quarkus' Micrometer extension exports besides Runway's own meters, as read on /q/metrics of a console in the
     * local overlay (docs/deploy.md, "Dashboard"); http.server.requests has buckets (monitoring/HttpLatencyBuckets).
     */
    private static final Set<String> QUARKUS_METRICS = Set.of("http_server_requests_seconds_bucket", "http_server_requests_seconds_count",
            "http_server_requests_seconds_sum", "http_server_requests_seconds_max", "jvm_memory_used_bytes",
            "jvm_memory_max_bytes");

    /** A metric in a query is written as a name directly followed by its label selector: name{...}. */
    private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    @Test
    void the_dashboard_is_valid_json_with_a_query_in_every_panel_and_unique_panel_ids() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("title").asText()).isEqualTo("Runway");
        assertThat(dashboard.path("uid").asText()).isNotEmpty();
        List<Integer> ids = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            ids.add(panel.path("id").asInt());
            assertThat(panel.path("title").asText()).isNotEmpty();
            assertThat(panel.path("targets")).as("queries of %s", panel.path("title")).isNotEmpty()
                    .allSatisfy(target -> assertThat(target.path("expr").asText()).isNotBlank());
        }
        assertThat(ids).hasSizeGreaterThanOrEqualTo(8).doesNotHaveDuplicates();
    }

    @Test
    void every_metric_the_dashboard_asks_for_is_one_runway_exports() throws IOException {
        Set<String> runwayMeters = runwayMeterNames();
        Set<String> asked = new TreeSet<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher matcher = METRIC.matcher(target.path("expr").asText());
                while (matcher.find()) {
                    asked.add(matcher.group(1));
                }
            }
        }

        // The metrics named in the issue: queue and running by pool, slots, both histograms, usage, HTTP, sessions, heap.
        assertThat(asked).contains("runway_runs_queued", "runway_runs_running", "runway_executor_slots",
                "runway_run_duration_seconds_bucket", "runway_run_queue_latency_seconds_bucket",
                "runway_usage_events_posted_total", "runway_vaadin_sessions_active", "jvm_memory_used_bytes");
        for (String metric : asked) {
            if (metric.startsWith("runway_")) {
                assertThat(runwayMeters).as("%s is exported by a meter of src/main/java", metric)
                        .contains(meterName(metric));
            } else {
                assertThat(QUARKUS_METRICS).as("%s is exported by Quarkus", metric).contains(metric);
            }
        }
    }

    /** Prometheus name back to Micrometer's: the unit and series suffixes off, '_' to '.'. */
    private static String meterName(String metric) {
        return metric.replaceAll("_(bucket|count|sum|max)$", "").replaceAll("_(seconds|total)$", "")
                .replace('_', '.');
    }

    /** Names given to Micrometer's builders (Gauge, Timer, Counter, ...) in src/main/java. */
    private static Set<String> runwayMeterNames() throws IOException {
        Pattern builder = Pattern.compile("\\.builder\\(\"(runway\\.[a-z0-9.]+)\"");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher matcher = builder.matcher(Files.readString(source, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        assertThat(names).isNotEmpty();
        return names;
    }
}
