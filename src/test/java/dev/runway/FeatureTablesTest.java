package dev.runway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each feature's tables are written by that feature alone, and read by it alone except where listed below: the SQL in
 * a feature's sources (string literals and text blocks) must not name another feature's table. ArchUnit sees types,
 * not SQL strings, so this reads the sources. The owner of every table the migrations create must be known here.
 */
class FeatureTablesTest {

    /** Which feature owns each table (the package under dev.runway that writes it). */
    static final Map<String, String> OWNERS = owners(
            List.of("tenancy", "tenant", "app_user", "login_failure", "membership", "invitation", "audit_event",
                    "auth_throttle", "sign_up_request", "user_two_factor", "recovery_code"),
            List.of("project", "project"),
            List.of("budget", "budget_settings", "funding_source", "planned_spend", "actual_spend", "compute_budget",
                    "budget_alert"),
            List.of("dataset", "dataset", "dataset_version", "preparation_revision"),
            List.of("training", "scheduled_tasks", "run_schedule", "run", "run_metric", "run_log", "tenant_queue_state",
                    "executor_node"),
            List.of("model", "model_version", "model_comment", "model_alias", "model_promotion_rule",
                    "model_stage_request", "model_stage_approval", "model_lifecycle_event"),
            List.of("billing", "price_list", "tenant_plan", "usage_event", "credit", "invoice", "invoice_line",
                    "credit_application"),
            List.of("api", "api_key", "idempotency_key", "resumable_upload"),
            List.of("collaboration", "comment", "comment_mention", "activity", "notification", "notification_setting",
                    "project_follower"),
            List.of("webhook", "webhook_endpoint", "webhook_delivery", "webhook_attempt", "webhook_tasks"),
            List.of("sweep", "sweep", "sweep_trial"));

    /**
     * Reads across features that remain, each with its reason ("file: table"). Writes are never listed: no feature
     * writes another's table.
     */
    static final Set<String> KNOWN_READS = Set.of(
            // The activity outbox fans a happening out to followers and members in one statement, in the
            // transaction that made it (docs/collaboration.md); the feed and the mails name members and projects.
            "collaboration/ActivityRecorder.java: membership", "collaboration/ActivityRecorder.java: project",
            "collaboration/ActivityService.java: app_user", "collaboration/ActivityService.java: project",
            "collaboration/ActivityMail.java: app_user",
            // Webhooks tell the owners and admins when an endpoint is disabled.
            "webhook/WebhookDeliverer.java: membership",
            // Metrics of the queue for every pool: db-scheduler's table, read-only.
            "monitoring/QueueGauges.java: scheduled_tasks",
            // A sweep's rung compares its trials' metrics at one epoch in one query.
            "sweep/SweepService.java: run_metric",
            // The hourly billing job walks every company, before any tenant is set.
            "billing/BillingJobs.java: tenant",
            // So does the hourly removal of abandoned resumable uploads.
            "api/ResumableUploads.java: tenant");

    private static final Pattern STRING = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"",
            Pattern.DOTALL);
    private static final Pattern WRITE = Pattern.compile(
            "\\b(?:insert\\s+into|delete\\s+from|update|merge\\s+into|truncate(?:\\s+table)?)\\s+(?:public\\.)?(\\w+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern READ = Pattern.compile("\\b(?:from|join)\\s+(?:public\\.)?(\\w+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?(?:public\\.)?(\\w+)", Pattern.CASE_INSENSITIVE);

    private static final Path SOURCES = Path.of("src/main/java/dev/runway");

    @Test
    void every_table_the_migrations_create_has_an_owner() throws IOException {
        Set<String> created = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("db/migration"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher m = CREATE_TABLE.matcher(Files.readString(file));
                while (m.find()) {
                    created.add(m.group(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        assertThat(OWNERS.keySet()).containsAll(created);
    }

    @Test
    void no_feature_writes_another_features_table() throws IOException {
        assertThat(crossings(WRITE)).isEmpty();
    }

    @Test
    void a_feature_reads_another_features_table_only_where_listed() throws IOException {
        assertThat(crossings(READ)).as("reads to move behind the owning feature's service or a port")
                .isSubsetOf(KNOWN_READS);
    }

    @Test
    void the_check_sees_a_write_across_features() {
        assertThat(crossings("billing/PlanService.java", "em.createNativeQuery(\"\"\"\n"
                + "    insert into tenant_queue_state (tenant_id, concurrency_quota) values (:t, :q)\"\"\")",
                WRITE)).containsExactly("billing/PlanService.java: tenant_queue_state");
        assertThat(crossings("training/RunService.java", "\"select 1 from run r join dataset_version v on "
                + "v.id = r.dataset_version_id\"", READ)).containsExactly("training/RunService.java: dataset_version");
        assertThat(crossings("training/RunExecutor.java", "\"update tenant_queue_state set running = 0\"", WRITE))
                .as("a feature's own table").isEmpty();
    }

    private static List<String> crossings(Pattern statement) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = SOURCES.relativize(file).toString().replace('\\', '/');
                found.addAll(crossings(relative, Files.readString(file), statement));
            }
        }
        return found;
    }

    /** "feature/File.java: table" for each table of another feature that {@code source}'s strings name. */
    private static List<String> crossings(String relative, String source, Pattern statement) {
        if (!relative.contains("/")) {
            return List.of();   // the launcher (embedded database, main) belongs to no feature
        }
        String feature = relative.substring(0, relative.indexOf('/'));
        List<String> found = new ArrayList<>();
        Matcher literal = STRING.matcher(source);
        while (literal.find()) {
            String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
            Matcher m = statement.matcher(text);
            while (m.find()) {
                String owner = OWNERS.get(m.group(1).toLowerCase(Locale.ROOT));
                String crossing = relative + ": " + m.group(1).toLowerCase(Locale.ROOT);
                if (owner != null && !owner.equals(feature) && !found.contains(crossing)) {
                    found.add(crossing);
                }
            }
        }
        return found;
    }

    /** Each list: the feature first, then its tables. */
    @SafeVarargs
    private static Map<String, String> owners(List<String>... features) {
        Map<String, String> owners = new HashMap<>();
        for (List<String> feature : features) {
            feature.subList(1, feature.size()).forEach(table -> owners.put(table, feature.get(0)));
        }
        return Map.copyOf(owners);
    }
}
