package dev.runway.training;

import java.util.Optional;

/**
 * A limit another feature puts on a running run (a sweep's money cap, a sweep's early stop), asked by the executor
 * beside the compute budgets: every few seconds and after each epoch, inside a transaction as the run's tenant. A run
 * stopped this way ends as STOPPED with the reason, behind its last checkpoint, like a run stopped by a budget.
 */
public interface RunLimits {

    /** Why run {@code runId} must stop now, if it must; {@code openSeconds} of its segment under way are unbilled. */
    Optional<String> mustStop(long runId, boolean gpu, long openSeconds);

    /**
     * Why run {@code runId} must stop now that it has ended epoch {@code epoch} (its metrics just recorded), if it
     * must: asked once per epoch, so a judgement made there (a sweep's early stop at a rung) is made once.
     */
    default Optional<String> mustStopAfterEpoch(long runId, int epoch) {
        return Optional.empty();
    }

    /** Why ended run {@code runId} may not be retried on its own (a sweep's trial, under the sweep's cap), if so. */
    default Optional<String> refusesRetry(long runId) {
        return Optional.empty();
    }
}
