package dev.runway.collaboration;

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
 * V14 on a database that already holds model comments (a PostgreSQL of its own, migrated to V12 first): every
 * tenant's comments move to the comment table with their project, author and time, and model_comment is gone.
 */
class CommentMigrationTest {

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
    void model_comments_of_every_tenant_move_into_the_comment_table() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("runway-v14-pg"), true, true)) {
            flyway(db, MigrationVersion.fromVersion("12")).migrate();
            try (Connection c = db.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
                // Runs and dataset versions are not needed to show the move: skip the foreign keys to them.
                s.execute("set session_replication_role = replica");
                for (int t = 1; t <= 2; t++) {
                    s.execute("insert into tenant (id, name, slug, created_at) overriding system value values ("
                            + t + ", 'T" + t + "', 't" + t + "', now())");
                    s.execute("insert into app_user (id, email, display_name, password_hash, created_at) "
                            + "overriding system value values (" + t + ", 'u" + t + "@example.com', 'U" + t
                            + "', 'x', now())");
                    s.execute("insert into project (id, tenant_id, name, created_by, created_at, updated_at) "
                            + "overriding system value values (" + (10 + t) + ", " + t + ", 'P', " + t
                            + ", now(), now())");
                    s.execute("insert into model_version (id, tenant_id, project_id, version, run_id, "
                            + "dataset_version_id, template, metrics, artifact_dir, created_by, created_at) "
                            + "overriding system value values (" + (20 + t) + ", " + t + ", " + (10 + t)
                            + ", 3, 1, 1, 'MLP', '{}', 'm', " + t + ", now())");
                    s.execute("insert into model_comment (tenant_id, model_version_id, author_id, body, created_at) "
                            + "values (" + t + ", " + (20 + t) + ", " + t + ", 'Looks *good* " + t
                            + "', timestamptz '2026-11-0" + t + " 10:00Z')");
                }
            }

            flyway(db, MigrationVersion.LATEST).migrate();

            try (Connection c = db.superuserDataSource().getConnection(); Statement s = c.createStatement()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery("select tenant_id, project_id, subject_type, subject_id, "
                        + "author_id, body, created_at = ('2026-11-0' || tenant_id || ' 10:00Z')::timestamptz, "
                        + "edited_at is null from comment order by tenant_id")) {
                    while (r.next()) {
                        rows.add(r.getLong(1) + " " + r.getLong(2) + " " + r.getString(3) + " " + r.getLong(4) + " "
                                + r.getLong(5) + " " + r.getString(6) + " " + r.getBoolean(7) + " "
                                + r.getBoolean(8));
                    }
                }
                assertThat(rows).containsExactly("1 11 MODEL_VERSION 21 1 Looks *good* 1 true true",
                        "2 12 MODEL_VERSION 22 2 Looks *good* 2 true true");
                try (ResultSet r = s.executeQuery("select to_regclass('public.model_comment') is null")) {
                    r.next();
                    assertThat(r.getBoolean(1)).as("model_comment dropped").isTrue();
                }
            }
        }
    }
}
