package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.EmbeddedDatabase;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * How long the operator's Companies section takes to read (not a test: its name keeps it out of surefire's default
 * run; run it with {@code -Dtest=OperatorCompaniesBenchmark}). A database of its own, migrated, then filled in bulk:
 * {@code operator.tenants} companies (default 1,000) on the Team plan with {@code operator.events} usage events each
 * this month (default 100) over 5 projects and 3 resources, 10 runs and 5 members each; then
 * {@code operator_companies(now())} as the application role, as the page asks it every 3 s. docs/deploy.md.
 */
class OperatorCompaniesBenchmark {

    static final int TENANTS = Integer.getInteger("operator.tenants", 1_000);
    static final int EVENTS = Integer.getInteger("operator.events", 100);

    @Test
    void operator_companies_over_many_companies() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("runway-operator-pg"), true,
                true)) {
            Flyway.configure()
                    .dataSource(db.jdbcUrl(), EmbeddedDatabase.MIGRATOR_ROLE, EmbeddedDatabase.MIGRATOR_ROLE)
                    .initSql("SET ROLE " + EmbeddedDatabase.OWNER_ROLE)
                    .placeholders(Map.of("app_role", EmbeddedDatabase.APP_ROLE))
                    .locations("filesystem:db/migration").load().migrate();
            try (Connection c = db.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
                // The figures need the rows, not their neighbours: skip the foreign keys (projects, users, datasets).
                s.execute("set session_replication_role = replica");
                s.execute("insert into tenant (id, name, slug, created_at) select t, 'Company ' || t, 'c' || t, "
                        + "now() from generate_series(1, " + TENANTS + ") t");
                s.execute("insert into tenant_plan (tenant_id, plan, effective_from, created_at) select t, 'TEAM', "
                        + "date_trunc('month', now()) - interval '1 month', now() from generate_series(1, " + TENANTS
                        + ") t");
                s.execute("insert into usage_event (tenant_id, idempotency_key, resource, quantity, project_id, "
                        + "window_start, window_end, recorded_at) select t, 'k' || e, "
                        + "(array['GPU', 'CPU', 'STORAGE'])[1 + e % 3], 100 + e % 900, t * 10 + e % 5, now() - "
                        + "interval '1 hour', now(), now() from generate_series(1, " + TENANTS + ") t, "
                        + "generate_series(1, " + EVENTS + ") e");
                s.execute("insert into run (tenant_id, project_id, dataset_version_id, kind, template, "
                        + "hyperparameters, requested_device, priority, status, started_by, created_at) select t, "
                        + "t * 10, 1, 'TRAIN', 'MLP', '{}', 'cpu', 0, (array['RUNNING', 'QUEUED', 'SUCCEEDED'])"
                        + "[1 + r % 3], 1, now() from generate_series(1, " + TENANTS + ") t, generate_series(1, 10) r");
                s.execute("insert into membership (tenant_id, user_id, role, created_at) select t, u, 'VIEWER', now() "
                        + "from generate_series(1, " + TENANTS + ") t, generate_series(1, 5) u");
                s.execute("analyze");
            }
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.APP_ROLE,
                    EmbeddedDatabase.APP_ROLE); Statement s = c.createStatement()) {
                long[] millis = new long[7];
                int rows = 0;
                for (int i = 0; i < millis.length; i++) {
                    long start = System.nanoTime();
                    rows = 0;
                    try (ResultSet r = s.executeQuery("select * from operator_companies(now())")) {
                        while (r.next()) {
                            rows++;
                        }
                    }
                    millis[i] = (System.nanoTime() - start) / 1_000_000;
                }
                assertThat(rows).isEqualTo(TENANTS);
                long[] warm = Arrays.copyOfRange(millis, 2, millis.length);
                Arrays.sort(warm);
                System.out.printf("operator_companies: %d companies, %d usage events: %s ms per call (median of "
                        + "the last %d: %d ms)%n", TENANTS, (long) TENANTS * EVENTS, Arrays.toString(millis),
                        warm.length, warm[warm.length / 2]);
            }
        }
    }
}
