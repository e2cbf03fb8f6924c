package dev.runway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusExecutor;
import io.tus.java.client.TusURLStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;

/**
 * Sends a CSV as the next version of a dataset. Where the console offers tus 1.0 resumable uploads
 * ({@code /api/v1/uploads} answers OPTIONS with {@code Tus-Version}), the file goes in chunks, a dropped connection is
 * resumed from the console's offset, and an upload stopped halfway resumes when the same command is run again (the
 * upload's address is kept beside the configuration until it is done). Elsewhere it is one plain POST of the file.
 * Either way the answer is the dataset version as the API's upload answers it.
 */
final class Uploader {

    /** The header with which the console names the dataset version a finished tus upload became. */
    static final String VERSION_HEADER = "Runway-Dataset-Version-Id";
    static final int CHUNK_BYTES = 1024 * 1024;

    private final Api api;
    private final Path resumeStore;
    private final LongConsumer sent;

    /**
     * @param resumeStore where unfinished uploads' addresses are kept between runs of the command
     * @param sent told the bytes the console holds as they grow
     */
    Uploader(Api api, Path resumeStore, LongConsumer sent) {
        this.api = api;
        this.resumeStore = resumeStore;
        this.sent = sent;
    }

    /** The dataset version a file became, and whether it went by tus. */
    record Uploaded(JsonNode version, boolean resumable) {}

    /** @param force a new version even where the bytes are those of one of the dataset's versions */
    Uploaded upload(Path file, long projectId, String dataset, boolean force) throws IOException {
        if (resumable()) {
            return new Uploaded(resumably(file, projectId, dataset, force), true);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("filename", file.getFileName().toString());
        if (force) {
            query.put("force", "true");
        }
        JsonNode version = api.send(Endpoint.UPLOAD_VERSION, query, HttpRequest.BodyPublishers.ofFile(file), "text/csv",
                projectId, dataset).body();
        sent.accept(Files.size(file));
        return new Uploaded(version, false);
    }

    /** Whether the console speaks tus (a console without it answers a 404 problem). */
    boolean resumable() {
        Api.Answer answer = api.exchange(Endpoint.RESUMABLE_UPLOADS, Map.of(), HttpRequest.BodyPublishers.noBody(),
                null);
        return answer.status() < 300 && answer.headers().firstValue("Tus-Version").isPresent();
    }

    private JsonNode resumably(Path file, long projectId, String dataset, boolean force) throws IOException {
        TusClient client = new TusClient();
        client.setUploadCreationURL(url(api.uri(Endpoint.RESUMABLE_UPLOADS, Map.of()).toString()));
        client.setHeaders(Map.of("Authorization", "Bearer " + api.key, "User-Agent", Api.USER_AGENT));
        client.enableResuming(new FileStore(resumeStore));
        // A finished upload is forgotten: the same file sent again later is a new version, not the old one's answer.
        client.enableRemoveFingerprintOnSuccess();
        TusUpload upload = new TusUpload(file.toFile());
        // The same file into the same dataset resumes; anything else is a new upload.
        upload.setFingerprint(String.join("|", api.server.toString(), Long.toString(projectId), dataset,
                file.toAbsolutePath().toString(), Long.toString(upload.getSize()),
                Long.toString(Files.getLastModifiedTime(file).toMillis())));
        upload.setMetadata(Map.of("projectId", Long.toString(projectId), "dataset", dataset,
                "filename", file.getFileName().toString(), "force", Boolean.toString(force)));
        URL[] at = new URL[1];
        TusExecutor executor = new TusExecutor() {
            @Override
            protected void makeAttempt() throws ProtocolException, IOException {
                TusUploader uploader = client.resumeOrCreateUpload(upload);
                at[0] = uploader.getUploadURL();
                uploader.setChunkSize(CHUNK_BYTES);
                do {
                    sent.accept(uploader.getOffset());
                } while (uploader.uploadChunk() > -1);
                uploader.finish();
            }
        };
        try {
            executor.makeAttempts();
        } catch (ProtocolException e) {
            throw refusal(e);
        } catch (FileNotFoundException e) {
            throw new CliException("Cannot read " + file);
        }
        // The last PATCH named the version; every HEAD after it names it again.
        Api.Answer head = headOf(at[0]);
        String version = head.headers().firstValue(VERSION_HEADER)
                .orElseThrow(() -> new CliException("The console took the file but named no dataset version"));
        return api.get(Endpoint.DATASET_VERSION, Map.of(), Long.parseLong(version.strip())).path("version");
    }

    private Api.Answer headOf(URL upload) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    api.request(upload.toURI()).header("Tus-Resumable", TusClient.TUS_VERSION)
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            return new Api.Answer(response.statusCode(), response.headers(), null);
        } catch (IOException | URISyntaxException e) {
            throw new CliException("Cannot reach " + api.server + ": " + Api.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }

    /** A refusal of the console (a problem+json answer) said in its words. */
    private static CliException refusal(ProtocolException e) {
        try {
            if (e.getCausingConnection() != null) {
                int status = e.getCausingConnection().getResponseCode();
                var stream = e.getCausingConnection().getErrorStream();
                if (stream != null) {
                    return new ApiException(status, Api.JSON.readTree(stream));
                }
            }
        } catch (IOException ignored) {
            // Fall back on the tus client's own words below.
        }
        return new CliException("The upload was refused: " + Api.describe(e));
    }

    private static URL url(String text) {
        try {
            return new URL(text);
        } catch (MalformedURLException e) {
            throw new CliException("Not a URL: " + text);
        }
    }

    /** Unfinished uploads' addresses, by fingerprint, in a properties file only its owner reads. */
    private record FileStore(Path path) implements TusURLStore {

        @Override
        public void set(String fingerprint, URL url) {
            Properties p = read();
            p.setProperty(fingerprint, url.toString());
            write(p);
        }

        @Override
        public URL get(String fingerprint) {
            String url = read().getProperty(fingerprint);
            return url == null ? null : url(url);
        }

        @Override
        public void remove(String fingerprint) {
            Properties p = read();
            if (p.remove(fingerprint) != null) {
                write(p);
            }
        }

        private Properties read() {
            Properties p = new Properties();
            if (Files.isRegularFile(path)) {
                try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                    p.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return p;
        }

        private void write(Properties p) {
            try {
                Files.createDirectories(path.toAbsolutePath().getParent());
                try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
                    p.store(out, "runway upload: unfinished resumable uploads");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
