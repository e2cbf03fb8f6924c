package dev.runway.training;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;

/**
 * What training asks of whoever charges for runs (billing implements it): a run's price before it starts, whether the
 * plan and the budgets let it start or go on, its cost so far, and the metering of its segments. Training owns this
 * port so that it depends on no billing type; every method runs inside the caller's transaction, as the run's tenant.
 */
public interface RunCharges {

    /** A price before a run: {@code seconds} on a GPU or a CPU at the plan's rate. */
    interface Estimate {

        boolean gpu();

        long seconds();

        /** Rounded to the currency's scale. */
        BigDecimal amount();

        /** The amount unrounded: a short run's estimate rounds to 0.00, which a cap in fractions of a cent needs. */
        BigDecimal exact();

        Currency currency();

        /** For people, e.g. "0.02 USD (about 3 min of CPU time at 0.12 USD an hour, from 4 similar runs)". */
        String describe();
    }

    /** A run's cost so far: posted segments plus the one under way; {@code amount} rounded, {@code exact} not. */
    interface RunCost {

        BigDecimal amount();

        BigDecimal exact();

        Currency currency();

        BigDecimal deviceSeconds();

        /** "0.14 USD", or "under 0.01 USD" for a cost that rounds to nothing. */
        String describe();
    }

    /**
     * One segment of a run's attempt, from the attempt's start or its last checkpoint to now. It is charged once, by
     * its {@link #key}, so work redone after a dead worker (a new attempt) is never charged twice.
     */
    record Segment(long runId, int attempt, int segment, Long projectId, boolean gpu, Instant from, Instant to) {

        /** "run:{id}:{attempt}:{segment}". */
        public String key() {
            return "run:" + runId + ":" + attempt + ":" + segment;
        }
    }

    /** The price of {@code seconds} on a GPU or a CPU at the rate in force now; {@code basis}: where they come from. */
    Estimate estimate(boolean gpu, long seconds, String basis);

    /** Whether the plan in force lets runs use GPUs. */
    boolean gpuAllowed();

    /** Refuses (a {@code BadInputException} at the field to fix) a run the plan or the budgets do not allow. */
    void admit(Long projectId, Estimate estimate);

    /** Why a running run must stop now, if it must, with {@code openSeconds} of its segment under way unbilled. */
    Optional<String> mustStop(Long projectId, boolean gpu, long openSeconds);

    /** Charges a finished segment, once. */
    void meter(Segment segment);

    /** The run's cost so far, with {@code openSeconds} of the segment under way; checks the caller may read. */
    RunCost runCost(long runId, boolean gpu, long openSeconds);
}
