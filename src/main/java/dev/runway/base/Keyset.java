package dev.runway.base;

import jakarta.persistence.Query;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Where a page of a list starts: just after the row with this sort key and id. Paging by position (offset) shifts
 * when rows are added in front; a keyset does not. The key is text as the list wrote it (a name, an ISO instant or
 * day, a number); the list reads it back with {@link #instant()}, {@link #date()}, {@link #integer()} or as it is.
 */
public record Keyset(String key, long id) {

    /** The message for a cursor whose key is not what its list writes: it was changed or came from another list. */
    public static final String FOREIGN = "This cursor is not one of this list's: pass the “next” of the previous "
            + "page as it came, or leave the cursor out to start again";

    /**
     * The JPQL condition "after the keyset" for a list ordered by {@code key} then {@code id}, both ascending or both
     * descending; its parameters are set by one of the {@code bind…} methods. Without a keyset the condition holds
     * for every row, so the first page and the next ones share one query.
     */
    public static String after(String key, String id, boolean descending) {
        String beyond = descending ? " < " : " > ";
        return "(:keysetGiven = false or " + key + beyond + ":keysetKey or (" + key + " = :keysetKey and " + id
                + beyond + ":keysetId))";
    }

    /** The same over lower-cased text: the database lower-cases the row's key and the cursor's alike. */
    public static String afterIgnoringCase(String key, String id) {
        return after("lower(" + key + ")", id, false).replace(":keysetKey", "lower(:keysetKey)");
    }

    public static <Q extends Query> Q bindText(Q query, Keyset after) {
        return bind(query, after, after == null ? "" : after.key());
    }

    public static <Q extends Query> Q bindInstant(Q query, Keyset after) {
        return bind(query, after, after == null ? Instant.EPOCH : after.instant());
    }

    public static <Q extends Query> Q bindInt(Q query, Keyset after) {
        return bind(query, after, after == null ? 0 : after.integer());
    }

    public static <Q extends Query> Q bindDate(Q query, Keyset after) {
        return bind(query, after, after == null ? LocalDate.EPOCH : after.date());
    }

    private static <Q extends Query> Q bind(Q query, Keyset after, Object key) {
        query.setParameter("keysetGiven", after != null).setParameter("keysetKey", key)
                .setParameter("keysetId", after == null ? 0L : after.id());
        return query;
    }

    public Instant instant() {
        try {
            return Instant.parse(key);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new BadInputException("cursor", FOREIGN);
        }
    }

    public int integer() {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new BadInputException("cursor", FOREIGN);
        }
    }

    public LocalDate date() {
        try {
            return LocalDate.parse(key);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new BadInputException("cursor", FOREIGN);
        }
    }
}
