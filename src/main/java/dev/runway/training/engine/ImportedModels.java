package dev.runway.training.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import dev.runway.base.BadInputException;
import dev.runway.base.Text;
import dev.runway.training.engine.Encoding.Feature;
import dev.runway.training.engine.EvaluationResult.ClassMetrics;
import dev.runway.training.engine.EvaluationResult.FeatureImportance;
import dev.runway.training.engine.EvaluationResult.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Models trained elsewhere and uploaded as a file: ONNX (on ONNX Runtime) or TorchScript (on PyTorch). Plain
 * functions, like {@link TrainingEngine}: check a file against its manifest, and measure it on rows.
 */
public final class ImportedModels {

    /** The file formats, as the manifest names them; a version stores the upper-case name as its template. */
    public static final List<String> FORMATS = List.of("onnx", "torchscript");

    /** The file beside the model in a version's folder; evaluation reads it there. */
    public static final String MANIFEST = "manifest.json";

    static final int PROBE_ROWS = 4;
    private static final int BATCH = 512;
    private static final long IMPORTANCE_SEED = 42;

    /**
     * What the engine needs of a manifest.
     *
     * @param format "onnx" or "torchscript"
     * @param features the input columns, in the order the model reads them
     * @param raw whether the model takes the CSV's numbers as they are (else Runway's standardised/encoded values)
     * @param classes classification: the class names in the order of the model's outputs
     * @param inputWidth values per row the model takes: the number of features, unless prepared categories widen it
     */
    public record Spec(String format, Task task, List<String> features, boolean raw, String target,
            List<String> classes, int inputWidth) {

        public boolean classification() {
            return task != Task.REGRESSION;
        }

        /** The name the model file has in its folder (DJL finds it by this name). */
        public String fileName() {
            return "model" + ("onnx".equals(format) ? ".onnx" : ".pt");
        }

        String engine() {
            return "onnx".equals(format) ? "OnnxRuntime" : "PyTorch";
        }
    }

    /** Thrown between batches when the run was asked to stop (cancel, budget, drain): the evaluation ends unfinished. */
    public static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    private ImportedModels() {}

    /** Writes the spec beside the model file, where {@link #readSpec} finds it. */
    public static void writeSpec(Path dir, Spec spec) {
        ModelFiles.write(dir.resolve(MANIFEST), spec);
    }

    public static Spec readSpec(Path dir) {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("model", "The imported model's files are gone (" + MANIFEST + " missing)");
        }
        try {
            return ModelFiles.JSON.readValue(file.toFile(), Spec.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The three splits as one: an evaluation on all rows of a dataset version. */
    public static PreparedData.Split all(PreparedData data) {
        List<PreparedData.Split> parts = List.of(data.train(), data.validation(), data.test());
        int rows = parts.stream().mapToInt(PreparedData.Split::rows).sum();
        int width = data.test().width();
        float[] x = new float[Math.multiplyExact(rows, width)];
        float[] y = new float[rows];
        int at = 0;
        for (PreparedData.Split part : parts) {
            System.arraycopy(part.x(), 0, x, at * width, part.rows() * width);
            System.arraycopy(part.y(), 0, y, at, part.rows());
            at += part.rows();
        }
        return new PreparedData.Split(rows, width, x, y, List.of());
    }

    /** A version's template name for an imported format, as pages show it. */
    static String label(String templateName) {
        return switch (templateName == null ? "" : templateName) {
            case "ONNX" -> "Imported ONNX model";
            case "TORCHSCRIPT" -> "Imported TorchScript model";
            default -> templateName;
        };
    }

    /**
     * Refuses, with a message that says what is wrong, a file that does not load, or that refuses a probe batch of the
     * manifest's input width, or answers it with outputs of another shape than the manifest's task and classes need.
     *
     * @param dir the folder holding {@link Spec#fileName()}
     */
    public static void check(Path dir, Spec spec) {
        if (!Files.isRegularFile(dir.resolve(spec.fileName()))) {
            throw new BadInputException("file", "Send the model file");
        }
        try (Model model = load(dir, spec)) {
            float[] probe = new float[Math.multiplyExact(PROBE_ROWS, spec.inputWidth())];
            Random random = new Random(IMPORTANCE_SEED);
            for (int i = 0; i < probe.length; i++) {
                probe[i] = (float) random.nextGaussian();
            }
            predict(model, spec, probe, PROBE_ROWS, () -> false);
        }
    }

    /**
     * Measures the model on {@code rows}: the same metrics, confusion matrix or residual points, and permutation
     * importance as a trained model's evaluation.
     *
     * @param rows the rows encoded for the model (raw or prepared as its manifest says); {@code y} holds the index of
     *     the class in {@code dataLabels}, or the regression target
     * @param encoding the encoding the rows were made with (its features give each manifest column's width)
     * @param stop asked between batches and between the importance's features; true ends it with {@link Stopped}
     */
    public static EvaluationResult evaluate(Path dir, Spec spec, PreparedData.Split rows, List<String> dataLabels,
            Encoding encoding, BooleanSupplier stop) {
        if (rows.rows() == 0) {
            throw new BadInputException("dataset", "There are no rows to evaluate on");
        }
        if (rows.width() != spec.inputWidth()) {
            throw new BadInputException("dataset", "These rows encode to " + rows.width() + " values each, but the "
                    + "model takes " + spec.inputWidth());
        }
        float[] actual = rows.y().clone();
        if (spec.classification()) {
            for (int i = 0; i < actual.length; i++) {
                String label = dataLabels.get((int) actual[i]);
                int index = spec.classes().indexOf(label);
                if (index < 0) {
                    throw new BadInputException("dataset", "The target “" + spec.target() + "” has the class “"
                            + label + "”, which the model does not know (its classes: "
                            + String.join(", ", spec.classes()) + ")");
                }
                actual[i] = index;
            }
        }
        TrainingEngine.noAutogradOutsideCollectors();
        try (Model model = load(dir, spec)) {
            float[] predicted = predict(model, spec, rows.x(), rows.rows(), stop);
            int classes = spec.classification() ? spec.classes().size() : 0;
            Map<String, Double> metrics = spec.classification()
                    ? TrainingEngine.classificationMetrics(actual, predicted, classes)
                    : TrainingEngine.regressionMetrics(actual, predicted);
            List<ClassMetrics> perClass = new ArrayList<>();
            List<List<Long>> confusion = new ArrayList<>();
            List<Point> points = new ArrayList<>();
            if (spec.classification()) {
                long[][] matrix = TrainingEngine.confusion(actual, predicted, classes);
                for (int c = 0; c < classes; c++) {
                    double[] prf = TrainingEngine.precisionRecallF1(matrix, c);
                    long support = 0;
                    List<Long> row = new ArrayList<>();
                    for (int p = 0; p < classes; p++) {
                        support += matrix[c][p];
                        row.add(matrix[c][p]);
                    }
                    confusion.add(List.copyOf(row));
                    perClass.add(new ClassMetrics(spec.classes().get(c), prf[0], prf[1], prf[2], support));
                }
            } else {
                int step = Math.max(1, (rows.rows() + EvaluationResult.MAX_POINTS - 1) / EvaluationResult.MAX_POINTS);
                for (int i = 0; i < rows.rows() && points.size() < EvaluationResult.MAX_POINTS; i += step) {
                    points.add(new Point(actual[i], predicted[i]));
                }
            }
            double baseline = spec.classification() ? metrics.get("accuracy") : metrics.get("mse");
            List<FeatureImportance> importance = importance(model, spec, rows, encoding, actual, baseline, stop);
            return new EvaluationResult(spec.task(), rows.rows(), metrics,
                    spec.classification() ? spec.classes() : List.of(), perClass, confusion, points, importance);
        }
    }

    /** Each manifest column's values shuffled across rows (seeded): how much worse the model gets. */
    private static List<FeatureImportance> importance(Model model, Spec spec, PreparedData.Split rows,
            Encoding encoding, float[] actual, double baseline, BooleanSupplier stop) {
        List<FeatureImportance> result = new ArrayList<>();
        int width = rows.width();
        int column = 0;
        for (int f = 0; f < encoding.features().size(); f++) {
            Feature feature = encoding.features().get(f);
            int from = column;
            int to = column + feature.width();
            column = to;
            int[] order = TrainingEngine.shuffled(rows.rows(), IMPORTANCE_SEED, 10_000 + f);
            float[] x = rows.x().clone();
            for (int r = 0; r < rows.rows(); r++) {
                System.arraycopy(rows.x(), order[r] * width + from, x, r * width + from, to - from);
            }
            float[] predicted = predict(model, spec, x, rows.rows(), stop);
            double importance = spec.classification()
                    ? baseline - TrainingEngine.classificationMetrics(actual, predicted, spec.classes().size())
                            .get("accuracy")
                    : TrainingEngine.regressionMetrics(actual, predicted).get("mse") - baseline;
            result.add(new FeatureImportance(feature.column(), importance));
        }
        return result;
    }

    private static Model load(Path dir, Spec spec) {
        Model model = Model.newInstance("imported", Device.cpu(), spec.engine());
        try {
            model.load(dir, "model");
            return model;
        } catch (Exception | UnsatisfiedLinkError e) {
            model.close();
            throw new BadInputException("file", "The file is not a readable " + ("onnx".equals(spec.format())
                    ? "ONNX" : "TorchScript") + " model (" + reason(e) + "): export it again as the manifest's format "
                    + "says");
        }
    }

    /** Class indices (classification) or values (regression), one per row, in batches. */
    private static float[] predict(Model model, Spec spec, float[] x, int rows, BooleanSupplier stop) {
        int width = spec.inputWidth();
        float[] result = new float[rows];
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            for (int from = 0; from < rows; from += BATCH) {
                if (stop.getAsBoolean()) {
                    throw new Stopped();
                }
                int to = Math.min(rows, from + BATCH);
                int n = to - from;
                float[] values = new float[Math.multiplyExact(n, width)];
                System.arraycopy(x, Math.multiplyExact(from, width), values, 0, values.length);
                try (NDManager batch = model.getNDManager().newSubManager()) {
                    NDArray input = batch.create(values, new Shape(n, width));
                    NDList output;
                    try {
                        output = predictor.predict(new NDList(input));
                    } catch (Exception e) {
                        throw new BadInputException("file", "The model refused a batch of " + n + " rows × " + width
                                + " values (the manifest's features: " + String.join(", ", spec.features()) + "): "
                                + reason(e) + ". List every column the model reads, in its order");
                    }
                    float[] out = outputs(output, spec, n);
                    if (spec.classification()) {
                        int classes = spec.classes().size();
                        for (int r = 0; r < n; r++) {
                            int best = 0;
                            for (int c = 1; c < classes; c++) {
                                if (out[r * classes + c] > out[r * classes + best]) {
                                    best = c;
                                }
                            }
                            result[from + r] = best;
                        }
                    } else {
                        System.arraycopy(out, 0, result, from, n);
                    }
                }
            }
        }
        return result;
    }

    /** The first output, checked against the manifest: (rows, classes) logits or probabilities, or one value a row. */
    private static float[] outputs(NDList output, Spec spec, int rows) {
        if (output == null || output.isEmpty()) {
            throw new BadInputException("file", "The model gives no output");
        }
        NDArray out = output.get(0);
        Shape shape = out.getShape();
        String need = spec.classification()
                ? "(" + rows + ", " + spec.classes().size() + "): one score per class of the manifest ("
                        + String.join(", ", spec.classes()) + ")"
                : "(" + rows + ") or (" + rows + ", 1): one value per row";
        boolean fits = spec.classification()
                ? shape.dimension() == 2 && shape.get(0) == rows && shape.get(1) == spec.classes().size()
                : (shape.dimension() == 1 && shape.get(0) == rows)
                        || (shape.dimension() == 2 && shape.get(0) == rows && shape.get(1) == 1);
        if (!fits) {
            throw new BadInputException("file", "For a batch of " + rows + " rows the model gives outputs of shape "
                    + shape + "; the manifest's " + (spec.classification() ? "classes need " : "regression needs ")
                    + need);
        }
        return out.getDataType() == DataType.FLOAT32 ? out.toFloatArray()
                : out.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** The engine's message on one line, without server paths. */
    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        message = String.join(" ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        // Wrapped exceptions repeat their class names in front of the engine's own words.
        message = message.replaceAll("^(?:[\\w.$]+(?:Exception|Error): )+", "");
        message = Text.withoutFilePaths(message);
        return message.length() > 300 ? message.substring(0, 300) + "…" : message.toLowerCase(Locale.ROOT).isEmpty()
                ? "unknown error" : message;
    }
}
