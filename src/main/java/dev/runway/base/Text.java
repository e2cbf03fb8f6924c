package dev.runway.base;

import java.util.Locale;
import java.util.regex.Pattern;

/** Checks shared by every form: trimmed, required, bounded text. */
public final class Text {

    /** An absolute file path of two or more parts, e.g. /srv/runway/data/storage/runs/3/17/model. */
    private static final Pattern FILE_PATH = Pattern.compile("(?<![\\w.:/])(?:/[\\w.@+~-]+){2,}/?");

    private Text() {}

    /**
     * {@code message} with every absolute file path replaced by "a stored file": failures are shown to members and
     * API clients, the server's folders are not theirs to see.
     */
    public static String withoutFilePaths(String message) {
        return message == null ? null : FILE_PATH.matcher(message).replaceAll("a stored file");
    }

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
