package dev.runway;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A real PostgreSQL started in-process for a newcomer's first run and for tests. It creates the three roles the
 * schema expects (an owner, a migrator acting as the owner, and the application role that only has grants, so
 * row-level security applies to it) and the {@code runway} database.
 */
public final class EmbeddedDatabase implements Closeable {

    public static final String DATABASE = "runway";
    public static final String OWNER_ROLE = "runway_owner";
    public static final String MIGRATOR_ROLE = "runway_migrator";
    public static final String APP_ROLE = "runway_app";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL with its data in {@code dataDir}, kept across restarts unless {@code clean}. With
     * {@code stopOnJvmExit} it also stops by a shutdown hook of its own (tests); the application stops it itself, after
     * it has stopped, rather than in parallel.
     */
    public static EmbeddedDatabase start(Path dataDir, boolean clean, boolean stopOnJvmExit) throws IOException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(clean)
                .setServerConfig("max_connections", "100")
                .setRegisterShutdownHook(stopOnJvmExit)
                .start();
        EmbeddedDatabase database = new EmbeddedDatabase(postgres);
        database.bootstrap();
        return database;
    }

    private void bootstrap() throws IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            createRoleIfMissing(s, OWNER_ROLE, "nologin");
            createRoleIfMissing(s, MIGRATOR_ROLE, "login password '" + MIGRATOR_ROLE + "' in role " + OWNER_ROLE);
            createRoleIfMissing(s, APP_ROLE, "login password '" + APP_ROLE + "' nosuperuser nobypassrls");
            var exists = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'");
            if (!exists.next()) {
                s.execute("create database " + DATABASE + " owner " + OWNER_ROLE);
            }
        } catch (SQLException e) {
            throw new IOException("Could not prepare the embedded database: " + e.getMessage(), e);
        }
        try (Connection c = postgres.getDatabase("postgres", DATABASE).getConnection();
                Statement s = c.createStatement()) {
            s.execute("alter schema public owner to " + OWNER_ROLE);
            // PostgreSQL 14 lets PUBLIC create objects in public: the application role could then plant an operator
            // that the owner's SECURITY DEFINER functions would run. V9__database_hardening.sql revokes it too (as the
            // schema's owner); doing it here keeps this database like deploy/postgres-roles.sql from the start.
            s.execute("revoke create on schema public from public");
        } catch (SQLException e) {
            throw new IOException("Could not prepare the embedded database: " + e.getMessage(), e);
        }
    }

    private static void createRoleIfMissing(Statement s, String role, String options) throws SQLException {
        var exists = s.executeQuery("select 1 from pg_roles where rolname = '" + role + "'");
        if (!exists.next()) {
            s.execute("create role " + role + " " + options);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    /** The Quarkus settings that point the application at this database. */
    public Map<String, String> quarkusSettings() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", APP_ROLE,
                "quarkus.datasource.password", APP_ROLE,
                "quarkus.flyway.username", MIGRATOR_ROLE,
                "quarkus.flyway.password", MIGRATOR_ROLE);
    }

    /** A superuser data source, for tests that must look past row-level security. */
    public DataSource superuserDataSource() {
        return postgres.getDatabase("postgres", DATABASE);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
