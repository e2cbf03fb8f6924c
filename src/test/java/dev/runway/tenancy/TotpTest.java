package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Totp} against the test vectors of RFC 6238, appendix B (SHA-1, 8 digits). */
class TotpTest {

    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
            "2000000000, 69279037", "20000000000, 65353130"})
    void codes_match_the_rfc_6238_test_vectors(long seconds, String expected) {
        assertThat(Totp.code(RFC_SEED, Totp.step(Instant.ofEpochSecond(seconds)), 8, "HmacSHA1"))
                .isEqualTo(expected);
    }

    @Test
    void secrets_survive_base32_and_six_digit_codes_are_the_last_digits_of_the_long_ones() {
        String secret = Totp.base32(RFC_SEED);
        assertThat(secret).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Totp.unbase32(secret)).isEqualTo(RFC_SEED);
        assertThat(Totp.code(secret, Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(Totp.uri(secret, "ada@example.com", "Runway"))
                .startsWith("otpauth://totp/Runway:ada%40example.com?secret=" + secret + "&issuer=Runway");
    }
}
