package dev.runway.budget;

import dev.runway.base.BadInputException;
import java.time.LocalDate;

/** The checks that funding and spend entries share: a date that has happened, a short note. */
final class Entries {

    static final String NOTE_TOO_LONG = "Keep the note under {max} characters";

    private Entries() {}

    /** {@code date} must be given, not after {@code today}, and after 1990. */
    static LocalDate pastOrToday(String field, String label, LocalDate date, LocalDate today) {
        if (date == null) {
            throw new BadInputException(field, "Enter the " + label);
        }
        if (date.isAfter(today)) {
            throw new BadInputException(field, "The " + label + " cannot be in the future");
        }
        if (date.getYear() < 1990) {
            throw new BadInputException(field, "Enter a " + label + " after 1990");
        }
        return date;
    }

    /** The note as kept: trimmed, "" for none (its length is the form's constraint). */
    static String note(String value) {
        return value == null ? "" : value.strip();
    }
}
