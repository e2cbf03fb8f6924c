package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.CsvProfiler;
import dev.runway.dataset.Preparation;
import dev.runway.model.ModelService;
import dev.runway.sweep.AutoService;
import dev.runway.sweep.Sweep;
import dev.runway.sweep.SweepService;
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
 * rows. On every table but text, Auto ({@link AutoService#start}) searches too, through the same queue, and its
 * registered model is measured on the same test rows against each family. Prints one table. How to run and the
 * figures: docs/benchmarks.md.
 */
@QuarkusTest
public class PeerBenchmark {

    private static final String PYTHON = System.getProperty("bench.python", "/usr/bin/python3");
    private static final Path PEER = Path.of("src/test/python/sklearn_peer.py");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The peer family tuned for balanced accuracy with class weights, on two-class tables with a rare class. */
    private static final String BALANCED = "logistic_balanced";

    @Inject
    RunService runs;

    @Inject
    RunFixture fixture;

    @Inject
    AutoService auto;

    @Inject
    SweepService sweeps;

    @Inject
    ModelService models;

    @Inject
    TenancyFixture tenancy;

    /** A table and the pairs it is measured with: a Runway template against a scikit-learn family. */
    record Bench(String name, Path file, String target, Preparation.TaskType task, List<Pair> pairs) {}

    /** With {@code auto}, Runway's side is Auto's registered model (its template the family Auto chose). */
    record Pair(Template template, String family, boolean auto) {

        Pair(Template template, String family) {
            this(template, family, false);
        }

        String runway() {
            return auto ? "AUTO" : template.name();
        }
    }

    /** One line of the printed table. */
    record Line(Bench bench, long seed, PreparedData data, Pair pair, Map<String, Double> runway,
            double runwaySeconds, String runwayError, JsonNode peer) {

        boolean failed() {
            return runwayError != null;
        }
    }

    @Test
    void runway_defaults_against_tuned_scikit_learn() throws Exception {
        assertTablesAreTheGenerated();
        Set<String> only = Arrays.stream(System.getProperty("peer.only", "").split(",")).filter(s -> !s.isBlank())
                .collect(Collectors.toSet());
        // More than one split seed averages over splits: the test sets of the small tables are 28–35 rows.
        List<Long> seeds = Arrays.stream(System.getProperty("peer.seeds", "42").split(",")).map(String::trim)
                .map(Long::valueOf).toList();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        TenancyFixture.Company company = tenancy.company();
        warmUp(company);
        List<Line> lines = new ArrayList<>();
        for (Bench bench : benches()) {
            if (!only.isEmpty() && !only.contains(bench.name())) {
                continue;
            }
            for (long seed : seeds) {
                lines.addAll(measure(company, bench, seed));
            }
        }
        String table = table(lines, seeds, loadBefore, Files.readString(Path.of("/proc/loadavg")).trim());
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

    /** Waits for Auto's search to end and, when a trial succeeded, for its best model to be registered. */
    private Sweep searched(Actor owner, long sweepId) {
        await().pollInSameThread().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> TenantContext.runAs(owner, () -> sweeps.details(sweepId)).sweep().getStatus().finished());
        SweepService.Details done = TenantContext.runAs(owner, () -> sweeps.details(sweepId));
        if (done.best().isPresent()) {
            await().pollInSameThread().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> TenantContext.runAs(owner, () -> sweeps.details(sweepId)).sweep()
                            .getModelVersionId().isPresent());
        }
        return TenantContext.runAs(owner, () -> sweeps.details(sweepId)).sweep();
    }

    /** The values Auto's search varies, as the best trial's run got them. */
    private static String searched(Run run) throws IOException {
        JsonNode h = JSON.readTree(run.hyperparametersJson());
        return List.of("learningRate", "hiddenLayers", "dropout", "weightDecay").stream()
                .map(k -> k + " " + h.path(k)).collect(Collectors.joining(", "));
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
        assertThat(PeerTables.differing()).as("not what PeerTables writes: run PeerTables.main").isEmpty();
    }

    /** The preparation's defaults (every column but the target a feature) with the split seed {@code seed}. */
    private List<Line> measure(TenancyFixture.Company company, Bench bench, long seed) throws Exception {
        String header = Files.readAllLines(bench.file(), StandardCharsets.UTF_8).get(0);
        List<String> features = Arrays.stream(header.split(",")).filter(c -> !c.equals(bench.target())).toList();
        Preparation d = Preparation.defaults(bench.target(), features, bench.task());
        Preparation preparation = new Preparation(d.target(), d.features(), d.task(), d.trainRatio(),
                d.validationRatio(), d.testRatio(), seed, d.missingValues(), d.standardize());
        RunFixture.Setup setup = fixture.preparedFrom(company, bench.file(), preparation);
        Actor owner = setup.company().owner();
        // The rows the runs train, validate and test on: the same preparation, read the way a run reads them.
        CsvProfile profile = CsvProfiler.profile(bench.file());
        PreparedData data = TrainingData.load(bench.file(), profile.delimiter(), profile, preparation);
        List<Pair> pairs = new ArrayList<>(bench.pairs());
        if (imbalanced(data)) {
            // Runway's class weights trade accuracy for the rare class: a peer that does the same, judged the same way.
            pairs.add(1, new Pair(Template.LOGISTIC_REGRESSION, BALANCED));
        }
        if (bench.task() != Preparation.TaskType.TEXT_CLASSIFICATION) {
            // Auto against every family of the table: the issue accepts "Runway's default (or Auto)".
            pairs.addAll(pairs.stream().map(p -> new Pair(p.template(), p.family(), true)).toList());
        }
        Map<String, Object[]> runway = new LinkedHashMap<>();
        for (Pair first : pairs.stream().collect(Collectors.toMap(Pair::runway, p -> p, (a, b) -> a,
                LinkedHashMap::new)).values()) {
            Template template = first.template();
            Run run;
            double seconds;
            if (first.auto()) {
                long sweepId = TenantContext.runAs(owner, () -> auto.start(setup.versionId(), null, null));
                Sweep sweep = searched(owner, sweepId);
                seconds = Duration.between(sweep.getCreatedAt(), sweep.getFinishedAt()).toMillis() / 1e3;
                Long modelId = sweep.getModelVersionId().orElse(null);
                run = modelId == null ? null : TenantContext.runAs(owner, () -> runs.get(models.get(modelId)
                        .getRunId()));
                if (run == null) {
                    String error = "Auto registered no model: " + sweep.getStatus() + " " + sweep.getStopReason();
                    runway.put(first.runway(), new Object[] {Map.of(), seconds, error});
                    System.out.printf(Locale.ROOT, "%s (seed %d), AUTO: %s%n", bench.name(), seed, error);
                    continue;
                }
                template = Template.valueOf(run.getTemplate());
            } else {
                long id = TenantContext.runAs(owner, () -> runs.submit(new RunService.Submission(setup.versionId(),
                        Hyperparameters.defaults(first.template()), "auto", 50)).getId());
                run = finished(owner, id);
                seconds = Duration.between(run.getCreatedAt(), run.getFinishedAt()).toMillis() / 1e3;
            }
            // A failed run is a line of the table (what a user would see), not the end of the benchmark.
            boolean succeeded = run.getStatus() == Run.Status.SUCCEEDED;
            Map<String, Double> metrics = succeeded ? metrics(run, data) : Map.of();
            String error = succeeded ? null : String.valueOf(run.getError());
            runway.put(first.runway(), new Object[] {metrics, seconds, error});
            System.out.printf(Locale.ROOT, "%s (seed %d), %s: %s in %.1f s%s%s%n", bench.name(), seed,
                    first.runway(), metrics, seconds, first.auto() ? " (" + template + ", hyperparameters "
                    + searched(run) + ")" : "", succeeded ? "" : " (" + error + ")");
        }
        Map<String, JsonNode> peer = peer(bench, data, pairs.stream().map(Pair::family).toList());
        List<Line> lines = new ArrayList<>();
        for (Pair pair : pairs) {
            Object[] r = runway.get(pair.runway());
            @SuppressWarnings("unchecked")
            Map<String, Double> metrics = (Map<String, Double>) r[0];
            lines.add(new Line(bench, seed, data, pair, metrics, (double) r[1], (String) r[2],
                    peer.get(pair.family())));
        }
        return lines;
    }

    /** Two classes, the rarer under a fifth of the training rows. */
    private static boolean imbalanced(PreparedData data) {
        if (data.labels().size() != 2) {
            return false;
        }
        float[] y = data.train().y();
        double positives = 0;
        for (float v : y) {
            positives += v;
        }
        return Math.min(positives, y.length - positives) < 0.2 * y.length;
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
    private static Map<String, JsonNode> peer(Bench bench, PreparedData data, List<String> families)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("peer-" + bench.name());
        boolean text = data.encoding().isText();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("task", bench.task() == Preparation.TaskType.REGRESSION ? "regression" : "classification");
        meta.put("text", text);
        meta.put("classes", data.labels().size());
        meta.put("families", families);
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

    /**
     * One line per table and template: the means over the split seeds of Runway's and scikit-learn's test figures and
     * seconds, their ratio and whether the issue's goal holds (a failed run misses it).
     */
    private static String table(List<Line> lines, List<Long> seeds, String loadBefore, String loadAfter) {
        Map<String, List<Line>> groups = new LinkedHashMap<>();
        lines.forEach(l -> groups.computeIfAbsent(l.bench().name() + " " + l.pair(), k -> new ArrayList<>()).add(l));
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Runway's defaults (through the queue) against tuned scikit-learn, same "
                + "rows and split; %s; load average before %s, after %s%n%n", seeds.size() == 1 ? "split seed "
                + seeds.get(0) : "means over the split seeds " + seeds, loadBefore, loadAfter));
        out.append("| data set | rows train/val/test | columns → encoded | Runway default | test | s "
                + "| scikit-learn, tuned | test | s (fits) | ratio | goal | scikit-learn untuned |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        int met = 0;
        for (List<Line> group : groups.values()) {
            Line first = group.get(0);
            List<Line> done = group.stream().filter(l -> !l.failed()).toList();
            Map<String, Double> ours = mean(done.stream().map(Line::runway).toList());
            Map<String, Double> theirs = mean(group.stream().map(l -> numbers(l.peer())).toList());
            Map<String, Double> untuned = mean(group.stream().map(l -> numbers(l.peer().get("default"))).toList());
            boolean classification = theirs.containsKey("accuracy");
            String key = first.pair().family().equals(BALANCED) ? "balanced_accuracy"
                    : classification ? "accuracy" : "mse";
            double ratio = done.isEmpty() ? Double.NaN : ours.get(key) / theirs.get(key);
            boolean goal = done.size() == group.size() && (classification ? ratio >= 0.99 : ratio <= 1.05);
            met += goal ? 1 : 0;
            String runway = done.isEmpty() ? "" : scores(ours);
            if (done.size() < group.size()) {
                runway = (group.size() - done.size()) + " of " + group.size() + " runs failed: "
                        + brief(group.stream().filter(Line::failed).findFirst().orElseThrow().runwayError())
                        + (done.isEmpty() ? "" : "; the others " + runway);
            }
            String best = group.stream().map(l -> l.peer().get("best").toString().replace("\"", ""))
                    .distinct().collect(Collectors.joining(" / "));
            PreparedData d = first.data();
            out.append(String.format(Locale.ROOT, "| %s | %d/%d/%d | %d → %s | %s | %s | %.2f | %s %s | %s "
                    + "| %.2f (%d) | %s | %s | %s |%n",
                    first.bench().name(), d.train().rows(), d.validation().rows(), d.test().rows(),
                    columnsOf(first.bench()), d.encoding().isText() ? "tokens" : String.valueOf(d.train().width()),
                    first.pair().auto() ? "**auto**" : first.pair().template().name().toLowerCase(Locale.ROOT),
                    runway,
                    group.stream().mapToDouble(Line::runwaySeconds).average().orElseThrow(),
                    first.peer().get("model").asText() + (first.pair().family().equals(BALANCED)
                            ? " class-weighted, for balanced accuracy" : ""), best, scores(theirs),
                    group.stream().mapToDouble(l -> l.peer().get("seconds").asDouble()).average().orElseThrow(),
                    first.peer().get("candidates").asInt() * 5 + 1,
                    done.isEmpty() ? "—" : String.format(Locale.ROOT, "%.3f×%s", ratio,
                            key.equals("balanced_accuracy") ? " (bal.)" : ""), goal ? "yes" : "**no**",
                    scores(untuned)));
        }
        out.append(String.format(Locale.ROOT, "%nGoal (accuracy ≥ 0.99× or MSE ≤ 1.05× scikit-learn's tuned; "
                + "against the class-weighted peer balanced accuracy ≥ 0.99×) met on %d of %d lines.%n", met,
                groups.size()));
        return out.toString();
    }

    private static Map<String, Double> mean(List<Map<String, Double>> all) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Double> m : all) {
            m.forEach((k, v) -> out.merge(k, v / all.size(), Double::sum));
        }
        return out;
    }

    /** A run's error on one table cell. */
    private static String brief(String error) {
        String line = error == null ? "" : error.lines().findFirst().orElse("").replace("|", "/");
        return line.length() > 90 ? line.substring(0, 90) + "…" : line;
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
