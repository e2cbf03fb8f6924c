package dev.runway.dataset;

import dev.runway.base.TooLargeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Files stored by their SHA-256 under the storage root ({@code blobs/ab/cd/abcd…}): the same bytes are stored
 * once. Incoming streams go to a temporary file beside the store (never whole in memory), with the size cap checked
 * while the bytes arrive.
 */
@ApplicationScoped
public class ContentStore {

    /** A stream written to disk, not yet in the store. */
    public record Staged(Path file, String sha256, long size) {}

    @ConfigProperty(name = "runway.storage.root")
    Path root;

    /** Writes {@code in} to a temporary file, refusing it as soon as it passes {@code maxBytes}. */
    public Staged stage(InputStream in, long maxBytes) throws IOException {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Path file = Files.createTempFile(tmp, "upload-", ".part");
        MessageDigest sha = sha256();
        long size = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
                if (size > maxBytes) {
                    throw new TooLargeException("file", "The file is larger than the limit of "
                            + (maxBytes / (1024 * 1024)) + " MB; split it or ask an admin to raise the limit");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Staged(file, HexFormat.of().formatHex(sha.digest()), size);
    }

    /** Moves a staged file into the store; if the same bytes are already there, the staged copy is dropped. */
    public Path commit(Staged staged) throws IOException {
        Path target = pathOf(staged.sha256());
        if (Files.exists(target)) {
            Files.deleteIfExists(staged.file());
            return target;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(staged.file());
        }
        return target;
    }

    public void discard(Staged staged) {
        try {
            Files.deleteIfExists(staged.file());
        } catch (IOException e) {
            // A leftover temporary file is harmless; the next clean-up of tmp/ removes it.
        }
    }

    public Path pathOf(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return root.resolve("blobs").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    public InputStream open(String sha256) throws IOException {
        return Files.newInputStream(pathOf(sha256));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
