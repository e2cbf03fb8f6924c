package dev.runway.base;

import java.util.Locale;

/** Checks shared by every form: trimmed, required, bounded text. */
public final class Text {

    private Text() {}

    /** The trimmed value; a clear message at {@code field} when it is empty or longer than {@code max}. */
    public static String required(String field, String label, String value, int max) {
        String trimmed = value == null ? "" : value.strip();
        if (trimmed.isEmpty()) {
            throw new BadInputException(field, label + " is required");
        }
        if (trimmed.length() > max) {
            throw new BadInputException(field, label + " must be at most " + max + " characters");
        }
        return trimmed;
    }

    /** A normalised email address (trimmed, lower case) or a clear message. */
    public static String email(String field, String value) {
        String email = required(field, "Email", value, 254).toLowerCase(Locale.ROOT);
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new BadInputException(field, "Enter an email address like name@company.com");
        }
        return email;
    }
}
