package dev.runway.tenancy;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.runway.base.BadInputException;
import jakarta.enterprise.context.ApplicationScoped;

/** Argon2id hashing through password4j, with OWASP's minimum settings (19 MiB, 2 passes, 1 lane). */
@ApplicationScoped
public class Passwords {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 200;

    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

    /** A hash to compare against when the email is unknown, so that both cases take the same time. */
    private final String decoy = hash("decoy-password-never-used");

    /** Checks the rules and gives a clear message at {@code field}. */
    public void checkStrength(String field, String password, String email) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new BadInputException(field, "Use at least " + MIN_LENGTH + " characters for the password");
        }
        if (password.length() > MAX_LENGTH) {
            throw new BadInputException(field, "Use at most " + MAX_LENGTH + " characters for the password");
        }
        if (password.isBlank() || password.equalsIgnoreCase(email)) {
            throw new BadInputException(field, "Choose a password that is not your email address or blank");
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
