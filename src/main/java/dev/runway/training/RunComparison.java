package dev.runway.training;

import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.base.Downsample;
import dev.runway.dataset.Dataset;
import dev.runway.dataset.DatasetService;
import dev.runway.dataset.DatasetVersion;
import dev.runway.dataset.Preparation;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Permission;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * Several runs side by side, from one project or several of the company's: their settings (hyperparameters and the
 * data they trained on), their test metrics against a baseline run, and their loss and metric curves, downsampled
 * here so that a page of twenty runs of 10,000 epochs stays light.
 */
@ApplicationScoped
public class RunComparison {

    public static final int MIN_RUNS = 2;
    public static final int MAX_RUNS = 20;
    /** Points kept per curve and run: about one per 1.5 pixels of a chart's plot, far fewer than a long run has epochs. */
    public static final int CURVE_POINTS = 300;
    private static final String[] SPLITS = {"Training", "Validation"};
    /** Columns of a run's series as read: epoch, training and validation loss, training and validation metric. */
    private static final int LOSS_COLUMN = 1;
    private static final int METRIC_COLUMN = 3;

    /** One compared run, with what the page shows about it and links to. */
    public record Compared(long id, Run.Kind kind, Run.Status status, String template, long projectId,
            String projectName, long datasetVersionId, String datasetLabel, Preparation.TaskType task) {}

    /** A setting with each run's value (in the runs' order); {@code differs} when not all values are equal. */
    public record Setting(String name, List<String> values, boolean differs) {}

    /**
     * A test metric with each run's value (null where a run has none) and its difference to the baseline's value
     * (null where either is missing). {@code lowerIsBetter} for errors (MSE, MAE).
     */
    public record Metric(String key, List<Double> values, List<Double> deltas, boolean lowerIsBetter) {}

    /** One run's line in a chart: epochs and values, already downsampled. */
    public record Line(long runId, double[] epochs, double[] values) {}

    /** One chart: a curve ("loss" or the task's metric) on one split, a line per run of that task. */
    public record Curve(String split, boolean loss, Preparation.TaskType task, List<Line> lines) {}

    /** {@code pointsRead}: the metric rows read from the database before downsampling. */
    public record Comparison(List<Compared> runs, long baselineId, List<Setting> settings, List<Metric> metrics,
            List<Curve> curves, long pointsRead) {

        public int baselineIndex() {
            for (int i = 0; i < runs.size(); i++) {
                if (runs.get(i).id() == baselineId) {
                    return i;
                }
            }
            return 0;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    DatasetService datasets;

    @Inject
    ProjectService projects;

    /**
     * "12, 15,19" → [12, 15, 19], in order, without repeats. Refuses text that is not a list of run numbers, and a
     * count outside {@value #MIN_RUNS}–{@value #MAX_RUNS}, with a message that says so.
     */
    public static List<Long> parseIds(String text) {
        LinkedHashSet<Long> ids = new LinkedHashSet<>();
        if (text != null) {
            for (String part : text.split("[,;\\s]+")) {
                if (part.isBlank()) {
                    continue;
                }
                if (!part.matches("\\d{1,18}")) {
                    throw new BadInputException("ids", "“" + part + "” is not a run number; give run numbers "
                            + "separated by commas, e.g. ids=12,15,19");
                }
                ids.add(Long.parseLong(part));
            }
        }
        List<Long> list = List.copyOf(ids);
        checkCount(list);
        return list;
    }

    private static void checkCount(List<Long> ids) {
        if (ids.size() < MIN_RUNS) {
            throw new BadInputException("ids", "Choose at least " + MIN_RUNS + " runs to compare (" + ids.size()
                    + " chosen)");
        }
        if (ids.size() > MAX_RUNS) {
            throw new BadInputException("ids", "Compare at most " + MAX_RUNS + " runs at a time (" + ids.size()
                    + " chosen): leave some out");
        }
    }

    /**
     * Compares the runs {@code ids} (2–20, repeats ignored) against {@code baselineId} (the first run when null).
     * A run of another company is not found, exactly like a run that does not exist.
     */
    @Transactional
    public Comparison compare(List<Long> ids, Long baselineId) {
        Actor actor = access.require(Permission.READ);
        List<Long> unique = List.copyOf(new LinkedHashSet<>(Objects.requireNonNull(ids)));
        checkCount(unique);
        long baseline = baselineId == null ? unique.get(0) : baselineId;
        if (!unique.contains(baseline)) {
            throw new BadInputException("baseline", "The baseline must be one of the compared runs");
        }
        List<Run> runs = new ArrayList<>(unique.size());
        for (long id : unique) {
            runs.add(Optional.ofNullable(em.find(Run.class, id))
                    .orElseThrow(() -> new NotFoundException("Run " + id)));
        }
        Map<Long, DatasetVersion> versions = new HashMap<>();
        Map<Long, Optional<Preparation>> preparations = new HashMap<>();
        Map<Long, String> projectNames = new HashMap<>();
        List<Compared> compared = new ArrayList<>();
        for (Run run : runs) {
            DatasetVersion version = versions.computeIfAbsent(run.getDatasetVersionId(), datasets::version);
            Optional<Preparation> preparation = preparations.computeIfAbsent(version.getId(), datasets::preparation);
            Dataset dataset = datasets.dataset(version.getDatasetId());
            compared.add(new Compared(run.getId(), run.getKind(), run.getStatus(), run.getTemplate(),
                    run.getProjectId(), projectNames.computeIfAbsent(run.getProjectId(),
                            p -> projects.get(p).getName()), version.getId(),
                    dataset.getName() + " v" + version.getVersion(), preparation.map(Preparation::task).orElse(null)));
        }
        List<Setting> settings = settings(runs, compared, preparations);
        List<Metric> metrics = metrics(runs, unique.indexOf(baseline));
        long[] read = {0};
        List<Curve> curves = curves(actor, compared, read);
        return new Comparison(compared, baseline, settings, metrics, curves, read[0]);
    }

    private static List<Setting> settings(List<Run> runs, List<Compared> compared,
            Map<Long, Optional<Preparation>> preparations) {
        List<Hyperparameters> hs = runs.stream().map(RunService::hyperparameters).toList();
        List<Preparation> ps = runs.stream().map(r -> preparations.get(r.getDatasetVersionId()).orElse(null)).toList();
        List<Setting> rows = new ArrayList<>();
        add(rows, "Project", compared, Compared::projectName);
        add(rows, "Kind", compared, c -> c.kind() == Run.Kind.TRAIN ? "training" : "evaluation");
        add(rows, "Template", hs, h -> h.template() == null ? null : h.template().label());
        add(rows, "Optimizer", hs, h -> h.optimizer() == null ? null : switch (h.optimizer()) {
            case SGD -> "SGD";
            case ADAM -> "Adam";
            case RMSPROP -> "RMSProp";
        });
        add(rows, "Learning rate", hs, h -> plain(h.learningRate()));
        add(rows, "Batch size", hs, h -> Integer.toString(h.batchSize()));
        add(rows, "Epochs", hs, h -> Integer.toString(h.epochs()));
        add(rows, "Hidden layers", hs, h -> h.hiddenLayers() == null || h.hiddenLayers().isEmpty() ? null
                : h.hiddenLayers().stream().map(String::valueOf).reduce((a, b) -> a + " × " + b).orElse(null));
        add(rows, "Activation", hs, h -> h.template() == Template.LINEAR_REGRESSION
                || h.template() == Template.LOGISTIC_REGRESSION || h.activation() == null ? null
                : switch (h.activation()) {
                    case RELU -> "ReLU";
                    case TANH -> "Tanh";
                    case SIGMOID -> "Sigmoid";
                });
        add(rows, "Dropout", hs, h -> plain(h.dropout()));
        add(rows, "Early-stopping patience", hs, h -> h.earlyStoppingPatience() == 0 ? "off"
                : h.earlyStoppingPatience() + " epochs");
        add(rows, "Weight decay (L2)", hs, h -> h.weightDecay() == 0 ? "off" : plain(h.weightDecay()));
        add(rows, "Learning-rate schedule", hs, h -> h.schedule().name().toLowerCase(Locale.ROOT)
                + (h.warmupEpochs() == 0 ? "" : ", " + h.warmupEpochs() + " warm-up epochs"));
        add(rows, "Class weights", hs, h -> h.template() == Template.LINEAR_REGRESSION ? null
                : h.classWeights().name().toLowerCase(Locale.ROOT));
        add(rows, "Seed", hs, h -> Long.toString(h.seed()));
        add(rows, "Image shape", hs, h -> h.template() != Template.CNN ? null
                : h.imageChannels() + " × " + h.imageHeight() + " × " + h.imageWidth());
        add(rows, "Embedding size", hs, h -> positive(h.embeddingSize()));
        add(rows, "Attention heads", hs, h -> positive(h.attentionHeads()));
        add(rows, "Encoder layers", hs, h -> positive(h.encoderLayers()));
        add(rows, "Tokens per text", hs, h -> positive(h.maxTokens()));
        add(rows, "Vocabulary size", hs, h -> positive(h.vocabularySize()));
        add(rows, "Augmentation", hs, h -> h.augmentationOrNone().on() ? h.augmentation().describe() : null);
        add(rows, "Device", runs, r -> r.getDeviceUsed() != null ? r.getDeviceUsed()
                : r.getRequestedDevice() + " (requested)");
        add(rows, "Dataset version", compared, Compared::datasetLabel);
        add(rows, "Task", ps, p -> p.task().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        add(rows, "Target", ps, Preparation::target);
        add(rows, "Features", ps, p -> String.join(", ", p.features()));
        add(rows, "Split (train / validation / test)", ps, p -> plain(p.trainRatio()) + " / "
                + plain(p.validationRatio()) + " / " + plain(p.testRatio()));
        add(rows, "Split seed", ps, p -> Long.toString(p.seed()));
        add(rows, "Missing values", ps, p -> p.missingValues() == Preparation.MissingValues.DROP_ROWS
                ? "drop rows" : "impute");
        add(rows, "Scaling", ps, p -> p.standardize() ? "standardised" : "none");
        return rows;
    }

    /** A row of settings; a row no run has a value for is left out. Missing values show as "—". */
    private static <T> void add(List<Setting> rows, String name, List<T> items, Function<T, String> value) {
        List<String> values = new ArrayList<>(items.size());
        boolean any = false;
        for (T item : items) {
            String v = item == null ? null : value.apply(item);
            any |= v != null;
            values.add(v == null ? "—" : v);
        }
        if (any) {
            rows.add(new Setting(name, values, values.stream().distinct().count() > 1));
        }
    }

    private static String positive(int n) {
        return n > 0 ? Integer.toString(n) : null;
    }

    /** 0.01 → "0.01", 1e-4 → "0.0001", 32.0 → "32": what was typed, not a binary fraction. */
    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Test metrics (an evaluation's measured metrics), in a stable order; deltas against the baseline's. */
    private static List<Metric> metrics(List<Run> runs, int baseline) {
        List<Map<String, Double>> perRun = runs.stream().map(RunComparison::testMetrics).toList();
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String key : List.of("accuracy", "precision", "recall", "f1", "mse", "mae", "r2")) {
            if (perRun.stream().anyMatch(m -> m.containsKey(key))) {
                keys.add(key);
            }
        }
        perRun.forEach(m -> keys.addAll(m.keySet()));
        List<Metric> metrics = new ArrayList<>();
        for (String key : keys) {
            List<Double> values = perRun.stream().map(m -> m.get(key)).toList();
            Double base = values.get(baseline);
            List<Double> deltas = values.stream().map(v -> v == null || base == null ? null : v - base).toList();
            metrics.add(new Metric(key, values, deltas, key.equals("mse") || key.equals("mae")));
        }
        return metrics;
    }

    static Map<String, Double> testMetrics(Run run) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        run.result().ifPresent(result -> {
            metrics.putAll(result.testMetrics());
            result.metrics().forEach(metrics::putIfAbsent);
        });
        return metrics;
    }

    /**
     * Reads every epoch of every run in one ordered query (the runs were found above, so all are the company's; the
     * tenant condition also lets the unique index serve it), keeps the values in primitive arrays and downsamples
     * each run's four series to {@value #CURVE_POINTS} points.
     */
    private List<Curve> curves(Actor actor, List<Compared> runs, long[] read) {
        Long[] ids = runs.stream().map(Compared::id).toArray(Long[]::new);
        Map<Long, double[][]> series = em.unwrap(Session.class).doReturningWork(connection -> {
            Map<Long, double[][]> out = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    select run_id, epoch, train_loss, validation_loss, train_metric, validation_metric
                    from run_metric where tenant_id = ? and run_id = any(?) order by run_id, epoch""")) {
                Array array = connection.createArrayOf("bigint", ids);
                statement.setLong(1, actor.tenantId());
                statement.setArray(2, array);
                statement.setFetchSize(10_000);
                try (ResultSet rs = statement.executeQuery()) {
                    long current = -1;
                    double[][] columns = null;
                    int n = 0;
                    while (rs.next()) {
                        long run = rs.getLong(1);
                        if (run != current) {
                            if (columns != null) {
                                out.put(current, trim(columns, n));
                            }
                            current = run;
                            columns = new double[5][1024];
                            n = 0;
                        }
                        if (n == columns[0].length) {
                            for (int c = 0; c < 5; c++) {
                                columns[c] = Arrays.copyOf(columns[c], n * 2);
                            }
                        }
                        for (int c = 0; c < 5; c++) {
                            columns[c][n] = rs.getDouble(c + 2);
                        }
                        n++;
                        read[0]++;
                    }
                    if (columns != null) {
                        out.put(current, trim(columns, n));
                    }
                }
                array.free();
            }
            return out;
        });
        List<Curve> curves = new ArrayList<>();
        // Losses of every run share a chart; the metric differs by task (accuracy, MSE), so each task has its own.
        for (int split = 0; split < 2; split++) {
            curves.add(curve(runs, series, SPLITS[split], true, null, LOSS_COLUMN + split));
        }
        for (Preparation.TaskType task : runs.stream().map(Compared::task).distinct().toList()) {
            for (int split = 0; split < 2; split++) {
                curves.add(curve(runs, series, SPLITS[split], false, task, METRIC_COLUMN + split));
            }
        }
        curves.removeIf(c -> c.lines().isEmpty());
        return curves;
    }

    private static Curve curve(List<Compared> runs, Map<Long, double[][]> series, String split, boolean loss,
            Preparation.TaskType task, int column) {
        List<Line> lines = new ArrayList<>();
        for (Compared run : runs) {
            double[][] values = series.get(run.id());
            if (values == null || (!loss && !Objects.equals(run.task(), task))) {
                continue;
            }
            int[] kept = Downsample.lttbIndices(values[0], values[column], CURVE_POINTS);
            double[] x = new double[kept.length];
            double[] y = new double[kept.length];
            for (int i = 0; i < kept.length; i++) {
                x[i] = values[0][kept[i]];
                y[i] = values[column][kept[i]];
            }
            lines.add(new Line(run.id(), x, y));
        }
        return new Curve(split, loss, task, lines);
    }

    private static double[][] trim(double[][] columns, int n) {
        double[][] out = new double[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            out[c] = Arrays.copyOf(columns[c], n);
        }
        return out;
    }
}
