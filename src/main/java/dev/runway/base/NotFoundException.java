package dev.runway.base;

/** A record that does not exist, or belongs to another tenant: the two look exactly alike. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what + " not found");
    }
}
