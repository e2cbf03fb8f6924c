package dev.runway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.ConfigProvider;
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
    private static final String DRAIN_TIMEOUT = "runway.executor.drain-timeout";
    /** RunScheduler's default for {@link #DRAIN_TIMEOUT}. */
    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);
    /** Past the drain: the scheduler's own stop, the hand-over's writes, the rest of Quarkus's shutdown. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(30);

    private RunwayMain() {}

    public static void main(String... args) throws Exception {
        if (externalDatabaseConfigured() || System.getProperty(EMBEDDED_URL) != null || generatingAppCds()) {
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(System.getProperty("runway.data.dir", "data"), "postgres").toAbsolutePath();
        LOG.infof("No database configured: starting an embedded PostgreSQL with its data in %s", dataDir);
        EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, false, false);
        database.quarkusSettings().forEach(System::setProperty);
        System.setProperty(EMBEDDED_URL, database.jdbcUrl());
        // Stopped when the JVM ends, once the application has stopped (Quarkus hands its exit code over then); dev
        // mode's live reloads run main again and keep the database. Quarkus's own handler would call System.exit
        // from main, which blocks for good while the JVM is already shutting down (Ctrl+C, SIGTERM).
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean jvmStopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            jvmStopping.set(true);
            stop(stopped, database, stopWait());
        }, "embedded-postgres-stop"));
        Quarkus.run(null, (exitCode, failure) -> {
            stopped.countDown();
            if (!jvmStopping.get()) {
                System.exit(exitCode);
            }
        }, args);
    }

    private static void stop(CountDownLatch applicationStopped, EmbeddedDatabase database, Duration wait) {
        try {
            applicationStopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            database.close();
            LOG.info("Embedded PostgreSQL stopped");
        } catch (Exception e) {
            LOG.warn("Could not stop the embedded PostgreSQL cleanly", e);
        }
    }

    /**
     * How long the database waits for the application to stop: a drain lets running runs reach a checkpoint (up to the
     * drain timeout) and the executor's stop waits about as long again, and then the hand-overs write to the database.
     * Closing it earlier would lose those writes; the wait ends as soon as the application has stopped.
     */
    private static Duration stopWait() {
        return stopWait(drainTimeout());
    }

    static Duration stopWait(Duration drainTimeout) {
        return drainTimeout.multipliedBy(2).plus(STOP_MARGIN);
    }

    /** The configured drain timeout, read while the application is still stopping; its default if unreadable. */
    private static Duration drainTimeout() {
        try {
            return ConfigProvider.getConfig().getOptionalValue(DRAIN_TIMEOUT, Duration.class).orElse(DEFAULT_DRAIN);
        } catch (RuntimeException e) {
            LOG.debugf("Drain timeout unreadable at shutdown (%s): using %s", e, DEFAULT_DRAIN);
            return DEFAULT_DRAIN;
        }
    }

    /**
     * The build's AppCDS run (-Pproduction) starts the packaged jar only up to static initialisation, which needs no
     * database, and stops: starting the embedded one there would only slow the build and leave a data folder behind.
     */
    private static boolean generatingAppCds() {
        return Boolean.getBoolean("quarkus.appcds.generate");
    }

    private static boolean externalDatabaseConfigured() {
        String env = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        String property = System.getProperty("quarkus.datasource.jdbc.url");
        return (env != null && !env.isBlank()) || (property != null && !property.isBlank());
    }
}
