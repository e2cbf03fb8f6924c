package dev.runway.api;

/** A request's API key is missing, malformed, unknown, revoked or expired: answered with 401. */
public class ApiKeyRejectedException extends RuntimeException {

    public ApiKeyRejectedException(String message) {
        super(message);
    }
}
