package dev.runway.training;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;

/**
 * Run timings for Prometheus (docs/deploy.md, "Health and metrics"): how long runs took and how long they waited in the
 * queue. Labels carry the final status only, never a tenant, project or run id.
 */
@ApplicationScoped
public class RunMetrics {

    @Inject
    MeterRegistry registry;

    /** A run's first start: the time from its submission. Resumed attempts are not counted again. */
    void started(Run run) {
        if (run.getCreatedAt() != null && run.getStartedAt() != null) {
            Timer.builder("runway.run.queue.latency")
                    .description("Time from a run's submission to its first start")
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(nonNegative(run.getCreatedAt(), run.getStartedAt()));
        }
    }

    /** A run ended (succeeded, failed, cancelled or stopped): its time from first start to the end. */
    void ended(Run run) {
        if (run.getStartedAt() != null && run.getFinishedAt() != null) {
            Timer.builder("runway.run.duration")
                    .description("Time from a run's first start to its end, by final status")
                    .tag("status", run.getStatus().name().toLowerCase())
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(nonNegative(run.getStartedAt(), run.getFinishedAt()));
        }
    }

    private static Duration nonNegative(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
