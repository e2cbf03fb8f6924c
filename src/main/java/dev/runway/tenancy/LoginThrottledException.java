package dev.runway.tenancy;

import dev.runway.base.BadInputException;
import java.time.Duration;

/**
 * Too many attempts from this client address or for this account: says how long to wait. The words are the same
 * whether the email belongs to an account or not.
 */
public class LoginThrottledException extends BadInputException {

    private final Duration retryAfter;

    LoginThrottledException(Duration retryAfter) {
        super(null, "Too many attempts. Try again in " + words(retryAfter) + ".");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    private static String words(Duration d) {
        long seconds = Math.max(1, d.getSeconds());
        return seconds < 120 ? seconds + " s" : (seconds + 59) / 60 + " minutes";
    }
}
