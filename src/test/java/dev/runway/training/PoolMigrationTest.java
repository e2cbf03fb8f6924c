package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.EmbeddedDatabase;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * V19 on a database that already holds runs (a PostgreSQL of its own, migrated to V18 first): a queued GPU run moves
 * to pool gpu and its execution to task 'run:gpu', although run has FORCE row-level security and the migration runs as
 * the owner with no tenant set.
 */
class PoolMigrationTest {

    private static Flyway flyway(EmbeddedDatabase db, MigrationVersion target) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), EmbeddedDatabase.MIGRATOR_ROLE, EmbeddedDatabase.MIGRATOR_ROLE)
                .initSql("SET ROLE " + EmbeddedDatabase.OWNER_ROLE)
                .placeholders(Map.of("app_role", EmbeddedDatabase.APP_ROLE))
                .locations("filesystem:db/migration")
                .target(target)
                .load();
    }

    @Test
    void queued_gpu_runs_move_to_the_gpu_pool_and_their_executions_to_its_task() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("runway-v19-pg"), true, true)) {
            flyway(db, MigrationVersion.fromVersion("18")).migrate();
            try (Connection c = db.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
                // Projects and datasets are not needed to show the move: skip the foreign keys to them.
                s.execute("set session_replication_role = replica");
                s.execute("insert into tenant (id, name, slug, created_at) overriding system value values "
                        + "(7, 'T', 't', now())");
                int id = 1;
                for (String device : List.of("gpu", "cpu", "auto")) {
                    s.execute("insert into run (id, tenant_id, project_id, dataset_version_id, kind, template, "
                            + "hyperparameters, requested_device, priority, status, started_by, created_at) "
                            + "overriding system value values (" + id + ", 7, 1, 1, 'TRAIN', 'MLP', '{}', '"
                            + device + "', 0, 'QUEUED', 1, now())");
                    s.execute("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, "
                            + "version) values ('run', '7-" + id + "', now(), false, 1)");
                    id++;
                }
            }

            flyway(db, MigrationVersion.fromVersion("19")).migrate();

            try (Connection c = db.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery("select r.requested_device, r.pool, st.task_name from run r "
                        + "join scheduled_tasks st on st.task_instance = r.tenant_id || '-' || r.id order by r.id")) {
                    while (r.next()) {
                        rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
                    }
                }
                assertThat(rows).containsExactly("gpu gpu run:gpu", "cpu cpu run:cpu", "auto cpu run:cpu");
                try (ResultSet r = s.executeQuery(
                        "select relforcerowsecurity from pg_class where oid = 'public.run'::regclass")) {
                    r.next();
                    assertThat(r.getBoolean(1)).as("run forces row-level security again").isTrue();
                }
            }
        }
    }
}
