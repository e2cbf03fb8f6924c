package dev.runway.api;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Hourly, on every web node: removes resumable uploads abandoned for a day ({@link ResumableUploads#removeAbandoned}).
 * Idempotent, so nodes that run it at once change nothing twice; worker nodes serve no uploads and skip it.
 */
@ApplicationScoped
class AbandonedUploadsJob {

    private static final Logger LOG = Logger.getLogger(AbandonedUploadsJob.class);

    @Inject
    ResumableUploads uploads;

    @ConfigProperty(name = "runway.node.role", defaultValue = "web")
    String nodeRole;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event) {
        if ("worker".equalsIgnoreCase(nodeRole)) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runway-uploads-cleanup");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::runSafely, 5, 60, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void runSafely() {
        try {
            uploads.removeAbandoned();
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "Removing abandoned uploads failed; it runs again in an hour");
        }
    }
}
