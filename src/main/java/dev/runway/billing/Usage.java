package dev.runway.billing;

import dev.runway.base.BadInputException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One usage event as it is posted to the ledger. {@code key} is deterministic (a run's segment: "run:12:2:3" = run 12,
 * attempt 2, segment 3), so that a replay is recognised; {@code quantity} is device-seconds for GPU and CPU and
 * GB-hours for storage.
 */
public record Usage(String key, Resource resource, BigDecimal quantity, Long projectId, Long runId, Instant from,
        Instant to) {

    public static final int KEY_MAX = 200;

    public Usage {
        if (key == null || key.isBlank() || key.length() > KEY_MAX) {
            throw new BadInputException("key", "A usage event needs an idempotency key of 1 to " + KEY_MAX
                    + " characters");
        }
        if (resource == null) {
            throw new BadInputException("resource", "A usage event needs a resource (GPU, CPU or STORAGE)");
        }
        if (quantity == null || quantity.signum() < 0) {
            throw new BadInputException("quantity", "A usage quantity is zero or more; corrections are reversals");
        }
        if (from == null || to == null || to.isBefore(from)) {
            throw new BadInputException("window", "A usage window ends at or after its start");
        }
    }
}
