package dev.runway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import dev.runway.testing.TusUploads;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUploader;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import me.desair.tus.server.TusFileUploadService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resumable uploads (tus 1.0) over HTTP with the tus reference client, against the real PostgreSQL: chunks, a
 * dropped connection, a restart, registration through the ordinary upload, refusals as problems, two companies, and
 * the removal of abandoned uploads.
 */
@QuarkusTest
class ResumableUploadApiTest {

    private static final int PORT = 8081;
    private static final String BASE = "http://localhost:" + PORT;
    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1 as tus clients speak it: by default Java's client first tries an h2c upgrade, and a chunked PATCH sent
    // that way took 60 s to be answered here.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Path TUS_FOLDER = Path.of("target/test-storage/tus");

    @Inject
    TenancyFixture tenancy;

    @Inject
    ProjectService projects;

    @Inject
    ApiKeyService keys;

    @Inject
    ResumableUploads uploads;

    @Inject
    TestClock clock;

    @Inject
    ApiRateLimits limits;

    @AfterEach
    void reset() {
        clock.reset();
        limits.use(null);
    }

    /** A company with a project and an engineer's key. */
    record Company(TenancyFixture.Company company, long projectId, String key) {
        Map<String, String> into(String dataset) {
            return Map.of("projectId", Long.toString(projectId), "dataset", dataset);
        }
    }

    private Company company() {
        TenancyFixture.Company company = tenancy.company();
        long project = as(company.owner(), () -> projects.create(new ProjectService.ProjectForm(
                "Uploads " + TenancyFixture.unique(), "", "", true)).getId());
        return new Company(company, project, key(company.owner(), Role.ENGINEER));
    }

    @Test
    void a_csv_sent_in_chunks_survives_a_dropped_connection_and_becomes_a_dataset_version() throws Exception {
        Company c = company();
        Path file = csv(3000);
        long size = Files.size(file);
        assertThat(size).isGreaterThan(100_000);

        URL url;
        try (TusUploads.DroppingProxy proxy = new TusUploads.DroppingProxy(PORT, size / 2)) {
            TusClient client = TusUploads.client(proxy.port(), c.key());
            TusUploader uploader = client.createUpload(TusUploads.upload(file, c.into("wide")));
            url = uploader.getUploadURL();
            uploader.setChunkSize(4096);
            uploader.setRequestPayloadSize(32 * 1024);
            assertThatThrownBy(() -> {
                while (uploader.uploadChunk() > -1) {
                    // sends until the proxy cuts the connection
                }
            }).isInstanceOfAny(IOException.class, ProtocolException.class);
            assertThat(proxy.drops()).isEqualTo(1);
        }

        // What arrived before the drop is kept: the server reports it once it has seen the old request end.
        long[] offset = new long[1];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<Void> head = TusUploads.head(PORT, c.key(), url);
            assertThat(head.statusCode()).isEqualTo(204);
            offset[0] = head.headers().firstValueAsLong("Upload-Offset").orElseThrow();
        });
        assertThat(offset[0]).isPositive().isLessThan(size);
        assertThat(TusUploads.head(PORT, c.key(), url).headers().firstValueAsLong("Upload-Length")).hasValue(size);

        // The client resumes from there (HEAD, then PATCH from the offset), straight to the server this time.
        TusUploads.Result done = TusUploads.resume(PORT, c.key(), file, c.into("wide"), url, 32 * 1024);
        assertThat(done.uploadUrl().getPath()).as("the same upload, resumed").isEqualTo(url.getPath());
        long version = done.datasetVersionId();
        assertThat(version).isPositive();

        JsonNode json = get("/api/v1/datasets/versions/" + version, c.key()).get("version");
        assertThat(json.get("rows").asLong()).isEqualTo(3000);
        assertThat(json.get("sizeBytes").asLong()).isEqualTo(size);
        assertThat(json.get("sha256").asText()).isEqualTo(sha256(file));
        assertThat(json.get("filename").asText()).isEqualTo(file.getFileName().toString());
        // Registered once, and its partial bytes are gone (they are in the content store now).
        assertThat(TusUploads.versionOf(PORT, c.key(), url)).isEqualTo(version);
        assertThat(TUS_FOLDER.resolve("uploads").resolve(id(url))).doesNotExist();
        JsonNode dataset = get("/api/v1/datasets/" + json.get("datasetId").asLong(), c.key());
        assertThat(dataset.get("name").asText()).isEqualTo("wide");
        assertThat(dataset.get("versions")).hasSize(1);
    }

    @Test
    void an_upload_begun_before_a_restart_is_finished_after_it() throws Exception {
        Company c = company();
        Path file = csv(2000);
        TusClient client = TusUploads.client(PORT, c.key());
        TusUploader first = client.createUpload(TusUploads.upload(file, c.into("restarted")));
        first.setRequestPayloadSize(40 * 1024);
        first.uploadChunk();
        while (first.getOffset() < 40 * 1024) {
            first.uploadChunk();
        }
        URL url = first.getUploadURL();
        assertThat(TUS_FOLDER.resolve("uploads").resolve(id(url))).as("state on disk under the storage root")
                .isDirectory();

        // The node restarts: the service and its tus state in memory are thrown away and built anew.
        TusFileUploadService before = uploads.tus();
        InjectableBean<ResumableUploads> bean = Arc.container().instance(ResumableUploads.class).getBean();
        Arc.container().getActiveContext(ApplicationScoped.class).destroy(bean);
        assertThat(uploads.tus()).isNotSameAs(before);

        TusClient after = TusUploads.client(PORT, c.key());
        TusUploader resumed = after.beginOrResumeUploadFromURL(TusUploads.upload(file, c.into("restarted")), url);
        assertThat(resumed.getOffset()).isEqualTo(40 * 1024);
        while (resumed.uploadChunk() > -1) {
            // the rest
        }
        resumed.finish();
        long version = TusUploads.versionOf(PORT, c.key(), url);
        assertThat(get("/api/v1/datasets/versions/" + version, c.key()).get("version").get("sha256").asText())
                .isEqualTo(sha256(file));
    }

    @Test
    void a_bad_file_gets_the_uploads_refusal_and_nothing_of_it_is_kept() throws Exception {
        Company c = company();
        Path file = Files.createTempFile("ragged", ".csv");
        Files.writeString(file, "x,y\n1,2\n3\n");
        TusUploader uploader = TusUploads.client(PORT, c.key()).createUpload(TusUploads.upload(file,
                Map.of("projectId", Long.toString(c.projectId()), "dataset", "ragged", "filename", "ragged.csv")));
        while (uploader.uploadChunk() > -1) {
            // the whole file
        }
        assertThatThrownBy(uploader::finish).isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).getCausingConnection().getResponseCode())
                        .isEqualTo(400));
        // The last PATCH's answer is the upload's refusal, word for word: the file's name and the line.
        HttpResponse<String> again = patch(uploader.getUploadURL(), c.key(), 0, "");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(TusUploads.head(PORT, c.key(), uploader.getUploadURL()).statusCode()).isEqualTo(404);
        assertThat(TUS_FOLDER.resolve("uploads").resolve(id(uploader.getUploadURL()))).doesNotExist();

        // The same refusal as a plain upload of the same bytes.
        HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/projects/"
                        + c.projectId() + "/datasets/ragged/versions?filename=ragged.csv"))
                .header("Authorization", "Bearer " + c.key()).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("x,y\n1,2\n3\n")).build(), HttpResponse.BodyHandlers.ofString());
        String refusal = JSON.readTree(plain.body()).get("detail").asText();
        assertThat(refusal).startsWith("“ragged.csv”: ").contains("Line 3");
        HttpResponse<String> viaTus = finishRagged(c);
        assertThat(viaTus.statusCode()).isEqualTo(400);
        assertThat(viaTus.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));
        assertThat(JSON.readTree(viaTus.body()).get("detail").asText()).isEqualTo(refusal);
        assertThat(JSON.readTree(viaTus.body()).get("errors").get(0).get("field").asText()).isEqualTo("file");
    }

    @Test
    void refusals_before_a_byte_is_stored_are_problems_naming_the_field() throws Exception {
        Company c = company();
        Company other = company();
        String viewer = key(c.company().owner(), Role.VIEWER);
        String meta = metadata(c.into("iris"));
        long folders = uploadFolders();

        assertProblem(create(null, meta, 10), 401, "unauthorized");
        assertProblem(create("rw_nothing_here", meta, 10), 401, "unauthorized");
        assertProblem(create(viewer, meta, 10), 403, "forbidden");
        assertField(create(c.key(), metadata(Map.of("dataset", "iris")), 10), 400, "projectId");
        assertField(create(c.key(), metadata(Map.of("projectId", "twelve", "dataset", "iris")), 10), 400,
                "projectId");
        assertField(create(c.key(), metadata(Map.of("projectId", Long.toString(c.projectId()))), 10), 400, "dataset");
        assertProblem(create(c.key(), metadata(other.into("iris")), 10), 404, "not-found");
        HttpResponse<String> tooLarge = create(c.key(), meta, 200L * 1024 * 1024 + 1);
        assertField(tooLarge, 413, "file");
        assertThat(JSON.readTree(tooLarge.body()).get("detail").asText())
                .isEqualTo("“iris.csv”: The file is larger than the limit of 200 MB; split it or ask an admin to "
                        + "raise the limit");
        assertThat(uploadFolders()).as("nothing stored of a refused upload").isEqualTo(folders);

        // Another company's upload is not found, whatever the method; its owner's upload is untouched.
        HttpResponse<String> created = create(c.key(), meta, 10);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        URL url = new URL(new URL(BASE), created.headers().firstValue("Location").orElseThrow());
        assertThat(url.getPath()).startsWith("/api/v1/uploads/");
        assertThat(TusUploads.head(PORT, other.key(), url).statusCode()).isEqualTo(404);
        assertProblem(patch(url, other.key(), 0, "a,b\n"), 404, "not-found");
        assertThat(TusUploads.head(PORT, c.key(), url).headers().firstValueAsLong("Upload-Offset")).hasValue(0);
        assertProblem(patch(URI.create(BASE + "/api/v1/uploads/no-such-upload").toURL(), c.key(), 0, "a"), 404,
                "not-found");
        // tus' own refusals are problems too: a PATCH at the wrong offset.
        assertProblem(patch(url, c.key(), 3, "a,b\n"), 409, "conflict");

        // A viewer's key may look but not write, whatever X-HTTP-Method-Override says (tus ignores an override that
        // names no method, so such a request is the PATCH or DELETE it is sent as).
        for (String method : List.of("PATCH", "DELETE")) {
            HttpResponse<String> disguised = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + url.getPath()))
                    .header("Authorization", "Bearer " + viewer).header("Tus-Resumable", "1.0.0")
                    .header("X-HTTP-Method-Override", "LOOK").header("Upload-Offset", "0")
                    .header("Content-Type", "application/offset+octet-stream")
                    .method(method, HttpRequest.BodyPublishers.ofString("a,b\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertProblem(disguised, 403, "forbidden");
        }
        assertThat(TusUploads.head(PORT, c.key(), url).headers().firstValueAsLong("Upload-Offset")).hasValue(0);
    }

    @Test
    void uploads_untouched_for_a_day_are_removed_and_others_stay() throws Exception {
        Company c = company();
        String meta = metadata(c.into("abandoned"));
        URL abandoned = location(create(c.key(), meta, 100));
        URL active = location(create(c.key(), meta, 100));
        assertThat(patch(abandoned, c.key(), 0, "a,b\n").statusCode()).isEqualTo(204);

        clock.advance(Duration.ofHours(23));
        assertThat(patch(active, c.key(), 0, "a,b\n").statusCode()).isEqualTo(204);
        uploads.removeAbandoned();
        assertThat(TusUploads.head(PORT, c.key(), abandoned).statusCode()).as("23 h: kept").isEqualTo(204);

        clock.advance(Duration.ofHours(2));
        uploads.removeAbandoned();
        assertThat(TusUploads.head(PORT, c.key(), abandoned).statusCode()).as("25 h: removed").isEqualTo(404);
        assertThat(TUS_FOLDER.resolve("uploads").resolve(id(abandoned))).doesNotExist();
        assertThat(TusUploads.head(PORT, c.key(), active).headers().firstValueAsLong("Upload-Offset"))
                .as("touched 2 h ago: kept with its bytes").hasValue(4);
    }

    @Test
    void a_patchs_bytes_count_against_the_keys_upload_rate_declared_or_chunked() throws Exception {
        Company c = company();
        URL declared = location(create(c.key(), metadata(c.into("rated")), 100_000));
        URL chunked = location(create(c.key(), metadata(c.into("rated")), 100_000));
        limits.use(new ApiRateLimits.Limits(1000, 1000, 100, 1000));

        assertThat(patch(declared, c.key(), 0, "a".repeat(900)).statusCode()).isEqualTo(204);
        HttpResponse<String> refused = patch(declared, c.key(), 900, "a".repeat(900));
        assertProblem(refused, 429, "rate-limited");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 9L);
        assertThat(TusUploads.head(PORT, c.key(), declared).headers().firstValueAsLong("Upload-Offset"))
                .as("nothing of the refused PATCH was read").hasValue(900);

        // A chunked body (as tus clients send) is counted as it is read: it passes, and the next request waits.
        limits.use(new ApiRateLimits.Limits(1000, 1000, 100, 1000));
        HttpResponse<String> streamed = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + chunked.getPath()))
                .header("Authorization", "Bearer " + c.key()).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        new byte[5000]))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(204);
        assertThat(streamed.headers().firstValueAsLong("Upload-Offset")).hasValue(5000);
        assertProblem(patch(chunked, c.key(), 5000, "a"), 429, "rate-limited");
    }

    @Test
    void the_openapi_document_names_the_tus_endpoint() throws Exception {
        JsonNode doc = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/q/openapi?format=json"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(doc.at("/paths/~1api~1v1~1uploads").has("post")).isTrue();
        assertThat(doc.at("/paths/~1api~1v1~1uploads/post/parameters").findValuesAsText("name"))
                .contains("Upload-Length", "Upload-Metadata");
        JsonNode upload = doc.at("/paths/~1api~1v1~1uploads~1{uploadId}");
        assertThat(upload.has("head") && upload.has("patch") && upload.has("delete")).as(upload.toString()).isTrue();
        assertThat(doc.at("/components/responses/UploadState/headers").has("Runway-Dataset-Version-Id")).isTrue();
        assertThat(doc.at("/components/schemas/Problem").isMissingNode()).isFalse();
    }

    private HttpResponse<String> finishRagged(Company c) throws Exception {
        byte[] body = "x,y\n1,2\n3\n".getBytes(StandardCharsets.UTF_8);
        URL url = location(create(c.key(), metadata(Map.of("projectId", Long.toString(c.projectId()), "dataset",
                "ragged", "filename", "ragged.csv")), body.length));
        return patch(url, c.key(), 0, new String(body, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> create(String key, String metadata, long length) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + TusUploads.CREATION_PATH))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", metadata).POST(HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> patch(URL url, String key, long offset, String bytes) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + url.getPath()))
                .header("Authorization", "Bearer " + key).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URL location(HttpResponse<String> created) throws IOException {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new URL(new URL(BASE), created.headers().firstValue("Location").orElseThrow());
    }

    private static String metadata(Map<String, String> values) {
        StringBuilder header = new StringBuilder();
        values.forEach((k, v) -> header.append(header.length() == 0 ? "" : ",").append(k).append(' ')
                .append(java.util.Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return header.toString();
    }

    private static JsonNode get(String path, String key) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void assertProblem(HttpResponse<String> reply, int status, String kind) throws IOException {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
        assertThat(reply.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(reply.body());
        assertThat(problem.get("type").asText()).as(reply.body()).isEqualTo("urn:runway:problem:" + kind);
        assertThat(problem.path("detail").asText()).as(reply.body()).isNotBlank();
    }

    private static void assertField(HttpResponse<String> reply, int status, String field) throws IOException {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
        assertThat(JSON.readTree(reply.body()).get("errors").findValuesAsText("field")).containsExactly(field);
    }

    private static long uploadFolders() throws IOException {
        Path folder = TUS_FOLDER.resolve("uploads");
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var entries = Files.list(folder)) {
            return entries.count();
        }
    }

    private static String id(URL url) {
        String path = url.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** A CSV of {@code rows} rows and 20 numeric columns, generated here. */
    private static Path csv(int rows) throws IOException {
        Path file = Files.createTempFile("wide-" + TenancyFixture.unique(), ".csv");
        Files.writeString(file, dev.runway.testing.WideCsv.of(20, rows));
        file.toFile().deleteOnExit();
        return file;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private String key(Actor actor, Role role) {
        return as(actor, () -> keys.create("key " + TenancyFixture.unique(), role, null)).key();
    }

    private static <T> T as(Actor actor, java.util.function.Supplier<T> work) {
        return TenantContext.runAs(actor, work);
    }
}
