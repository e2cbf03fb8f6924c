package dev.runway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.runway.base.BadInputException;
import dev.runway.base.Keyset;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Keyset paging for every list of the API: {@code ?limit=&cursor=} in, {@link ListPage} out. The cursor is opaque to
 * clients: base64url of the list's name, the last item's sort key and its id. A page starts after that (key, id), so
 * rows added meanwhile never shift a page or show an item twice.
 */
public class Paging {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    @QueryParam("limit")
    @Parameter(description = "items per page, 1 to 200 (default 50)")
    String limit;

    @QueryParam("cursor")
    @Parameter(description = "the `next` of the previous page; left out: the first page")
    String cursor;

    /** What this request asks of the list named {@code list} (a cursor of another list is refused). */
    Request of(String list) {
        return new Request(list, limit(), after(list));
    }

    private int limit() {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.strip());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw new BadInputException("limit", "“limit” must be a whole number from 1 to " + MAX_LIMIT + ", e.g. 50");
    }

    private Keyset after(String list) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            ArrayNode parts = (ArrayNode) JSON.readTree(Base64.getUrlDecoder().decode(cursor.strip()));
            if (parts.size() == 3 && parts.get(0).asText().equals(list) && parts.get(1).isTextual()
                    && parts.get(2).canConvertToLong()) {
                return new Keyset(parts.get(1).asText(), parts.get(2).asLong());
            }
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            // answered below, like a cursor of another list
        }
        throw new BadInputException("cursor", Keyset.FOREIGN);
    }

    /** A list's request: at most {@code limit} items after {@code after} (null: from the start). */
    record Request(String list, int limit, Keyset after) {

        /** How many rows to read: one more than the page, to know whether a next page exists. */
        int fetch() {
            return limit + 1;
        }

        /** The page of rows read with {@link #fetch()} after {@link #after()}, in the list's order. */
        <E, J> ListPage<J> page(List<E> rows, Function<E, Keyset> key, Function<E, J> json) {
            List<E> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
            String next = rows.size() > limit ? cursor(key.apply(shown.get(shown.size() - 1))) : null;
            return new ListPage<>(shown.stream().map(json).toList(), next);
        }

        /**
         * The page of a short list read whole (a company's funding, members, schedules): ordered by {@code order}
         * over each row's keyset and cut after the cursor here, which is the same keyset paging as in SQL.
         */
        <E, J> ListPage<J> page(List<E> all, Function<E, Keyset> key, Comparator<Keyset> order,
                Function<E, J> json) {
            List<E> rows;
            try {
                rows = all.stream()
                        .filter(e -> after == null || order.compare(key.apply(e), after) > 0)
                        .sorted(Comparator.comparing(key, order))
                        .limit(fetch())
                        .toList();
            } catch (DateTimeException | IllegalArgumentException e) {
                // The cursor's key is not what this list writes (a date, a number): it was changed by hand.
                throw new BadInputException("cursor", Keyset.FOREIGN);
            }
            return page(rows, key, json);
        }

        private String cursor(Keyset last) {
            ArrayNode parts = JSON.createArrayNode().add(list).add(last.key()).add(last.id());
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(parts.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
