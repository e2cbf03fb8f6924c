package dev.runway.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * Where the client keeps the console's address and the API key: a properties file that only its owner may read
 * (mode 600, its folder 700), written whole to a new file and moved into place, so a key is never readable by others
 * for an instant, nor left half written.
 */
final class Config {

    static final String ENV_CONFIG = "RUNWAY_CONFIG";

    final Path path;
    String server;
    String key;

    private Config(Path path) {
        this.path = path;
    }

    /** {@code $RUNWAY_CONFIG}, else {@code $XDG_CONFIG_HOME/runway/config.properties}, else under ~/.config. */
    static Path defaultPath() {
        String explicit = System.getenv(ENV_CONFIG);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("runway").resolve("config.properties");
    }

    static Config load(Path path) {
        Config config = new Config(path);
        if (Files.isRegularFile(path)) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path, e);
            }
            config.server = p.getProperty("server");
            config.key = p.getProperty("key");
        }
        return config;
    }

    void save() throws IOException {
        Path folder = path.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(folder)) {
            if (posix) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(folder);
            }
        }
        Path next = posix
                ? Files.createTempFile(folder, ".config", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(folder, ".config", ".tmp");
        try {
            Properties p = new Properties();
            p.setProperty("server", server);
            p.setProperty("key", key);
            try (Writer out = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
                p.store(out, "runway login: the console and its API key (keep this file private)");
            }
            Files.move(next, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(next);
        }
    }
}
