package dev.runway.sweep;

import dev.runway.training.RunLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** The executor's question "must this run stop?", answered for sweep trials: the money cap and ASHA's rungs. */
@ApplicationScoped
public class SweepLimits implements RunLimits {

    @Inject
    SweepService sweeps;

    @Override
    public Optional<String> mustStop(long runId, boolean gpu, long openSeconds) {
        return sweeps.mustStop(runId);
    }

    @Override
    public Optional<String> mustStopAfterEpoch(long runId, int epoch) {
        return sweeps.prunedAfterEpoch(runId, epoch);
    }

    @Override
    public Optional<String> refusesRetry(long runId) {
        return sweeps.refusesRetry(runId);
    }
}
