package dev.runway.cli;

/** A failure the user can act on; printed as one line, the command exits with {@link #exitCode}. */
class CliException extends RuntimeException {

    final int exitCode;

    CliException(String message) {
        this(message, Runway.EXIT_ERROR);
    }

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }
}
