package dev.runway.dataset;

import static dev.runway.testing.Acting.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.api.ApiKeyService;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Role;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Upload benchmark (not a test: its name keeps it out of surefire's default run). A CSV of 1 M rows × 12 columns
 * (106 MB) is uploaded through the HTTP API of this freshly started server (the first upload after start included):
 * three raw-body uploads, then one multipart; each is staged to disk with SHA-256 and the size cap, profiled, stored
 * content-addressed and recorded as a version. Peers from the same run: the same file through the service's path
 * without HTTP, and through the path before this change (stage to disk, then profile the file). How to run and the
 * figures measured: docs/benchmarks.md.
 */
@QuarkusTest
public class DatasetUploadBenchmark {

    private static final String BASE = "http://localhost:8081";
    private static final long CAP = 200L * 1024 * 1024;

    @Inject
    TenancyFixture tenancy;

    @Inject
    ProjectService projects;

    @Inject
    ApiKeyService keys;

    @Inject
    ContentStore store;

    @Test
    void uploads() throws Exception {
        int rows = Integer.getInteger("upload.rows", 1_000_000);
        Path dir = Files.createTempDirectory("runway-bench");
        Path csv = dir.resolve("bench.csv");
        generate(csv, rows);
        long size = Files.size(csv);
        TenancyFixture.Company company = tenancy.company();
        long project = as(company.owner(), () -> projects.create(
                new ProjectService.ProjectForm("Uploads " + TenancyFixture.unique(), "", "", false)).getId());
        String key = as(company.owner(), () -> keys.create("bench", Role.ENGINEER, null)).key();
        // The same bytes each time: force=true adds each as a new version (else the first would be kept).
        String path = "/api/v1/projects/" + project + "/datasets/bench/versions?force=true";
        HttpClient http = HttpClient.newHttpClient();
        System.out.printf(Locale.ENGLISH, "file: %,d rows x 12 columns, %.1f MB; load average %s%n", rows, size / 1e6,
                Files.readString(Path.of("/proc/loadavg")).trim());

        List<String> lines = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(BASE + path + "&filename=b.csv"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "text/csv")
                    .POST(BodyPublishers.ofFile(csv)).build(), HttpResponse.BodyHandlers.ofString());
            lines.add(line("API, raw body, upload " + run + (run == 1 ? " (first after start)" : ""), size,
                    System.nanoTime() - start));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        }
        String boundary = "runway-bench-" + TenancyFixture.unique();
        long start = System.nanoTime();
        HttpResponse<String> multipart = http.send(HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(BodyPublishers.concat(
                        BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
                                + "filename=\"b.csv\"\r\nContent-Type: text/csv\r\n\r\n"),
                        BodyPublishers.ofFile(csv), BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
                .build(), HttpResponse.BodyHandlers.ofString());
        lines.add(line("API, multipart (spooled to disk by the HTTP layer first)", size, System.nanoTime() - start));
        assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(201);

        for (int run = 1; run <= 2; run++) {
            start = System.nanoTime();
            try (InputStream in = Files.newInputStream(csv)) {
                ContentStore.Read<CsvProfile> read = store.stage(in, CAP, CsvProfiler::profile);
                assertThat(read.result().rows()).isEqualTo(rows);
                store.commit(read.staged());
            }
            lines.add(line("peer: service path without HTTP (stage while profiling), " + run, size,
                    System.nanoTime() - start));
        }
        for (int run = 1; run <= 2; run++) {
            start = System.nanoTime();
            ContentStore.Staged staged;
            try (InputStream in = Files.newInputStream(csv)) {
                staged = store.stage(in, CAP);
            }
            long staging = System.nanoTime() - start;
            assertThat(CsvProfiler.profile(staged.file()).rows()).isEqualTo(rows);
            store.commit(staged);
            long total = System.nanoTime() - start;
            lines.add(line("peer: before (stage " + String.format(Locale.ENGLISH, "%.2f", staging / 1e9)
                    + " s, then profile the file), " + run, size, total));
        }
        System.out.printf(Locale.ENGLISH, "%n| upload | seconds | MB/s |%n| --- | --- | --- |%n");
        lines.forEach(System.out::println);
        System.out.printf(Locale.ENGLISH, "load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String line(String what, long bytes, long nanos) {
        return String.format(Locale.ENGLISH, "| %s | %.2f | %.1f |", what, nanos / 1e9, bytes / 1e6 / (nanos / 1e9));
    }

    /** Eight numeric columns, two categorical, one id, one short text: a typical tabular export. */
    private static void generate(Path csv, int rows) throws IOException {
        Random random = new Random(42);
        String[] regions = {"north", "south", "east", "west", "central"};
        String[] plans = {"free", "team", "enterprise"};
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write("id,age,income,balance,score,tenure,visits,spend,ratio,region,plan,comment\n");
            StringBuilder line = new StringBuilder(128);
            for (int i = 0; i < rows; i++) {
                line.setLength(0);
                line.append(i).append(',')
                        .append(18 + random.nextInt(60)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.4f", 20000 + random.nextGaussian() * 8000)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.4f", random.nextGaussian() * 1000)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.6f", random.nextDouble())).append(',')
                        .append(random.nextInt(120)).append(',')
                        .append(random.nextInt(50)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.4f", random.nextDouble() * 500)).append(',')
                        .append(String.format(Locale.ENGLISH, "%.6f", random.nextDouble())).append(',')
                        .append(regions[random.nextInt(regions.length)]).append(',')
                        .append(plans[random.nextInt(plans.length)]).append(',')
                        .append(random.nextInt(10) == 0 ? "" : "customer note " + random.nextInt(1000) + " about the plan").append('\n');
                out.write(line.toString());
            }
        }
    }

}
