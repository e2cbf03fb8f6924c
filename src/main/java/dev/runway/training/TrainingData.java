package dev.runway.training;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.runway.base.BadInputException;
import dev.runway.dataset.ColumnProfile;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.Preparation;
import dev.runway.dataset.Preparation.MissingValues;
import dev.runway.dataset.Preparation.TaskType;
import dev.runway.dataset.CsvProfiler;
import dev.runway.training.engine.Encoding;
import dev.runway.training.engine.Encoding.Feature;
import dev.runway.training.engine.Encoding.Kind;
import dev.runway.training.engine.PreparedData;
import dev.runway.training.engine.Task;
import dev.runway.training.engine.TrainingEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Makes a dataset version ready for training ({@link PreparedData}): rows read streaming from the stored CSV, split
 * into train/validation/test (stratified by class for classification, reproducible by seed), cleaned and encoded with
 * an {@link Encoding} fitted on the training split only (imputation, standardisation, one-hot categories, sorted class
 * labels, text tokens). The engine then trains on the arrays alone.
 */
public final class TrainingData {

    /** Words a model may keep at most, however large {@code vocabularySize} is. */
    public static final int MAX_VOCABULARY = 50_000;

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}']+");

    private TrainingData() {}

    /** Reads, splits, fits the encoding on the training split and encodes all three splits. */
    public static PreparedData load(Path csvFile, char delimiter, CsvProfile profile, Preparation preparation) {
        if (preparation.task() == null || preparation.target() == null || preparation.features() == null
                || preparation.features().isEmpty()) {
            throw new BadInputException("preparation", "Save the dataset's preparation (target, features, task) "
                    + "before training");
        }
        if (preparation.task() == TaskType.TEXT_CLASSIFICATION && preparation.features().size() != 1) {
            throw new BadInputException("features", "Text classification reads one text column: choose exactly one "
                    + "feature that holds text");
        }
        List<Kind> kinds = new ArrayList<>();
        for (String column : preparation.features()) {
            ColumnProfile c = profile.column(column).orElseThrow(() -> new BadInputException("features",
                    "There is no column “" + column + "” in this version"));
            kinds.add(preparation.task() == TaskType.TEXT_CLASSIFICATION ? Kind.TEXT
                    : c.isNumeric() ? Kind.NUMERIC : Kind.CATEGORICAL);
        }
        boolean drop = preparation.missingValues() == MissingValues.DROP_ROWS;
        Raw raw = read(csvFile, delimiter, profile, preparation.task(), preparation.target(),
                preparation.features(), kinds, drop);
        if (raw.size() == 0) {
            throw new BadInputException("missingValues", "No row is left after removing rows with missing values: "
                    + "impute them instead, or fix the file");
        }
        List<String> labels = preparation.task() == TaskType.REGRESSION ? List.of() : sortedLabels(raw.labels,
                profile.decimalSeparator());
        int[][] parts = split(raw, labels, preparation);
        checkSplit(parts, raw.size(), preparation);
        List<Feature> features = fit(raw, parts[0], preparation.features(), kinds, preparation.standardize());
        List<String> vocabulary = preparation.task() == TaskType.TEXT_CLASSIFICATION
                ? vocabulary(raw, parts[0]) : List.of();
        Encoding encoding = new Encoding(Task.of(preparation.task()), preparation.target(), features, labels,
                vocabulary, drop);
        return new PreparedData(encoding, encode(raw, parts[0], encoding), encode(raw, parts[1], encoding),
                encode(raw, parts[2], encoding));
    }

    /**
     * Reads a whole file with an encoding fitted before (a model's): every row lands in {@link #test()}. Used to
     * evaluate a model on another dataset version with the same columns.
     */
    public static PreparedData loadWith(Path csvFile, char delimiter, CsvProfile profile, Encoding encoding) {
        List<String> columns = encoding.features().stream().map(Feature::column).toList();
        List<Kind> kinds = encoding.features().stream().map(Feature::kind).toList();
        for (String column : columns) {
            if (profile.column(column).isEmpty()) {
                throw new BadInputException("dataset", "This version has no column “" + column + "”, which the "
                        + "model reads: evaluate it on a version with the same columns");
            }
        }
        Raw raw = read(csvFile, delimiter, profile, TaskType.valueOf(encoding.task().name()), encoding.target(),
                columns, kinds,
                encoding.dropRowsWithMissing());
        int[] all = new int[raw.size()];
        int n = 0;
        for (int i = 0; i < raw.size(); i++) {
            if (!encoding.isClassification() || encoding.labels().contains(raw.labels.get(i))) {
                all[n++] = i;
            }
        }
        PreparedData.Split empty = encode(raw, new int[0], encoding);
        return new PreparedData(encoding, empty, empty, encode(raw, Arrays.copyOf(all, n), encoding));
    }

    /** {@link #loadWith} using the encoding saved beside a trained model. */
    public static PreparedData loadForModel(Path csvFile, char delimiter, CsvProfile profile, Path modelDir) {
        return loadWith(csvFile, delimiter, profile, TrainingEngine.savedEncoding(modelDir));
    }

    /** Lower-case word tokens, as the vocabulary sees them. */
    public static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (String t : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
        return tokens;
    }

    /** The raw values of the selected columns, row by row, before any fitting. */
    private static final class Raw {
        final List<String> labels = new ArrayList<>();
        double[] targets = new double[1024];
        final List<double[]> numbers = new ArrayList<>();
        final List<List<Object>> objects = new ArrayList<>();
        int rows;

        Raw(List<Kind> kinds) {
            for (Kind ignored : kinds) {
                numbers.add(new double[1024]);
                objects.add(new ArrayList<>());
            }
        }

        int size() {
            return rows;
        }
    }

    private static Raw read(Path file, char delimiter, CsvProfile profile, TaskType task, String target,
            List<String> columns, List<Kind> kinds, boolean dropMissing) {
        List<String> names = profile.columnNames();
        int targetIndex = names.indexOf(target);
        if (targetIndex < 0) {
            throw new BadInputException("target", "There is no column “" + target + "” in this version");
        }
        int[] indices = columns.stream().mapToInt(names::indexOf).toArray();
        char decimal = profile.decimalSeparator();
        Raw raw = new Raw(kinds);
        try (CsvReader<CsvRecord> csv = CsvProfiler.open(file, delimiter)) {
            boolean first = profile.header();
            for (CsvRecord record : csv) {
                if (first) {
                    first = false;
                    continue;
                }
                if (record.getFieldCount() != names.size()) {
                    continue;
                }
                String targetValue = clean(record.getField(targetIndex));
                if (targetValue == null) {
                    continue; // a row without a target teaches nothing and cannot be imputed
                }
                double targetNumber = 0;
                if (task == TaskType.REGRESSION) {
                    targetNumber = CsvProfiler.number(targetValue, decimal);
                    if (Double.isNaN(targetNumber)) {
                        continue;
                    }
                }
                Object[] objects = new Object[indices.length];
                double[] numbers = new double[indices.length];
                boolean missing = false;
                for (int f = 0; f < indices.length; f++) {
                    String value = clean(record.getField(indices[f]));
                    switch (kinds.get(f)) {
                        case NUMERIC -> {
                            // Text and infinities in a numeric column are missing values (the profile counted them).
                            numbers[f] = value == null ? Double.NaN : CsvProfiler.number(value, decimal);
                            missing |= Double.isNaN(numbers[f]);
                        }
                        case CATEGORICAL -> {
                            objects[f] = value;
                            missing |= value == null;
                        }
                        case TEXT -> {
                            objects[f] = value == null ? null : tokenize(value);
                            missing |= value == null;
                        }
                    }
                }
                if (missing && dropMissing) {
                    continue;
                }
                int row = raw.rows++;
                if (row == raw.targets.length) {
                    raw.targets = Arrays.copyOf(raw.targets, row * 2);
                    for (int f = 0; f < indices.length; f++) {
                        raw.numbers.set(f, Arrays.copyOf(raw.numbers.get(f), row * 2));
                    }
                }
                raw.targets[row] = targetNumber;
                raw.labels.add(task == TaskType.REGRESSION ? null : targetValue);
                for (int f = 0; f < indices.length; f++) {
                    raw.numbers.get(f)[row] = numbers[f];
                    raw.objects.get(f).add(objects[f]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return raw;
    }

    /** The stripped value, or null for a missing one (as the profile counted it). */
    private static String clean(String value) {
        String v = value.strip();
        return CsvProfiler.isMissing(v) ? null : v;
    }

    /** Sorted by name, or by value when every label is a number (so that "10" follows "9"). */
    private static List<String> sortedLabels(List<String> labels, char decimal) {
        List<String> distinct = new ArrayList<>(new java.util.TreeSet<>(labels));
        if (distinct.stream().allMatch(l -> !Double.isNaN(CsvProfiler.number(l, decimal)))) {
            distinct.sort(Comparator.<String>comparingDouble(l -> CsvProfiler.number(l, decimal))
                    .thenComparing(Comparator.naturalOrder()));
        }
        return List.copyOf(distinct);
    }

    /** Row indices of train, validation and test; per class when classifying so each split keeps the proportions. */
    private static int[][] split(Raw raw, List<String> labels, Preparation p) {
        Random random = new Random(p.seed());
        List<List<Integer>> groups = new ArrayList<>();
        if (labels.isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                all.add(i);
            }
            groups.add(all);
        } else {
            Map<String, List<Integer>> byLabel = new TreeMap<>();
            for (int i = 0; i < raw.size(); i++) {
                byLabel.computeIfAbsent(raw.labels.get(i), k -> new ArrayList<>()).add(i);
            }
            for (String label : labels) {
                groups.add(byLabel.get(label));
            }
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> group : groups) {
            Collections.shuffle(group, random);
            int n = group.size();
            int[] sizes = p.splitSizes(n);
            int nTrain = sizes[0];
            int nValidation = sizes[1];
            train.addAll(group.subList(0, nTrain));
            validation.addAll(group.subList(nTrain, nTrain + nValidation));
            test.addAll(group.subList(nTrain + nValidation, n));
        }
        Collections.shuffle(train, random);
        Collections.shuffle(validation, random);
        Collections.shuffle(test, random);
        return new int[][] {toArray(train), toArray(validation), toArray(test)};
    }

    /**
     * The saved preparation was checked against the profile, but rows dropped for a missing value (or a preparation
     * saved before that check) can still leave a split empty: fail clearly rather than register a model measured on
     * nothing.
     */
    private static void checkSplit(int[][] parts, int rows, Preparation p) {
        String read = rows + " usable rows (rows without a target" + (p.missingValues() == MissingValues.DROP_ROWS
                ? " or with a missing value" : "") + " are left out)";
        if (p.validationRatio() > 0 && parts[1].length == 0) {
            throw new BadInputException("validationRatio", "The file has " + read + ": a validation share of "
                    + p.validationRatio() + " leaves the validation set empty. Raise the share, add rows, or set it "
                    + "to 0 to train without validation");
        }
        if (parts[2].length == 0) {
            throw new BadInputException("testRatio", "The file has " + read + ": a test share of " + p.testRatio()
                    + " leaves no row to test the model on. Raise the share or add rows");
        }
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Feature> fit(Raw raw, int[] train, List<String> columns, List<Kind> kinds,
            boolean standardize) {
        List<Feature> features = new ArrayList<>();
        for (int f = 0; f < columns.size(); f++) {
            switch (kinds.get(f)) {
                case NUMERIC -> {
                    double[] values = raw.numbers.get(f);
                    double sum = 0;
                    long n = 0;
                    for (int i : train) {
                        if (!Double.isNaN(values[i])) {
                            sum += values[i];
                            n++;
                        }
                    }
                    double mean = n == 0 ? 0 : sum / n;
                    double squares = 0;
                    for (int i : train) {
                        if (!Double.isNaN(values[i])) {
                            squares += (values[i] - mean) * (values[i] - mean);
                        }
                    }
                    double std = n == 0 ? 0 : Math.sqrt(squares / n);
                    // a constant column carries no information; dividing by 1 keeps it finite
                    features.add(new Feature(columns.get(f), Kind.NUMERIC, mean, null, standardize ? mean : 0,
                            standardize && std > 1e-12 ? std : 1, List.of()));
                }
                case CATEGORICAL -> {
                    Map<String, Integer> counts = new TreeMap<>();
                    for (int i : train) {
                        Object v = raw.objects.get(f).get(i);
                        if (v != null) {
                            counts.merge((String) v, 1, Integer::sum);
                        }
                    }
                    String mode = counts.entrySet().stream()
                            .max(Map.Entry.<String, Integer>comparingByValue()
                                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                            .map(Map.Entry::getKey).orElse(null);
                    features.add(new Feature(columns.get(f), Kind.CATEGORICAL, Double.NaN, mode, 0, 1,
                            List.copyOf(counts.keySet())));
                }
                case TEXT -> features.add(new Feature(columns.get(f), Kind.TEXT, Double.NaN, null, 0, 1, List.of()));
            }
        }
        return List.copyOf(features);
    }

    @SuppressWarnings("unchecked")
    private static List<String> vocabulary(Raw raw, int[] train) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i : train) {
            List<String> tokens = (List<String>) raw.objects.get(0).get(i);
            if (tokens != null) {
                tokens.forEach(t -> counts.merge(t, 1, Integer::sum));
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_VOCABULARY)
                .map(Map.Entry::getKey)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static PreparedData.Split encode(Raw raw, int[] rows, Encoding encoding) {
        int width = encoding.width();
        float[] x = new float[rows.length * width];
        float[] y = new float[rows.length];
        List<List<String>> tokens = encoding.isText() ? new ArrayList<>(rows.length) : List.of();
        Map<String, Integer> labelIndex = new HashMap<>();
        for (int l = 0; l < encoding.labels().size(); l++) {
            labelIndex.put(encoding.labels().get(l), l);
        }
        List<Feature> features = encoding.features();
        for (int r = 0; r < rows.length; r++) {
            int i = rows[r];
            y[r] = encoding.isClassification() ? labelIndex.get(raw.labels.get(i)) : (float) raw.targets[i];
            int offset = r * width;
            for (int f = 0; f < features.size(); f++) {
                Feature feature = features.get(f);
                switch (feature.kind()) {
                    case NUMERIC -> {
                        double v = raw.numbers.get(f)[i];
                        if (Double.isNaN(v)) {
                            v = feature.fill();
                        }
                        x[offset++] = (float) ((v - feature.mean()) / feature.std());
                    }
                    case CATEGORICAL -> {
                        String v = (String) raw.objects.get(f).get(i);
                        if (v == null) {
                            v = feature.fillCategory();
                        }
                        int c = v == null ? -1 : Collections.binarySearch(feature.categories(), v);
                        if (c >= 0) {
                            x[offset + c] = 1;
                        }
                        offset += feature.categories().size();
                    }
                    case TEXT -> {
                        List<String> t = (List<String>) raw.objects.get(f).get(i);
                        tokens.add(t == null ? List.of() : t);
                    }
                }
            }
        }
        return new PreparedData.Split(rows.length, width, x, y, tokens);
    }
}
