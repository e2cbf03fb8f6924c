package dev.runway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (java -jar target/quarkus-app/quarkus-run.jar, built with -Pproduction) with no database
 * configured starts its own PostgreSQL, as the container image does on a first try. The tests configure a database
 * themselves, so only this one unpacks the embedded binaries through the jar's class loaders. Run by failsafe:
 * ./mvnw verify -Pproduction -DskipTests.
 */
class PackagedEmbeddedDatabaseIT {

    @Test
    void the_packaged_jar_without_a_database_url_starts_its_embedded_postgresql_and_serves_the_console()
            throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged application (./mvnw verify -Pproduction)").exists();
        Path folder = Files.createTempDirectory("runway-packaged-");
        int port = Ports.free();
        // Health and metrics listen on a management port of their own: each node needs a free one too.
        int management = Ports.free();
        Path log = folder.resolve("node.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management,
                "-Drunway.session.secure-cookie=false",
                "-Drunway.storage.root=" + folder.resolve("storage"),
                "-Drunway.data.dir=" + folder,
                // A fresh temporary folder, as in a new container: PostgreSQL's binaries are unpacked, not reused.
                "-Djava.io.tmpdir=" + Files.createDirectories(folder.resolve("tmp")),
                "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_DATASOURCE"));
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("the node is running (see " + log + ")").isTrue();
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    Thread.sleep(250); // not listening yet
                }
            }
            assertThat(status).as("GET /login within 90 s (see " + log + ")").isEqualTo(200);
            assertThat(folder.resolve("postgres").resolve("PG_VERSION")).exists();
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
