package dev.runway.base;

/** An upload over the size limit: bad input whose fix is a smaller file (HTTP answers it with 413). */
public class TooLargeException extends BadInputException {

    public TooLargeException(String field, String message) {
        super(field, message);
    }
}
