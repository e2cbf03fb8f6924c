package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.runway.EmbeddedDatabase;
import dev.runway.testing.Ports;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The graceful drain with two processes of the packaged application (built with -Pproduction) on one PostgreSQL:
 * a real DJL training runs on one node, which gets SIGTERM mid-epoch ({@link Process#destroy}); the other node must
 * resume it at the batch where it stopped, at once, as no restart, with nothing lost and nothing billed twice. Run by
 * failsafe: ./mvnw verify -Pproduction -DskipTests -Dit.test=DrainIT.
 */
class DrainIT {

    /** What the manifests give a pod between SIGTERM and SIGKILL (terminationGracePeriodSeconds); the default. */
    static final Duration GRACE_PERIOD = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static EmbeddedDatabase database;
    static Path folder;
    static final List<Node> NODES = new ArrayList<>();

    record Node(String name, int port, int management, Process process, Path log) {
        String url(String path) {
            return "http://localhost:" + port + "/" + path;
        }

        String executor() {
            return name + "-" + process.pid();
        }
    }

    @BeforeAll
    static void twoNodes() throws Exception {
        folder = Files.createTempDirectory("runway-drain-");
        database = EmbeddedDatabase.start(folder.resolve("postgres"), true, true);
        // One node first: it migrates the schema; the second then finds it done.
        NODES.add(start("node-a"));
        NODES.add(start("node-b"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Node node : NODES) {
            node.process().destroy();
            if (!node.process().waitFor(30, TimeUnit.SECONDS)) {
                node.process().destroyForcibly();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    private static Node start(String name) throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged application (./mvnw verify -Pproduction)").exists();
        int port = Ports.free();
        int management = Ports.free();
        Path log = folder.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (Map.Entry<String, String> setting : database.quarkusSettings().entrySet()) {
            command.add("-D" + setting.getKey() + "=" + setting.getValue());
        }
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management,
                "-Drunway.node.name=" + name,
                "-Drunway.executor.slots=1",
                "-Drunway.public-url=http://localhost:" + port,
                "-Drunway.session.secure-cookie=false",
                "-Drunway.storage.root=" + folder.resolve("storage"),
                "-Drunway.data.dir=" + folder.resolve(name),
                "-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Node node = new Node(name, port, management, process, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as(name + " is running (see " + log + ")").isTrue();
            if (Files.readString(log).contains("Run executor " + node.executor() + " started")) {
                return node;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not start within 90 s; see " + log);
    }

    @Test
    void a_run_on_a_node_that_gets_sigterm_resumes_on_the_other_at_once_with_nothing_lost_or_billed_twice()
            throws Exception {
        DataSource db = database.superuserDataSource();
        Node a = NODES.get(0);
        String key = seedCompany(db);
        long project = single(db, "select id from project where name = ?", "Drain " + suffix);
        String upload = send(HttpRequest.newBuilder(URI.create(a.url("api/v1/projects/" + project
                        + "/datasets/digits/versions?filename=digits.csv")))
                .header("Authorization", "Bearer " + key).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(Path.of("samples", "digits.csv"))).build());
        long version = id(upload);
        // Preparation.defaults("digit", pixel_0..63, CLASSIFICATION), as the sample project saves it.
        String features = IntStream.range(0, 64).mapToObj(i -> "\"pixel_" + i + "\"").collect(Collectors.joining(","));
        update(db, "update dataset_version set preparation = '{\"target\":\"digit\",\"features\":[" + features
                + "],\"task\":\"CLASSIFICATION\",\"trainRatio\":0.7,\"validationRatio\":0.1,\"testRatio\":0.2,"
                + "\"seed\":42,\"missingValues\":\"IMPUTE\",\"standardize\":true}' where id = " + version);
        String started = send(HttpRequest.newBuilder(URI.create(a.url("api/v1/runs")))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"datasetVersionId\":" + version + ",\"template\":"
                        + "\"MLP\",\"device\":\"cpu\",\"hyperparameters\":{\"epochs\":10,\"hiddenLayers\":[256,256],"
                        + "\"batchSize\":4,\"earlyStoppingPatience\":0}}"))
                .build());
        long run = id(started);

        // After at least one epoch's checkpoint (progress is written once a second, so somewhere in an epoch of
        // ~300 batches): SIGTERM the node that runs it.
        Node victim = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (victim == null) {
            assertThat(System.nanoTime()).as("run " + run + " reached epoch 2").isLessThan(deadline);
            Object[] row = row(db, "select status, worker, epoch from run where id = " + run);
            assertThat(row[0]).as("run " + run).isIn("QUEUED", "RUNNING");
            if ("RUNNING".equals(row[0]) && ((Number) row[2]).intValue() >= 2) {
                victim = NODES.stream().filter(n -> n.executor().equals(row[1])).findFirst().orElseThrow();
            } else {
                Thread.sleep(20);
            }
        }
        Node victimNode = victim;
        Node survivor = NODES.stream().filter(n -> n != victimNode).findFirst().orElseThrow();
        ReadinessWatch readiness = ReadinessWatch.start(victim);
        long sigterm = System.nanoTime();
        readiness.sigtermNow();
        victim.process().destroy();
        assertThat(victim.process().waitFor(GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS))
                .as(victim.name() + " exits within the grace period").isTrue();
        long exitMillis = (System.nanoTime() - sigterm) / 1_000_000;
        readiness.stop();

        awaitStatus(db, run, "SUCCEEDED", Duration.ofSeconds(180));
        Object[] finished = row(db, "select attempt, restarts, lost_seconds, worker, started_at, finished_at, "
                + "last_checkpoint_batch from run where id = " + run);
        assertThat(((Number) finished[0]).intValue()).as("attempts").isEqualTo(2);
        assertThat(((Number) finished[1]).intValue()).as("restarts: a drain is no crash").isZero();
        assertThat(((Number) finished[2]).doubleValue()).as("lost seconds").isZero();
        assertThat(finished[3]).as("finished by the other node").isEqualTo(survivor.executor());
        assertThat(finished[6]).as("its last checkpoint is the last epoch's").isNull();

        // The hand-over: attempt 1 metered up to its mid-epoch checkpoint, attempt 2 from its resume.
        List<Object[]> segments = rows(db, "select idempotency_key, quantity, window_start, window_end "
                + "from usage_event where run_id = " + run + " order by window_start");
        Instant handedOver = segments.stream().filter(s -> ((String) s[0]).startsWith("run:" + run + ":1:"))
                .map(s -> ((Timestamp) s[3]).toInstant()).max(Instant::compareTo).orElseThrow();
        Instant resumed = ((Timestamp) row(db, "select attempt_started_at from run where id = " + run)[0])
                .toInstant();
        long handOverMillis = Duration.between(handedOver, resumed).toMillis();
        String resumedLine = (String) row(db, "select line from run_log where run_id = " + run
                + " and line like 'Resumed from the checkpoint%'")[0];
        String stoppedLine = (String) row(db, "select line from run_log where run_id = " + run
                + " and line like 'Stopped in epoch%'")[0];

        // Billing: the segments tile the run's life but for the hand-over gap: nothing twice, nothing lost. Each
        // quantity is its window in whole milliseconds, so the sums may differ by under a millisecond a segment.
        BigDecimal billed = BigDecimal.ZERO;
        Instant previousEnd = null;
        for (Object[] s : segments) {
            Instant from = ((Timestamp) s[2]).toInstant();
            Instant to = ((Timestamp) s[3]).toInstant();
            assertThat(((BigDecimal) s[1]).doubleValue()).as("segment " + s[0])
                    .isCloseTo(Duration.between(from, to).toNanos() / 1e9, within(0.001));
            if (previousEnd != null) {
                assertThat(from).as("segment " + s[0] + " starts where the previous one ended, or at the resume")
                        .isIn(previousEnd, resumed);
            }
            previousEnd = to;
            billed = billed.add((BigDecimal) s[1]);
        }
        Instant runStarted = ((Timestamp) finished[4]).toInstant();
        Instant runFinished = ((Timestamp) finished[5]).toInstant();
        BigDecimal work = BigDecimal.valueOf(Duration.between(runStarted, runFinished).toMillis()
                - Duration.between(handedOver, resumed).toMillis(), 3);
        assertThat(billed.doubleValue()).as("billed compute = the work's time")
                .isCloseTo(work.doubleValue(), within(0.001 * segments.size()));
        assertThat(segments.get(0)[2]).as("billing starts with the run").isEqualTo(finished[4]);

        String drainLine = Files.readAllLines(victim.log()).stream().filter(l -> l.contains("drained in"))
                .findFirst().orElse("(no drain line)");
        System.out.printf("Drain: SIGTERM to %s, %s; the process exited %d ms after SIGTERM (grace period %d s)%n",
                victim.name(), drainLine.replaceAll(".*(drained in \\d+ ms).*", "$1"), exitMillis,
                GRACE_PERIOD.toSeconds());
        System.out.printf("Drain: %s; hand-over -> resumed on %s: %d ms; %s%n", stoppedLine, survivor.name(),
                handOverMillis, resumedLine.replaceAll("\\. The optimizer.*", ""));
        System.out.printf("Drain: readiness of %s while it drained: %s%n", victim.name(), readiness.summary());
        System.out.printf("Drain: billed %s s of CPU in %d segments = %s s of work (run %s s, hand-over gap %d ms); "
                + "lost 0 s, restarts 0%n", billed, segments.size(), work,
                Duration.between(runStarted, runFinished).toMillis() / 1000.0, handOverMillis);

        // It stops at its next batch: mid-epoch (nearly always) it checkpoints there; at an epoch's first batch the
        // epoch's checkpoint is that point.
        assertThat(stoppedLine).containsAnyOf("checkpoint written at batch", "before batch 1 of");
        assertThat(handOverMillis).as("hand-over -> resume (ms)").isBetween(0L, 2000L);
        // Once not ready after SIGTERM the node never is again. Quarkus closes its management port as its shutdown
        // begins, before the drain (a ShutdownEvent observer) runs, so probes get no answer rather than the drain's
        // DOWN; HealthAndMetricsTest shows that DOWN on a node whose drain starts while it still serves.
        assertThat(readiness.upAgain()).as("readiness UP again after SIGTERM: " + readiness.summary()).isZero();
        assertThat(readiness.firstNotUpMillis).as("not ready soon after SIGTERM").isBetween(0L, 1000L);
    }

    /**
     * Polls a node's readiness from another thread until the process is gone, counting the answers after SIGTERM by
     * kind: UP, DOWN naming the drain, another status, or no answer (refused: the port already closed).
     */
    static final class ReadinessWatch implements Runnable {
        private final Node node;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger up = new AtomicInteger();
        /** UP answers after the node had once answered otherwise (or not at all) since SIGTERM. */
        private final AtomicInteger upAgain = new AtomicInteger();
        private volatile long firstNotUpMillis = -1;
        private final AtomicInteger draining = new AtomicInteger();
        private final Map<String, Integer> other = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile long firstDrainingMillis = -1;
        private volatile long sigterm;
        private final java.util.concurrent.CountDownLatch answeredUp = new java.util.concurrent.CountDownLatch(1);
        private Thread thread;

        /** Starts polling and returns once the node answered UP, so that the watch is known to reach it. */
        static ReadinessWatch start(Node node) throws InterruptedException {
            ReadinessWatch watch = new ReadinessWatch(node);
            watch.thread = new Thread(watch, "readiness-" + node.name());
            watch.thread.setDaemon(true);
            watch.thread.start();
            assertThat(watch.answeredUp.await(10, TimeUnit.SECONDS)).as(node.name() + " answers UP").isTrue();
            return watch;
        }

        void sigtermNow() {
            sigterm = System.nanoTime();
        }

        private ReadinessWatch(Node node) {
            this.node = node;
        }

        @Override
        public void run() {
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + node.management()
                    + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
            while (running.get()) {
                try {
                    HttpResponse<String> answer = HTTP.send(ready, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        answeredUp.countDown();
                    }
                    if (sigterm == 0) {
                        continue;
                    }
                    if (answer.statusCode() == 200) {
                        up.incrementAndGet();
                        if (firstNotUpMillis >= 0) {
                            upAgain.incrementAndGet();
                        }
                        continue;
                    }
                    notUp();
                    if (answer.statusCode() == 503 && answer.body().contains("\"draining\": true")) {
                        if (draining.getAndIncrement() == 0) {
                            firstDrainingMillis = (System.nanoTime() - sigterm) / 1_000_000;
                        }
                    } else {
                        other.merge("HTTP " + answer.statusCode(), 1, Integer::sum);
                    }
                } catch (IOException e) {
                    if (!node.process().isAlive()) {
                        return;
                    }
                    if (sigterm != 0) {
                        notUp();
                        other.merge("no answer (" + e.getClass().getSimpleName() + ")", 1, Integer::sum);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }

        private void notUp() {
            if (firstNotUpMillis < 0) {
                firstNotUpMillis = (System.nanoTime() - sigterm) / 1_000_000;
            }
        }

        int upAgain() {
            return upAgain.get();
        }

        String summary() {
            return "after SIGTERM " + up.get() + " UP (requests already under way), not ready from "
                    + firstNotUpMillis + " ms after SIGTERM on; " + draining.get() + " DOWN naming the drain"
                    + (firstDrainingMillis >= 0 ? " (the first " + firstDrainingMillis + " ms after SIGTERM)" : "")
                    + ", other: " + other;
        }
    }

    private static String suffix;

    /**
     * A company, its owner, a project and an owner API key, written as the console's services write them (sign-up and
     * API keys are console actions with no REST endpoint), as scripts/kill9-recovery.sh does.
     */
    private static String seedCompany(DataSource db) throws Exception {
        SecureRandom random = new SecureRandom();
        suffix = HexFormat.of().formatHex(random.generateSeed(4));
        String prefix = HexFormat.of().formatHex(random.generateSeed(6));
        String secret = HexFormat.of().formatHex(random.generateSeed(32));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            long tenant = insert(c, "insert into tenant (name, slug, created_at) values (?, ?, now()) returning id",
                    "Drain " + suffix, "drain-" + suffix);
            long owner = insert(c, "insert into app_user (email, display_name, password_hash, created_at) "
                    + "values (?, ?, '!no-login', now()) returning id", "owner-" + suffix + "@drain.example",
                    "Owner " + suffix);
            execute(c, "insert into membership (tenant_id, user_id, role, created_at) values (" + tenant + ", "
                    + owner + ", 'OWNER', now())");
            execute(c, "insert into project (tenant_id, name, description, created_by, created_at, updated_at) "
                    + "values (" + tenant + ", 'Drain " + suffix + "', 'graceful drain', " + owner + ", now(), now())");
            execute(c, "insert into api_key (tenant_id, name, prefix, secret_hash, role, created_by, created_at) "
                    + "values (" + tenant + ", 'drain', '" + prefix + "', '" + hash + "', 'OWNER', " + owner
                    + ", now())");
            c.commit();
        }
        return "rw_" + prefix + "_" + secret;
    }

    private static void awaitStatus(DataSource db, long run, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object[] row = row(db, "select status, error from run where id = " + run);
            if (status.equals(row[0])) {
                return;
            }
            assertThat(row[0]).as("run " + run + " (" + row[1] + ")").isIn("QUEUED", "RUNNING");
            assertThat(System.nanoTime()).as("run " + run + " " + status + " within " + timeout)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String send(HttpRequest request) throws Exception {
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(request.uri() + ": " + answer.body()).isBetween(200, 299);
        return answer.body();
    }

    private static long id(String json) {
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(json);
        assertThat(m.find()).as("an id in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long insert(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.executeUpdate();
        }
    }

    private static void update(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection()) {
            execute(c, sql);
        }
    }

    private static long single(DataSource db, String sql, String value) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static Object[] row(DataSource db, String sql) throws SQLException {
        List<Object[]> rows = rows(db, sql);
        assertThat(rows).as(sql).isNotEmpty();
        return rows.get(0);
    }

    private static List<Object[]> rows(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            List<Object[]> rows = new ArrayList<>();
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = r.getObject(i + 1);
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
