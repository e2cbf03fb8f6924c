package dev.runway.base;

/** Input a person can fix: {@code field} names the form field (or is null for the whole form). */
public class BadInputException extends RuntimeException {

    private final String field;

    public BadInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
