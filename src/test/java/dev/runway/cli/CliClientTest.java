package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's HTTP habits against a stand-in console (a JDK HTTP server), for what the real one does not yet do or
 * cannot be made to do on cue: paged lists, a {@code 429} before a POST succeeds, a console without tus.
 */
class CliClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private HttpServer server;
    private Path config;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.start();
        config = home.resolve("config.properties");
        Files.writeString(config, "server=http\\://localhost\\:" + server.getAddress().getPort() + "\nkey=rw_test\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void lists_are_read_whole_from_pages_and_from_bare_arrays() {
        server.createContext("/api/v1/projects", ex -> {
            seen.add(ex.getRequestURI().toString());
            String query = ex.getRequestURI().getRawQuery();
            if (ex.getRequestURI().getPath().endsWith("/models")) {
                answer(ex, 200, "[{\"id\": 8, \"version\": 1, \"stage\": \"NONE\", \"aliases\": [], \"template\": "
                        + "\"MLP\", \"runId\": 3, \"metrics\": {\"accuracy\": 0.5}}]");
            } else if (query.contains("cursor=p2")) {
                answer(ex, 200, "{\"items\": [{\"id\": 2, \"name\": \"Two\", \"tags\": []}]}");
            } else {
                answer(ex, 200, "{\"items\": [{\"id\": 1, \"name\": \"One\", \"tags\": []}], \"next\": \"p2\"}");
            }
        });

        CliTest.Ran projects = CliTest.runway(config, "projects", "--json");
        assertThat(projects.exit()).as(projects.err()).isZero();
        assertThat(projects.json().findValuesAsText("id")).containsExactly("1", "2");
        assertThat(seen.get(1)).contains("cursor=p2").contains("archived=false");

        CliTest.Ran models = CliTest.runway(config, "models", "-p", "5");
        assertThat(models.exit()).as(models.err()).isZero();
        assertThat(models.out()).contains("accuracy=0.5000");
    }

    @Test
    void a_post_retried_after_a_429_sends_the_same_idempotency_key() {
        List<String> keys = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/api/v1/projects", ex -> {
            keys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
            if (calls.incrementAndGet() == 1) {
                ex.getResponseHeaders().add("Retry-After", "1");
                answer(ex, 429, "{\"type\": \"urn:runway:problem:too-many-requests\", \"status\": 429, "
                        + "\"detail\": \"Slow down\"}");
            } else {
                answer(ex, 201, "{\"id\": 4, \"name\": \"Flowers\", \"tags\": []}");
            }
        });

        CliTest.Ran created = CliTest.runway(config, "projects", "create", "Flowers");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created project 4 “Flowers”");
        assertThat(keys).hasSize(2).doesNotContainNull();
        assertThat(keys.get(1)).isEqualTo(keys.get(0));

        // Another command is another operation: a new key.
        CliTest.runway(config, "projects", "create", "Flowers");
        assertThat(keys.get(2)).isNotEqualTo(keys.get(0));
    }

    @Test
    void an_upload_is_one_plain_post_when_the_console_offers_no_resumable_uploads() throws IOException {
        Path csv = Files.writeString(home.resolve("tiny.csv"), "x,y\n1,2\n");
        byte[][] received = new byte[1][];
        server.createContext("/api/v1/uploads", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            answer(ex, 404, "{\"type\": \"urn:runway:problem:not-found\", \"status\": 404, \"detail\": \"No\"}");
        });
        noDatasetsYet();
        server.createContext("/api/v1/projects/5/datasets/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + "?"
                    + ex.getRequestURI().getRawQuery() + " " + ex.getRequestHeaders().getFirst("Content-Type"));
            received[0] = ex.getRequestBody().readAllBytes();
            answer(ex, 201, "{\"id\": 56, \"datasetId\": 34, \"version\": 1, \"rows\": 1, \"columns\": 2}");
        });

        CliTest.Ran uploaded = CliTest.runway(config, "upload", csv.toString(), "-d", "my data", "-p", "5");
        assertThat(uploaded.exit()).as(uploaded.err()).isZero();
        assertThat(uploaded.out()).contains("Uploaded tiny.csv as version 1").contains("(dataset version 56)");
        assertThat(seen).containsExactly("OPTIONS /api/v1/uploads",
                "POST /api/v1/projects/5/datasets/my%20data/versions?filename=tiny.csv text/csv");
        assertThat(new String(received[0], StandardCharsets.UTF_8)).isEqualTo("x,y\n1,2\n");
    }

    @Test
    void an_upload_goes_by_tus_where_offered_and_resumes_after_a_dropped_connection() throws IOException {
        StringBuilder rows = new StringBuilder("x,y\n");
        for (int i = 0; rows.length() < 3 * 1024 * 1024; i++) {
            rows.append(i).append(',').append(i * 2).append('\n');
        }
        Path csv = Files.writeString(home.resolve("big.csv"), rows);
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        List<String> metadata = new CopyOnWriteArrayList<>();
        AtomicInteger patches = new AtomicInteger();
        long length = Files.size(csv);
        server.createContext("/api/v1/uploads", ex -> {
            String method = ex.getRequestHeaders().containsKey("X-HTTP-Method-Override")
                    ? ex.getRequestHeaders().getFirst("X-HTTP-Method-Override") : ex.getRequestMethod();
            seen.add(method + " " + ex.getRequestURI().getPath()
                    + (method.equals("PATCH") ? " at " + ex.getRequestHeaders().getFirst("Upload-Offset") : ""));
            ex.getResponseHeaders().add("Tus-Resumable", "1.0.0");
            switch (method) {
                case "OPTIONS" -> {
                    ex.getResponseHeaders().add("Tus-Version", "1.0.0");
                    ex.sendResponseHeaders(204, -1);
                }
                case "POST" -> {
                    metadata.add(ex.getRequestHeaders().getFirst("Upload-Metadata"));
                    ex.getResponseHeaders().add("Location", "/api/v1/uploads/u1");
                    ex.sendResponseHeaders(201, -1);
                }
                case "HEAD" -> {
                    ex.getResponseHeaders().add("Upload-Offset", Integer.toString(received.size()));
                    ex.getResponseHeaders().add("Upload-Length", Long.toString(length));
                    if (received.size() == length) {
                        ex.getResponseHeaders().add("Runway-Dataset-Version-Id", "56");
                    }
                    ex.sendResponseHeaders(200, -1);
                }
                case "PATCH" -> {
                    java.io.InputStream body = ex.getRequestBody();
                    if (patches.incrementAndGet() == 1) {
                        // The first megabyte arrives, then the connection drops.
                        received.write(body.readNBytes(1024 * 1024));
                        throw new IOException("the connection dropped");
                    }
                    received.write(body.readAllBytes());
                    ex.getResponseHeaders().add("Upload-Offset", Integer.toString(received.size()));
                    ex.sendResponseHeaders(204, -1);
                }
                default -> ex.sendResponseHeaders(405, -1);
            }
            ex.close();
        });
        noDatasetsYet();
        server.createContext("/api/v1/datasets/versions/56", ex -> answer(ex, 200, "{\"version\": {\"id\": 56, "
                + "\"datasetId\": 34, \"version\": 3, \"rows\": 9, \"columns\": 2}, \"profile\": {}}"));

        CliTest.Ran uploaded = CliTest.runway(config, "upload", csv.toString(), "-d", "big", "-p", "5", "--json");
        assertThat(uploaded.exit()).as(uploaded.err()).isZero();
        assertThat(uploaded.json().get("id").asLong()).isEqualTo(56);
        assertThat(seen).containsSubsequence("OPTIONS /api/v1/uploads", "POST /api/v1/uploads",
                "PATCH /api/v1/uploads/u1 at 0", "HEAD /api/v1/uploads/u1", "PATCH /api/v1/uploads/u1 at 1048576",
                "HEAD /api/v1/uploads/u1");
        assertThat(received.toByteArray()).isEqualTo(Files.readAllBytes(csv));
        assertThat(metadata).hasSize(1);
        assertThat(metadata.get(0)).contains("projectId " + b64("5")).contains("dataset " + b64("big"))
                .contains("filename " + b64("big.csv"));
        // Done, so forgotten: the same file again would be a new upload.
        assertThat(Files.readString(home.resolve("uploads.properties"))).doesNotContain("u1");
    }

    private static String b64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * No project is named "5" (so -p 5 is project id 5), and project 5 has no dataset yet: the client's check for
     * identical bytes finds nothing and the upload goes on.
     */
    private void noDatasetsYet() {
        server.createContext("/api/v1/projects", ex -> answer(ex, 200, "{\"items\": []}"));
        server.createContext("/api/v1/projects/5/datasets", ex -> answer(ex, 200, "{\"items\": []}"));
    }
}
