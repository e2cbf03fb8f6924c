package dev.runway.base;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Optimistic concurrency for updates through the API: a resource's entity tag ({@code ETag}) and the check of a
 * client's {@code If-Match} against it. The tag is a hash of what the resource is (its fields), not a version column:
 * background work may update the same rows, and a {@code @Version} there would fail that work instead of the client.
 *
 * <p>Use it in the SERVICE, in the transaction that changes the row, after locking it (e.g. {@code em.find(...,
 * LockModeType.PESSIMISTIC_WRITE)}): {@code ETag.check(ifMatch, ETag.of(fields…), "The project")}. A check made in the
 * resource before calling the service would let a concurrent change slip in between. The resource sends the same
 * {@code ETag.of(fields…)} of what it answers (the API's {@code Tagged} helper).
 */
public final class ETag {

    private ETag() {}

    /**
     * A strong entity tag, quoted as the header carries it, of the resource's state: the same fields give the same
     * tag on every node. Use fields that read back exactly as written (not timestamps, whose precision the database
     * cuts to microseconds).
     */
    public static String of(Object... state) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (Object part : state) {
            // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
            byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
            sha256.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) ':');
            sha256.update(bytes);
        }
        byte[] digest = sha256.digest();
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
    }

    /**
     * Refuses the change when the client's {@code If-Match} does not name the current tag (RFC 9110 §13.1.1, strong
     * comparison: a weak {@code W/"…"} tag never matches). No header: no precondition, the change goes ahead. {@code *}
     * matches whenever the resource exists. {@code current} is null when there is nothing yet (e.g. no preparation
     * saved): then only a request without {@code If-Match} goes ahead.
     *
     * @param what the resource as the message names it, e.g. "The project"
     */
    public static void check(String ifMatch, String current, String what) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        if (current == null) {
            throw new PreconditionFailedException(what + " does not exist yet, so If-Match cannot match: send the "
                    + "request without If-Match to create it");
        }
        for (String tag : ifMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*") || candidate.equals(current)) {
                return;
            }
        }
        throw new PreconditionFailedException(what + " was changed since you read it (If-Match " + ifMatch.strip()
                + ", now " + current + "): read it again, apply your change to what it is now, and send it with the "
                + "new ETag");
    }
}
