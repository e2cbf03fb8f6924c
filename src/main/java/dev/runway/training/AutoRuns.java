package dev.runway.training;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Auto, the New run dialog's default choice: Runway picks the model family from the data's shape and runs a small
 * search of ordinary runs within a time and a money limit, then registers the best model. The sweep feature
 * implements it (the search is a sweep; the runs feature cannot depend on it): docs/training.md, "Auto".
 */
public interface AutoRuns {

    /**
     * What Auto would do on a dataset version, shown before it starts.
     *
     * @param why the data's shape in words and the family chosen for it
     * @param search what the trials vary and how successive halving cuts them
     * @param estimate the trials' estimated cost together, at their full epochs (the most they would take)
     */
    record Preview(String shape, String familyLabel, String why, String search, int trials, int parallel,
            Duration timeLimit, BigDecimal moneyLimit, BigDecimal estimate, String currency) {}

    /** Auto's plan and default limits for the version; refused (at {@code dataset}) when it cannot train. */
    Preview preview(long datasetVersionId);

    /**
     * Starts Auto on the version within {@code timeLimit} (1 min to 24 h) and {@code moneyLimit} (in the company's
     * currency); null takes the preview's default. Returns the id of its sweep, whose page follows it.
     */
    long start(long datasetVersionId, Duration timeLimit, BigDecimal moneyLimit);
}
