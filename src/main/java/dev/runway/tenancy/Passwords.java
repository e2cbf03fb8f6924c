package dev.runway.tenancy;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.runway.base.BadInputException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Password rules and argon2id hashing through password4j, with OWASP's minimum settings (19 MiB, 2 passes, 1 lane).
 * Besides the length, a password may not be a common one, nor contain the email's local part or the company name.
 * The common passwords are the 1,000 most frequent of Mark Burnett's ten million leaked passwords, as published in
 * SecLists ({@code Passwords/Common-Credentials/10-million-password-list-top-1000.txt}, MIT licence), shipped in
 * {@code common-passwords.txt} beside this class.
 */
@ApplicationScoped
public class Passwords {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 200;

    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

    /** A hash to compare against when the email is unknown, so that both cases take the same time. */
    private final String decoy = hash("decoy-password-never-used");

    private static final Set<String> COMMON = load();

    /** Checks the rules and gives a clear message at {@code field}; {@code companyName} may be null. */
    public void checkStrength(String field, String password, String email, String companyName) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new BadInputException(field, "Use at least " + MIN_LENGTH + " characters for the password");
        }
        if (password.length() > MAX_LENGTH) {
            throw new BadInputException(field, "Use at most " + MAX_LENGTH + " characters for the password");
        }
        if (password.isBlank() || password.equalsIgnoreCase(email)) {
            throw new BadInputException(field, "Choose a password that is not your email address or blank");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (isCommon(lower)) {
            throw new BadInputException(field,
                    "This password is among the most common ones and is guessed first; choose another");
        }
        String localPart = email == null ? "" : email.toLowerCase(Locale.ROOT).replaceAll("@.*", "");
        if (localPart.length() >= 3 && lower.contains(localPart)) {
            throw new BadInputException(field, "Choose a password that does not contain your email address");
        }
        String company = companyName == null ? "" : companyName.strip().toLowerCase(Locale.ROOT);
        if (company.length() >= 3 && lower.contains(company)) {
            throw new BadInputException(field, "Choose a password that does not contain the company name");
        }
    }

    /**
     * A common password, also when padded with digits or symbols ("password1234"), or one short piece repeated
     * ("aaaaaaaaaaaa", "abcabcabcabc"): too few different characters to be worth guessing last.
     */
    static boolean isCommon(String lower) {
        String core = lower.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
        return COMMON.contains(lower) || COMMON.contains(core) || lower.chars().distinct().count() < 5
                || core.isEmpty() && lower.chars().distinct().count() < 8;
    }

    private static Set<String> load() {
        try (InputStream in = Passwords.class.getResourceAsStream("common-passwords.txt")) {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(l -> l.strip().toLowerCase(Locale.ROOT)).filter(l -> !l.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException("common-passwords.txt is part of the application", e);
        }
    }

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
    }

    public boolean matches(String password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    }

    /** Spends the time of one verification, for unknown accounts. */
    void burnVerification(String password) {
        matches(password == null ? "" : password, decoy);
    }
}
