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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Password rules and argon2id hashing through password4j, with OWASP's minimum settings (19 MiB, 2 passes, 1 lane).
 * Besides the length, a password may not be a common one, nor contain the email's local part or the company name.
 * "Common" covers the list, also under digits, symbols, separators and repeats ("Pass_word-2024", "iloveyouiloveyou"),
 * a short piece repeated ("abcabcabcabc"), and runs along the keyboard or the alphabet ("qwertyuiopasdfgh",
 * "1q2w3e4r5t6y"), which guessing tools try first whatever their length. The common passwords are the 1,000 most frequent of Mark Burnett's ten million leaked passwords, as published in
 * SecLists ({@code Passwords/Common-Credentials/10-million-password-list-top-1000.txt}, MIT licence), shipped in
 * {@code common-passwords.txt} beside this class.
 */
@ApplicationScoped
public class Passwords {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 200;

    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

    /**
     * At most one argon2 computation per core at a time (19 MiB and some 50 ms each): a flood of sign-ins queues here
     * instead of starving the node's other work of CPU and memory.
     */
    private static final Semaphore SLOTS = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

    private static final String SEPARATORS = "[\\s._\\-+/\\\\|,;:]+";

    /** Runs along a keyboard (rows, columns, the digit-letter zigzag), the alphabet and the digits; also backwards. */
    private static final List<String> RUNS = List.of("12345678901234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
            "qwertzuiop", "azertyuiop", "qsdfghjklm", "wxcvbn", "1q2w3e4r5t6y7u8i9o0p", "1qaz2wsx3edc4rfv5tgb6yhn7ujm",
            "qazwsxedcrfvtgbyhnujmikolp", "!@#$%^&*()", "abcdefghijklmnopqrstuvwxyz");

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

    /** A password guessing tools try early, whatever its length (see the class comment). */
    static boolean isCommon(String lower) {
        if (lower.chars().distinct().count() < 5 || COMMON.contains(lower) || isRepeatOrRun(lower)) {
            return true;
        }
        String compact = unrepeat(lower.replaceAll(SEPARATORS, ""));
        if (COMMON.contains(compact) || isRepeatOrRun(compact)) {
            return true;
        }
        // The letters alone ("Pass_word-2024!" is "password"), when what was taken away is little or a run itself.
        String letters = unrepeat(lower.replaceAll("[^\\p{L}]+", ""));
        String rest = lower.replaceAll("\\p{L}+", "").replaceAll(SEPARATORS, "");
        boolean restIsWeak = rest.length() <= 6 || isRepeatOrRun(rest);
        return restIsWeak && (letters.isEmpty() || COMMON.contains(letters) || isRepeatOrRun(letters));
    }

    /** One piece of up to six characters repeated, or nothing but runs of three or more along {@link #RUNS}. */
    private static boolean isRepeatOrRun(String s) {
        if (s.isEmpty()) {
            return false;
        }
        String unit = s.replaceAll("^(.+?)\\1+$", "$1");
        if (unit.length() < s.length() && unit.length() <= 6) {
            return true;
        }
        int at = 0;
        while (at < s.length()) {
            int longest = 0;
            for (String run : RUNS) {
                longest = Math.max(longest, longestRunAt(s, at, run));
                longest = Math.max(longest, longestRunAt(s, at, new StringBuilder(run).reverse().toString()));
            }
            if (longest < 3) {
                return false;
            }
            at += longest;
        }
        return true;
    }

    /** How many characters of {@code s} from {@code at} follow {@code run} on from some place in it. */
    private static int longestRunAt(String s, int at, String run) {
        int best = 0;
        for (int from = run.indexOf(s.charAt(at)); from >= 0; from = run.indexOf(s.charAt(at), from + 1)) {
            int n = 0;
            while (at + n < s.length() && from + n < run.length() && s.charAt(at + n) == run.charAt(from + n)) {
                n++;
            }
            best = Math.max(best, n);
        }
        return best;
    }

    /** The piece a password repeats ("iloveyou" for "iloveyouiloveyou"), or the password. */
    private static String unrepeat(String s) {
        return s.replaceAll("^(.+?)\\1+$", "$1");
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
        return limited(() -> Password.hash(password).addRandomSalt(16).with(ARGON2).getResult());
    }

    public boolean matches(String password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        return limited(() -> Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash)));
    }

    private static <T> T limited(Supplier<T> argon2) {
        SLOTS.acquireUninterruptibly();
        try {
            return argon2.get();
        } finally {
            SLOTS.release();
        }
    }

    /** Spends the time of one verification, for unknown accounts. */
    void burnVerification(String password) {
        matches(password == null ? "" : password, decoy);
    }
}
