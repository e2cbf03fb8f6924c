package dev.runway.webhook;

import dev.runway.tenancy.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Runway-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}. The time is
 * signed with the body, so a receiver that refuses old timestamps refuses replays of a captured request.
 */
final class Signatures {

    static final String HEADER = "Runway-Signature";
    static final String SECRET_START = "whsec_";

    private Signatures() {}

    /** A new endpoint secret: 256 random bits, recognisable by its start. */
    static String newSecret() {
        return SECRET_START + Tokens.newToken();
    }

    static String header(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmac(secret, unixSeconds + "." + body);
    }

    /** HMAC-SHA256 keyed with the secret as written (its UTF-8 bytes), in lower-case hex. */
    static String hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
