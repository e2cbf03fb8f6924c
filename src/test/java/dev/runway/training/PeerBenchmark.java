package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.CsvProfiler;
import dev.runway.dataset.Preparation;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.engine.EvaluationResult;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.PreparedData;
import dev.runway.training.engine.Template;
import dev.runway.training.engine.TrainingEngine;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runway's defaults against tuned scikit-learn (not a test: its name keeps it out of surefire's default run). For every
 * shared sample and every generated table of {@link PeerTables}: the table is uploaded and prepared with the
 * preparation's defaults, each fitting template is trained with {@link Hyperparameters#defaults} through the real
 * queue ({@link RunService#submit}), and {@code src/test/python/sklearn_peer.py} tunes the matching scikit-learn family
 * by a small GridSearchCV on exactly the rows the run trained and validated on, and measures it on the run's test
 * rows. Prints one table. How to run and the figures: docs/benchmarks.md.
 */
@QuarkusTest
public class PeerBenchmark {

    private static final String PYTHON = System.getProperty("bench.python", "/usr/bin/python3");
    private static final Path PEER = Path.of("src/test/python/sklearn_peer.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RunService runs;

    @Inject
    RunFixture fixture;

    @Inject
    TenancyFixture tenancy;

    /** A table and the pairs it is measured with: a Runway template against a scikit-learn family. */
    record Bench(String name, Path file, String target, Preparation.TaskType task, List<Pair> pairs) {}

    record Pair(Template template, String family) {}

    /** One line of the printed table. */
    record Line(Bench bench, PreparedData data, Pair pair, Map<String, Double> runway, double runwaySeconds,
            JsonNode peer) {}

    @Test
    void runway_defaults_against_tuned_scikit_learn() throws Exception {
        assertTablesAreTheGenerated();
        Set<String> only = Arrays.stream(System.getProperty("peer.only", "").split(",")).filter(s -> !s.isBlank())
                .collect(Collectors.toSet());
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        TenancyFixture.Company company = tenancy.company();
        warmUp(company);
        List<Line> lines = new ArrayList<>();
        for (Bench bench : benches()) {
            if (!only.isEmpty() && !only.contains(bench.name())) {
                continue;
            }
            lines.addAll(measure(company, bench));
        }
        String table = table(lines, loadBefore, Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println(table);
        Path out = Path.of(System.getProperty("peer.out", "target/peer-benchmark.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
    }

    /** One short run first, so that no measured run pays for loading PyTorch's natives into this JVM. */
    private void warmUp(TenancyFixture.Company company) {
        RunFixture.Setup setup = fixture.preparedIn(company, "iris.csv", "species",
                List.of("sepal_length", "sepal_width", "petal_length", "petal_width"),
                Preparation.TaskType.CLASSIFICATION);
        Actor owner = setup.company().owner();
        finished(owner, TenantContext.runAs(owner, () -> runs.submit(new RunService.Submission(setup.versionId(),
                Hyperparameters.defaults(Template.MLP).withEpochs(2), "auto", 50)).getId()));
    }

    private Run finished(Actor owner, long id) {
        await().pollInSameThread().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> TenantContext.runAs(owner, () -> runs.get(id)).getStatus().finished());
        return TenantContext.runAs(owner, () -> runs.get(id));
    }

    private static List<Bench> benches() {
        Path samples = Path.of("samples");
        List<Bench> all = new ArrayList<>(List.of(
                bench("iris", samples.resolve("iris.csv"), "species", Preparation.TaskType.CLASSIFICATION),
                bench("digits", samples.resolve("digits.csv"), "digit", Preparation.TaskType.CLASSIFICATION),
                bench("linear", samples.resolve("linear.csv"), "y", Preparation.TaskType.REGRESSION),
                bench("support_tickets", samples.resolve("support_tickets.csv"), "intent",
                        Preparation.TaskType.TEXT_CLASSIFICATION)));
        for (PeerTables.Table t : PeerTables.all()) {
            all.add(bench(t.file().replace(".csv", ""), PeerTables.DIR.resolve(t.file()), t.target(),
                    Preparation.TaskType.valueOf(t.task())));
        }
        return all;
    }

    private static Bench bench(String name, Path file, String target, Preparation.TaskType task) {
        List<Pair> pairs = switch (task) {
            case CLASSIFICATION -> List.of(new Pair(Template.LOGISTIC_REGRESSION, "logistic"),
                    new Pair(Template.MLP, "mlp"));
            case REGRESSION -> List.of(new Pair(Template.LINEAR_REGRESSION, "linear"), new Pair(Template.MLP, "mlp"));
            // No linear template reads text: the Transformer stands against scikit-learn's strongest linear text model.
            case TEXT_CLASSIFICATION -> List.of(new Pair(Template.TRANSFORMER, "logistic"),
                    new Pair(Template.MLP, "mlp"));
        };
        return new Bench(name, file, target, task, pairs);
    }

    /** The committed tables are exactly what {@link PeerTables} writes (run its main after changing it). */
    private static void assertTablesAreTheGenerated() throws IOException {
        for (PeerTables.Table t : PeerTables.all()) {
            assertThat(Files.readString(PeerTables.DIR.resolve(t.file()), StandardCharsets.UTF_8))
                    .as("%s is not what PeerTables writes: run PeerTables.main", t.file()).isEqualTo(t.csv());
        }
    }

    private List<Line> measure(TenancyFixture.Company company, Bench bench) throws Exception {
        String header = Files.readAllLines(bench.file(), StandardCharsets.UTF_8).get(0);
        List<String> features = Arrays.stream(header.split(",")).filter(c -> !c.equals(bench.target())).toList();
        RunFixture.Setup setup = fixture.preparedFrom(company, bench.file(), bench.target(), features, bench.task());
        Actor owner = setup.company().owner();
        // The rows the runs train, validate and test on: the same preparation, read the way a run reads them.
        CsvProfile profile = CsvProfiler.profile(bench.file());
        PreparedData data = TrainingData.load(bench.file(), profile.delimiter(), profile,
                Preparation.defaults(bench.target(), features, bench.task()));
        List<Line> lines = new ArrayList<>();
        List<Object[]> runway = new ArrayList<>();
        for (Pair pair : bench.pairs()) {
            long id = TenantContext.runAs(owner, () -> runs.submit(new RunService.Submission(setup.versionId(),
                    Hyperparameters.defaults(pair.template()), "auto", 50)).getId());
            Run run = finished(owner, id);
            assertThat(run.getStatus()).as("%s %s: %s", bench.name(), pair.template(), run.getError())
                    .isEqualTo(Run.Status.SUCCEEDED);
            double seconds = Duration.between(run.getCreatedAt(), run.getFinishedAt()).toMillis() / 1e3;
            runway.add(new Object[] {pair, metrics(run, data), seconds});
            System.out.printf(Locale.ROOT, "%s, %s: %s in %.1f s%n", bench.name(), pair.template(),
                    runway.get(runway.size() - 1)[1], seconds);
        }
        Map<String, JsonNode> peer = peer(bench, data);
        for (Object[] r : runway) {
            Pair pair = (Pair) r[0];
            @SuppressWarnings("unchecked")
            Map<String, Double> metrics = (Map<String, Double>) r[1];
            lines.add(new Line(bench, data, pair, metrics, (double) r[2], peer.get(pair.family())));
        }
        return lines;
    }

    /**
     * The run's test metrics, with the balanced accuracy (the mean recall over classes) and, for two classes, the F1
     * of the second class (the positive one: "yes", "1"). The model is measured again on the rows this benchmark
     * prepared, which must give the run's own accuracy or MSE: the proof that the peer gets the run's test rows.
     */
    private static Map<String, Double> metrics(Run run, PreparedData data) throws IOException {
        JsonNode test = JSON.readTree(run.resultJson()).get("testMetrics");
        EvaluationResult again = TrainingEngine.evaluate(Path.of(run.getModelDir()), data);
        Map<String, Double> out = new LinkedHashMap<>();
        if (data.encoding().isClassification()) {
            out.put("accuracy", test.get("accuracy").asDouble());
            assertThat(again.metrics().get("accuracy")).isCloseTo(out.get("accuracy"), within(1e-9));
            out.put("balanced_accuracy", test.get("recall").asDouble());
            if (data.labels().size() == 2) {
                out.put("f1", again.perClass().get(1).f1());
            }
        } else {
            out.put("mse", test.get("mse").asDouble());
            out.put("r2", test.get("r2").asDouble());
            assertThat(again.metrics().get("mse")).isCloseTo(out.get("mse"), within(1e-6 * (1 + out.get("mse"))));
        }
        return out;
    }

    /** Writes the splits for the Python peer and runs it once for all the table's families. */
    private static Map<String, JsonNode> peer(Bench bench, PreparedData data) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("peer-" + bench.name());
        boolean text = data.encoding().isText();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("task", bench.task() == Preparation.TaskType.REGRESSION ? "regression" : "classification");
        meta.put("text", text);
        meta.put("classes", data.labels().size());
        meta.put("families", bench.pairs().stream().map(Pair::family).toList());
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, PreparedData.Split> e : Map.of("train", data.train(), "validation", data.validation(),
                "test", data.test()).entrySet()) {
            PreparedData.Split split = e.getValue();
            shapes.put(e.getKey(), new int[] {split.rows(), split.width()});
            floats(dir.resolve(e.getKey() + ".y"), split.y());
            if (text) {
                Files.write(dir.resolve(e.getKey() + ".txt"),
                        split.tokens().stream().map(t -> String.join(" ", t)).toList(), StandardCharsets.UTF_8);
            } else {
                floats(dir.resolve(e.getKey() + ".x"), split.x());
            }
        }
        meta.put("shapes", shapes);
        JSON.writeValue(dir.resolve("meta.json").toFile(), meta);
        Process process = new ProcessBuilder(PYTHON, PEER.toString(), dir.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("the scikit-learn peer failed on %s: %s", bench.name(), output).isZero();
        Map<String, JsonNode> byFamily = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            if (line.startsWith("{")) {
                JsonNode node = JSON.readTree(line);
                byFamily.put(node.get("family").asText(), node);
                System.out.println(bench.name() + ", scikit-learn: " + line);
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return byFamily;
    }

    private static void floats(Path file, float[] values) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (float v : values) {
                out.writeFloat(v);
            }
        }
    }

    private static String table(List<Line> lines, String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Runway's defaults (through the queue) against tuned scikit-learn, same "
                + "rows and split; load average before %s, after %s%n%n", loadBefore, loadAfter));
        out.append("| data set | rows train/val/test | columns → encoded | Runway default | test | s "
                + "| scikit-learn, tuned | test | s (fits) | ratio | goal | scikit-learn untuned |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        int met = 0;
        for (Line l : lines) {
            boolean classification = l.runway().containsKey("accuracy");
            double ours = classification ? l.runway().get("accuracy") : l.runway().get("mse");
            double theirs = classification ? l.peer().get("accuracy").asDouble() : l.peer().get("mse").asDouble();
            double ratio = theirs == 0 ? (ours == 0 ? 1 : Double.POSITIVE_INFINITY) : ours / theirs;
            boolean goal = classification ? ratio >= 0.99 : ratio <= 1.05;
            met += goal ? 1 : 0;
            PreparedData d = l.data();
            int columns = columnsOf(l.bench());
            out.append(String.format(Locale.ROOT, "| %s | %d/%d/%d | %d → %s | %s | %s | %.2f | %s %s | %s | %.2f (%d) "
                    + "| %.3f× | %s | %s |%n",
                    l.bench().name(), d.train().rows(), d.validation().rows(), d.test().rows(), columns,
                    d.encoding().isText() ? "tokens" : String.valueOf(d.train().width()),
                    l.pair().template().name().toLowerCase(Locale.ROOT), scores(l.runway()), l.runwaySeconds(),
                    l.peer().get("model").asText(), l.peer().get("best").toString().replace("\"", ""),
                    scores(numbers(l.peer())), l.peer().get("seconds").asDouble(),
                    l.peer().get("candidates").asInt() * 5 + 1, ratio,
                    goal ? "yes" : "**no**", scores(numbers(l.peer().get("default")))));
        }
        out.append(String.format(Locale.ROOT, "%nGoal (accuracy ≥ 0.99× or MSE ≤ 1.05× scikit-learn's tuned) met on "
                + "%d of %d lines.%n", met, lines.size()));
        return out.toString();
    }

    private static int columnsOf(Bench bench) {
        try {
            return Files.readAllLines(bench.file(), StandardCharsets.UTF_8).get(0).split(",").length - 1;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Double> numbers(JsonNode node) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String key : List.of("accuracy", "balanced_accuracy", "f1", "mse", "r2")) {
            if (node.has(key)) {
                out.put(key, node.get(key).asDouble());
            }
        }
        return out;
    }

    /** Accuracy (with balanced accuracy and the positive class's F1 for two classes), or MSE and R². */
    private static String scores(Map<String, Double> m) {
        if (m.containsKey("accuracy")) {
            return m.containsKey("f1")
                    ? String.format(Locale.ROOT, "%.3f (bal. %.3f, F1 %.3f)", m.get("accuracy"),
                            m.get("balanced_accuracy"), m.get("f1"))
                    : String.format(Locale.ROOT, "%.3f", m.get("accuracy"));
        }
        return String.format(Locale.ROOT, "MSE %.4g, R² %.3f", m.get("mse"), m.get("r2"));
    }
}
