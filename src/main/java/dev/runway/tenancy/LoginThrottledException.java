package dev.runway.tenancy;

import dev.runway.base.BadInputException;
import java.time.Duration;

/** Too many failed sign-ins for one email address within the window; says how long to wait. */
public class LoginThrottledException extends BadInputException {

    private final Duration retryAfter;

    LoginThrottledException(Duration retryAfter) {
        super(null, "Too many failed sign-in attempts for this account. Try again in " + words(retryAfter) + ".");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    private static String words(Duration d) {
        long minutes = (d.getSeconds() + 59) / 60;
        return minutes <= 1 ? "a minute" : minutes + " minutes";
    }
}
