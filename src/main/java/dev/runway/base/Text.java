package dev.runway.base;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/** Checks shared by every form: trimmed, required, bounded text. */
public final class Text {

    /** A path's parts after its first: names without spaces, e.g. /runs/3/17/model-0001.params. */
    private static final String TAIL = "(?:/[\\w.@+~-]+)*/?";

    /**
     * An absolute file path of two or more parts, e.g. /srv/runway/data/storage/runs/3/17/model, also as a file: URL
     * (file:/srv/…, file:///srv/…). Not a web address: https://host/a/b has "//" where a path has a name.
     */
    private static final Pattern FILE_PATH = Pattern.compile("(?:file:/{0,2}|(?<![\\w./]))(?:/[\\w.@+~-]+){2,}/?");

    /** The server's own folders, whose names may hold spaces; built on first use from the configuration. */
    private static volatile Pattern serverFolders;

    private Text() {}

    /**
     * {@code message} with every absolute file path replaced by "a stored file": failures are shown to members and
     * API clients, the server's folders are not theirs to see. A path under the storage root or the working
     * directory is replaced whole even where those folders' names hold spaces (/work/my data/storage/runs/1); any
     * other path ends at its first space.
     */
    public static String withoutFilePaths(String message) {
        if (message == null) {
            return null;
        }
        Pattern folders = serverFolders;
        if (folders == null) {
            folders = foldersPattern(serverRoots());
            serverFolders = folders;
        }
        return withoutFilePaths(message, folders);
    }

    static String withoutFilePaths(String message, Pattern serverFolders) {
        if (message == null) {
            return null;
        }
        String rest = serverFolders == null ? message : serverFolders.matcher(message).replaceAll("a stored file");
        return FILE_PATH.matcher(rest).replaceAll("a stored file");
    }

    /**
     * A pattern for paths under any of {@code roots} (absolute folders), longest first, each followed by the rest of
     * its path; null when there is no root. The root "/" is left to the general pattern.
     */
    static Pattern foldersPattern(List<Path> roots) {
        List<String> alternatives = roots.stream().map(r -> r.toAbsolutePath().normalize())
                .filter(r -> r.getNameCount() > 0).map(Path::toString).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote).toList();
        if (alternatives.isEmpty()) {
            return null;
        }
        return Pattern.compile("(?:file:/{0,2}|(?<![\\w./]))(?:" + String.join("|", alternatives)
                + ")(?![\\w.@+~-])" + TAIL);
    }

    /** The storage root (runway.storage.root, relative to the working directory) and the working directory. */
    private static List<Path> serverRoots() {
        Path workingDirectory = Path.of(System.getProperty("user.dir", "/"));
        return ConfigProvider.getConfig().getOptionalValue("runway.storage.root", String.class)
                .map(storage -> List.of(workingDirectory.resolve(storage), workingDirectory))
                .orElse(List.of(workingDirectory));
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
