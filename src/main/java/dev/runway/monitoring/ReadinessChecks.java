package dev.runway.monitoring;

import dev.runway.training.Drain;
import dev.runway.training.RunScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;

/**
 * What {@code /q/health/ready} checks besides the database connection (which the datasource extension checks itself):
 * every migration of this build applied, the executor running where this node executes runs, and not draining. The
 * answers carry versions and states only: no address, user or password.
 */
@ApplicationScoped
public class ReadinessChecks {

    @Inject
    Flyway flyway;

    @Inject
    RunScheduler scheduler;

    @Inject
    Drain drain;

    /**
     * The migrations' answer once every migration was applied: applied migrations stay applied, and Flyway's info reads
     * the history table over a connection of its own (≈25 ms and a log line per probe), so it is asked until then only.
     */
    private volatile HealthCheckResponse migrated;

    @Produces
    @Readiness
    HealthCheck migrations() {
        return () -> {
            HealthCheckResponse known = migrated;
            if (known != null) {
                return known;
            }
            MigrationInfoService info = flyway.info();
            long pending = Arrays.stream(info.pending()).count();
            String applied = Optional.ofNullable(info.current()).map(MigrationInfo::getVersion)
                    .map(MigrationVersion::getVersion).orElse("none");
            String latest = Arrays.stream(info.all()).map(MigrationInfo::getVersion)
                    .filter(v -> v != null).max(MigrationVersion::compareTo)
                    .map(MigrationVersion::getVersion).orElse("none");
            // An older build on a database another node migrated further is fine: its migrations are all applied.
            HealthCheckResponse answer = HealthCheckResponse.named("Database migrations")
                    .status(pending == 0 && !"none".equals(applied))
                    .withData("applied", applied)
                    .withData("latest", latest)
                    .withData("pending", pending)
                    .build();
            if (answer.getStatus() == HealthCheckResponse.Status.UP) {
                migrated = answer;
            }
            return answer;
        };
    }

    @Produces
    @Readiness
    HealthCheck executor() {
        return () -> {
            if (!scheduler.executes()) {
                return HealthCheckResponse.named("Run executor").up().withData("state", "disabled").build();
            }
            boolean running = scheduler.running();
            return HealthCheckResponse.named("Run executor").status(running)
                    .withData("state", running ? "running" : "stopped")
                    .withData("slots", scheduler.slots())
                    .build();
        };
    }

    @Produces
    @Readiness
    HealthCheck draining() {
        return () -> HealthCheckResponse.named("Drain").status(!drain.draining())
                .withData("draining", drain.draining())
                .build();
    }
}
