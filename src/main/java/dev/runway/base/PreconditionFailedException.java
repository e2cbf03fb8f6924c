package dev.runway.base;

/** A conditional update whose {@code If-Match} names an outdated version of the resource: nothing was changed. */
public class PreconditionFailedException extends RuntimeException {

    public PreconditionFailedException(String message) {
        super(message);
    }
}
