package dev.runway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Starts Runway. When no database URL is configured it first starts an embedded PostgreSQL whose data lives under
 * {@code ./data} (kept across restarts) and stops it cleanly after the application has stopped.
 */
@QuarkusMain
public final class RunwayMain {

    private static final Logger LOG = Logger.getLogger(RunwayMain.class);

    /** Set while the embedded database runs; dev mode calls main again, in a new class loader, on live reload. */
    private static final String EMBEDDED_URL = "runway.embedded.jdbc-url";

    private RunwayMain() {}

    public static void main(String... args) throws Exception {
        if (externalDatabaseConfigured() || System.getProperty(EMBEDDED_URL) != null) {
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(System.getProperty("runway.data.dir", "data"), "postgres").toAbsolutePath();
        LOG.infof("No database configured: starting an embedded PostgreSQL with its data in %s", dataDir);
        EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, false);
        database.quarkusSettings().forEach(System::setProperty);
        System.setProperty(EMBEDDED_URL, database.jdbcUrl());
        // Stopped when the JVM ends, once this first run of the application has returned: in a packaged run that is
        // after Quarkus has stopped; dev mode's live reloads run main again and keep the database.
        Thread application = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(application, database), "embedded-postgres-stop"));
        Quarkus.run(args);
    }

    private static void stop(Thread application, EmbeddedDatabase database) {
        try {
            application.join(30_000);
            database.close();
            LOG.info("Embedded PostgreSQL stopped");
        } catch (Exception e) {
            LOG.warn("Could not stop the embedded PostgreSQL cleanly", e);
        }
    }

    private static boolean externalDatabaseConfigured() {
        String env = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        String property = System.getProperty("quarkus.datasource.jdbc.url");
        return (env != null && !env.isBlank()) || (property != null && !property.isBlank());
    }
}
