package dev.runway.dataset;

import dev.runway.base.TooLargeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Files stored by their SHA-256 under the storage root ({@code blobs/ab/cd/abcd…}): the same bytes are stored
 * once. Incoming streams go to a temporary file beside the store (never whole in memory), with the size cap checked
 * while the bytes arrive.
 */
@ApplicationScoped
public class ContentStore {

    private static final int BUFFER = 1 << 16;
    /** Chunks in flight between the copy and the reader: at most this many buffers of 64 KB per upload. */
    private static final int CHUNKS = 16;

    /** A stream written to disk, not yet in the store. */
    public record Staged(Path file, String sha256, long size) {}

    @ConfigProperty(name = "runway.storage.root")
    Path root;

    /** Reads a stream to its end (or fails), e.g. a profiler. */
    @FunctionalInterface
    public interface StreamReader<T> {
        T read(InputStream in) throws IOException;
    }

    /** A staged file and what a reader made of the same bytes. */
    public record Read<T>(Staged staged, T result) {}

    /** Writes {@code in} to a temporary file, refusing it as soon as it passes {@code maxBytes}. */
    public Staged stage(InputStream in, long maxBytes) throws IOException {
        return stage(in, maxBytes, null).staged();
    }

    /**
     * Stages {@code in} as {@link #stage(InputStream, long)} does while {@code reader} reads the same bytes on a thread
     * of its own, so that reading (e.g. profiling a CSV) no longer waits for the copy and the two share the cores. The
     * outcome is the one of staging first and reading the file afterwards: a stream over the cap is refused as too
     * large even where the reader failed earlier; otherwise the reader's failure is thrown and the file discarded.
     */
    public <T> Read<T> stage(InputStream in, long maxBytes, StreamReader<T> reader) throws IOException {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Path file = Files.createTempFile(tmp, "upload-", ".part");
        MessageDigest sha = sha256();
        Pipe pipe = reader == null ? null : new Pipe();
        FutureTask<T> reading = pipe == null ? null : new FutureTask<>(() -> pipe.readWith(reader));
        if (reading != null) {
            Thread thread = new Thread(reading, "upload-reader");
            thread.setDaemon(true);
            thread.start();
        }
        byte[] own = pipe == null ? new byte[BUFFER] : null;
        long size = 0;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            int n;
            do {
                byte[] buffer = pipe == null ? own : pipe.free();
                n = in.readNBytes(buffer, 0, BUFFER);
                size += n;
                if (size > maxBytes) {
                    throw new TooLargeException("file", "The file is larger than the limit of "
                            + (maxBytes / (1024 * 1024)) + " MB; split it or ask an admin to raise the limit");
                }
                sha.update(buffer, 0, n);
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                if (pipe != null) {
                    pipe.hand(buffer, n);
                }
            } while (n == BUFFER);
            if (pipe != null) {
                pipe.end();
            }
        } catch (IOException | RuntimeException | Error e) {
            if (pipe != null) {
                pipe.abort();
                try {
                    await(reading);
                } catch (ExecutionException readerFailedToo) {
                    // The copy's own failure is the one to report; the reader only saw the stream stop.
                }
            }
            Files.deleteIfExists(file);
            throw e;
        }
        Staged staged = new Staged(file, HexFormat.of().formatHex(sha.digest()), size);
        if (reading == null) {
            return new Read<>(staged, null);
        }
        try {
            return new Read<>(staged, result(reading));
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static <T> T result(FutureTask<T> reading) throws IOException {
        try {
            return await(reading);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /** Waits for the reader, which always ends: it reads on to the end or the abort once it has failed. */
    private static <T> T await(FutureTask<T> reading) throws ExecutionException, InterruptedIOException {
        try {
            return reading.get();
        } catch (InterruptedException e) {
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the upload was read");
        }
    }

    /**
     * The copy hands each chunk it wrote to the reader through a bounded queue, and gets the buffer back once read. The
     * reader's side always consumes to the end mark (after a failure it drops the chunks), so the copy never blocks
     * for good and goes on to count the size cap.
     */
    private static final class Pipe {
        private record Chunk(byte[] bytes, int length) {}

        private static final Chunk END = new Chunk(new byte[0], -1);
        private static final Chunk ABORTED = new Chunk(new byte[0], -2);

        private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
        private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);

        Pipe() {
            for (int i = 0; i < CHUNKS; i++) {
                free.add(new byte[BUFFER]);
            }
        }

        byte[] free() throws InterruptedIOException {
            try {
                return free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the upload was read");
            }
        }

        void hand(byte[] bytes, int length) throws InterruptedIOException {
            put(new Chunk(bytes, length));
        }

        void end() throws InterruptedIOException {
            put(END);
        }

        void abort() {
            try {
                put(ABORTED);
            } catch (InterruptedIOException e) {
                // The caller is interrupted: it cancels the reader, which then stops taking.
            }
        }

        private void put(Chunk chunk) throws InterruptedIOException {
            try {
                full.put(chunk);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the upload was read");
            }
        }

        <T> T readWith(StreamReader<T> reader) throws Exception {
            Source source = new Source();
            try {
                return reader.read(source);
            } finally {
                source.drain();
            }
        }

        /** The reader's stream: the chunks in order, an IOException where the copy failed. */
        private final class Source extends InputStream {
            private Chunk current;
            private int position;
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (current == null || position == current.length()) {
                    if (done) {
                        return -1;
                    }
                    next();
                }
                int n = Math.min(len, current.length() - position);
                System.arraycopy(current.bytes(), position, b, off, n);
                position += n;
                return n;
            }

            private void next() throws IOException {
                if (current != null) {
                    free.add(current.bytes());
                    current = null;
                }
                Chunk chunk = take();
                if (chunk == ABORTED) {
                    done = true;
                    throw new IOException("The upload stopped before its end");
                }
                if (chunk == END) {
                    done = true;
                    return;
                }
                current = chunk;
                position = 0;
            }

            /** Consumes to the end mark, so that the copy never waits on a reader that stopped early. */
            void drain() throws InterruptedException {
                if (current != null) {
                    free.add(current.bytes());
                    current = null;
                }
                while (!done) {
                    Chunk chunk = full.take();
                    if (chunk == END || chunk == ABORTED) {
                        done = true;
                    } else {
                        free.add(chunk.bytes());
                    }
                }
            }

            private Chunk take() throws InterruptedIOException {
                try {
                    return full.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while the upload was read");
                }
            }
        }
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
