package dev.runway.base;

/** The caller's role does not allow the action (or nobody is signed in). */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
