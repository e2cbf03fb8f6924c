package dev.runway.testing;

import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resumable uploads from a test with the tus reference client for Java (tus-java-client), through a proxy that can
 * cut a connection mid-upload the way a flaky network does: the client's bytes stop and both ends see the connection
 * reset.
 */
public final class TusUploads {

    public static final String CREATION_PATH = "/api/v1/uploads";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TusUploads() {}

    /** What a finished upload became and how it went. */
    public record Result(URL uploadUrl, long datasetVersionId, int attempts, int drops) {}

    /**
     * Uploads {@code file} through a proxy that cuts the connection once, after {@code dropAfterBytes} bytes have
     * gone towards the server (0: never), and resumes after each failure (a dropped connection, or 423 while the
     * server has not yet seen the old request end), as a client should.
     */
    public static Result upload(int port, String key, Path file, Map<String, String> metadata, long dropAfterBytes,
            int bytesPerRequest) throws IOException {
        try (DroppingProxy proxy = new DroppingProxy(port, dropAfterBytes)) {
            TusClient client = client(proxy.port(), key);
            return send(port, key, bytesPerRequest, () -> client.resumeOrCreateUpload(upload(file, metadata)),
                    proxy);
        }
    }

    /** Resumes the upload at {@code url} (straight to the server) and sends the rest, as {@link #upload} does. */
    public static Result resume(int port, String key, Path file, Map<String, String> metadata, URL url,
            int bytesPerRequest) throws IOException {
        TusClient client = client(port, key);
        URL direct = new URL("http://localhost:" + port + url.getPath());
        return send(port, key, bytesPerRequest, () -> client.beginOrResumeUploadFromURL(upload(file, metadata),
                direct), null);
    }

    /** How the client begins (or resumes) an upload on each attempt. */
    @FunctionalInterface
    private interface Begin {
        TusUploader begin() throws IOException, ProtocolException;
    }

    private static Result send(int port, String key, int bytesPerRequest, Begin begin, DroppingProxy proxy)
            throws IOException {
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                TusUploader uploader = begin.begin();
                uploader.setChunkSize(4096);
                uploader.setRequestPayloadSize(bytesPerRequest);
                while (uploader.uploadChunk() > -1) {
                    // keep sending
                }
                uploader.finish();
                return new Result(uploader.getUploadURL(), versionOf(port, key, uploader.getUploadURL()), attempts,
                        proxy == null ? 0 : proxy.drops());
            } catch (ProtocolException e) {
                if (!e.shouldRetry() || attempts > 20) {
                    throw new IOException("The upload was refused: " + e.getMessage(), e);
                }
                pause();
            } catch (IOException e) {
                if (attempts > 20) {
                    throw e;
                }
                pause();
            }
        }
    }

    /** A client that sends the key on every request, remembering uploads in memory to resume them. */
    public static TusClient client(int port, String key) throws IOException {
        TusClient client = new TusClient();
        client.setUploadCreationURL(new URL("http://localhost:" + port + CREATION_PATH));
        client.setHeaders(Map.of("Authorization", "Bearer " + key));
        client.enableResuming(new TusURLMemoryStore());
        return client;
    }

    /** The file with its metadata; {@code filename} is the file's own name unless the metadata names another. */
    public static TusUpload upload(Path file, Map<String, String> metadata) throws IOException {
        TusUpload upload = new TusUpload(file.toFile());
        Map<String, String> all = new HashMap<>(Map.of("filename", file.getFileName().toString()));
        all.putAll(metadata);
        upload.setMetadata(all);
        return upload;
    }

    /** HEAD on the upload (straight to the server): its status and headers. */
    public static HttpResponse<Void> head(int port, String key, URL uploadUrl) {
        URI uri = URI.create("http://localhost:" + port + uploadUrl.getPath());
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + key).header("Tus-Resumable", "1.0.0").build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The dataset version a finished upload became (the Runway-Dataset-Version-Id header of a HEAD), or -1. */
    public static long versionOf(int port, String key, URL uploadUrl) {
        return head(port, key, uploadUrl).headers().firstValueAsLong("Runway-Dataset-Version-Id").orElse(-1);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TCP proxy to the test server on localhost. Armed with a byte count, it resets the connection that carries the
     * client's bytes past it (both sides, no orderly close), once; every other connection passes untouched.
     */
    public static final class DroppingProxy implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final AtomicLong toServer = new AtomicLong();
        private final AtomicLong dropAfter;
        private final AtomicInteger drops = new AtomicInteger();

        public DroppingProxy(int target, long dropAfterBytes) throws IOException {
            this.target = target;
            this.dropAfter = new AtomicLong(dropAfterBytes <= 0 ? Long.MAX_VALUE : dropAfterBytes);
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "tus-test-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        public int port() {
            return server.getLocalPort();
        }

        /** How many connections it has cut. */
        public int drops() {
            return drops.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    pump(client, upstream, true);
                    pump(upstream, client, false);
                } catch (IOException e) {
                    return;   // closed
                }
            }
        }

        private void pump(Socket from, Socket to, boolean towardsServer) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (towardsServer) {
                            long before = toServer.getAndAdd(n);
                            long limit = dropAfter.get();
                            if (before + n > limit && dropAfter.compareAndSet(limit, Long.MAX_VALUE)) {
                                out.write(buffer, 0, (int) Math.max(0, limit - before));
                                out.flush();
                                drops.incrementAndGet();
                                reset(from);
                                reset(to);
                                return;
                            }
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                    to.shutdownOutput();
                } catch (IOException e) {
                    reset(from);
                    reset(to);
                }
            }, "tus-test-proxy-pump");
            thread.setDaemon(true);
            thread.start();
        }

        private static void reset(Socket socket) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
