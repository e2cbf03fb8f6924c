package dev.runway.dataset;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.runway.base.BadInputException;
import dev.runway.dataset.ColumnProfile.Bin;
import dev.runway.dataset.ColumnProfile.ColumnType;
import dev.runway.dataset.ColumnProfile.ValueCount;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a CSV file once, streaming, and profiles it: delimiter and header detection, UTF-8 with or without BOM,
 * quoted fields (FastCSV), per-column types and statistics. Bad files are refused with a message that names the line
 * and column and what to fix. Memory stays bounded whatever the file size: value counts stop at
 * {@value #DISTINCT_CAP} distinct values per column and histograms come from a reservoir sample.
 */
public final class CsvProfiler {

    public static final int DISTINCT_CAP = 10_000;
    public static final int SAMPLE_SIZE = 10_000;
    public static final int HISTOGRAM_BINS = 20;
    public static final int TOP_VALUES = 50;
    private static final int SNIFF_BYTES = 64 * 1024;
    private static final char[] DELIMITERS = {',', ';', '\t', '|'};
    /** What a file writes for "no value" (besides nothing at all); none is longer than 4 characters. */
    private static final Set<String> MISSING = Set.of("", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?");

    private CsvProfiler() {}

    public static CsvProfile profile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return profile(in);
        }
    }

    /** Profiles a stream read once to its end (an upload while it is being stored); the caller closes it. */
    public static CsvProfile profile(InputStream in) throws IOException {
        byte[] head = in.readNBytes(SNIFF_BYTES);
        int bom = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
                && (head[2] & 0xff) == 0xBF ? 3 : 0;
        String sample = sampleText(head, bom);
        if (sample.isBlank()) {
            throw new BadInputException("file", "The file is empty: upload a CSV with a header row and data rows");
        }
        char delimiter = detectDelimiter(sample);
        char decimal = detectDecimalSeparator(parse(sample, delimiter, 1000), delimiter);
        List<List<String>> sampleRows = parse(sample, delimiter, 50);
        boolean header = detectHeader(sampleRows, decimal);
        List<String> names = header ? checkHeader(sampleRows.get(0)) : generatedNames(sampleRows.get(0).size());

        Column[] columns = new Column[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new Column(names.get(i), i, decimal);
        }
        long rows = 0;
        long line = 0;
        try {
            InputStream body = new SequenceInputStream(new ByteArrayInputStream(head, bom, head.length - bom), in);
            Reader reader = new InputStreamReader(body, strictUtf8());
            CsvReader<CsvRecord> csv = CsvReader.builder().fieldSeparator(delimiter).skipEmptyLines(true)
                    .ignoreDifferentFieldCount(true).ofCsvRecord(reader);
            boolean first = true;
            for (CsvRecord record : csv) {
                line = record.getStartingLineNumber();
                if (first) {
                    first = false;
                    if (header) {
                        continue;
                    }
                }
                if (record.getFieldCount() != columns.length) {
                    if (record.getFieldCount() == 1 && record.getField(0).isBlank()) {
                        continue;
                    }
                    throw new BadInputException("file", "Line " + line + " has " + record.getFieldCount()
                            + " values but the file has " + columns.length + " columns: every row needs one value "
                            + "per column (check for a missing or extra " + describe(delimiter) + ")");
                }
                for (Column column : columns) {
                    column.add(record.getField(column.index), line);
                }
                rows++;
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new BadInputException("file", "The file is not valid UTF-8 after line " + line
                        + ": save it as UTF-8 (CSV UTF-8 in spreadsheet programs) and upload it again");
            }
            throw e;
        } catch (CsvParseException e) {
            throw new BadInputException("file", "The file could not be read as CSV after line " + line + ": "
                    + e.getMessage() + ". Check for an unclosed quote (\")");
        }
        if (rows == 0) {
            throw new BadInputException("file", "The file has a header but no rows of data");
        }
        List<ColumnProfile> profiles = new ArrayList<>();
        for (Column column : columns) {
            profiles.add(column.profile(rows));
        }
        return new CsvProfile(delimiter, header, rows, List.copyOf(profiles), decimal);
    }

    /** Reads the rows of a stored file, for previews and training. */
    public static CsvReader<CsvRecord> open(Path file, char delimiter) throws IOException {
        InputStream in = Files.newInputStream(file);
        byte[] bom = in.readNBytes(3);
        boolean hasBom = bom.length == 3 && (bom[0] & 0xff) == 0xEF && (bom[1] & 0xff) == 0xBB
                && (bom[2] & 0xff) == 0xBF;
        in.close();
        InputStream body = Files.newInputStream(file);
        body.skipNBytes(hasBom ? 3 : 0);
        return CsvReader.builder().fieldSeparator(delimiter).skipEmptyLines(true).ignoreDifferentFieldCount(true)
                .ofCsvRecord(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The head of the file up to its last complete line, checked to be UTF-8. */
    private static String sampleText(byte[] head, int bom) {
        int end = head.length;
        if (head.length == SNIFF_BYTES) {
            while (end > bom && head[end - 1] != '\n') {
                end--;
            }
        }
        try {
            return strictUtf8().decode(ByteBuffer.wrap(head, bom, end - bom)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException("file", "The file is not valid UTF-8 near its start: save it as UTF-8 "
                    + "(CSV UTF-8 in spreadsheet programs) and upload it again");
        }
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** The candidate that splits the first lines into the same number (more than one) of fields most often. */
    static char detectDelimiter(String sample) {
        char best = ',';
        int bestScore = 0;
        for (char candidate : DELIMITERS) {
            List<List<String>> rows;
            try {
                rows = parse(sample, candidate, 50);
            } catch (CsvParseException e) {
                continue;
            }
            if (rows.isEmpty() || rows.get(0).size() < 2) {
                continue;
            }
            int width = rows.get(0).size();
            int score = (int) rows.stream().filter(r -> r.size() == width).count() * 100 + Math.min(width, 99);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * A comma when the file is not comma-separated, some cells of its head are decimal-comma numbers ({@code 1,5})
     * and none is a decimal-point number; a point otherwise. A comma-separated file keeps the point: a decimal comma
     * there must be quoted ({@code "1,5"}), and such a quoted cell is text, not a number. Deciding once for the whole
     * file keeps it simple and lets training read every number the same way: in a decimal-comma file a value with a
     * point (a thousands separator, or a stray {@code 1.5}) is not a number and is reported as such.
     */
    static char detectDecimalSeparator(List<List<String>> rows, char delimiter) {
        if (delimiter == ',') {
            return '.';
        }
        int commas = 0;
        for (List<String> row : rows) {
            for (String cell : row) {
                String value = cell.strip();
                if (POINT_DECIMAL.matcher(value).matches()) {
                    return '.';
                }
                if (COMMA_DECIMAL.matcher(value).matches()) {
                    commas++;
                }
            }
        }
        return commas > 0 ? ',' : '.';
    }

    private static final Pattern COMMA_DECIMAL = Pattern.compile("[+-]?\\d*,\\d+([eE][+-]?\\d+)?");
    private static final Pattern POINT_DECIMAL = Pattern.compile("[+-]?\\d*\\.\\d+([eE][+-]?\\d+)?");

    /**
     * A first row is a header unless it looks like data: it is a header when some column is numeric in the rows
     * below but not in the first row, or when no column is numeric at all.
     */
    static boolean detectHeader(List<List<String>> rows, char decimal) {
        if (rows.size() < 2) {
            return true;
        }
        List<String> first = rows.get(0);
        boolean anyNumericColumn = false;
        for (int c = 0; c < first.size(); c++) {
            final int col = c;
            boolean numericBelow = rows.subList(1, rows.size()).stream()
                    .filter(r -> r.size() > col && !isMissing(r.get(col).strip()))
                    .allMatch(r -> isNumber(r.get(col), decimal));
            boolean anyBelow = rows.subList(1, rows.size()).stream()
                    .anyMatch(r -> r.size() > col && !isMissing(r.get(col).strip()));
            if (numericBelow && anyBelow) {
                anyNumericColumn = true;
                if (!isNumber(first.get(c), decimal)) {
                    return true;
                }
            }
        }
        return !anyNumericColumn;
    }

    private static List<String> checkHeader(List<String> header) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            if (name.isEmpty()) {
                throw new BadInputException("file", "Column " + (i + 1) + " has no name in the header (line 1): "
                        + "give every column a name");
            }
            Integer before = seen.putIfAbsent(name, i + 1);
            if (before != null) {
                throw new BadInputException("file", "The header (line 1) names two columns “" + name + "” (columns "
                        + before + " and " + (i + 1) + "): rename one so that every name is unique");
            }
            names.add(name);
        }
        return names;
    }

    private static List<String> generatedNames(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add("column_" + i);
        }
        return names;
    }

    private static List<List<String>> parse(String text, char delimiter, int maxRows) {
        List<List<String>> rows = new ArrayList<>();
        for (CsvRecord r : CsvReader.builder().fieldSeparator(delimiter).skipEmptyLines(true)
                .ignoreDifferentFieldCount(true).ofCsvRecord(text)) {
            rows.add(r.getFields());
            if (rows.size() >= maxRows) {
                break;
            }
        }
        return rows;
    }

    static boolean isNumber(String value, char decimal) {
        return !Double.isNaN(parseNumber(value.strip(), decimal));
    }

    /**
     * The value of a finite number written with {@code decimalSeparator} ({@link CsvProfile#decimalSeparator()}),
     * or NaN for anything else (text, infinities). Training reads numbers with this, as the profile did.
     */
    public static double number(String value, char decimalSeparator) {
        return parseNumber(value.strip(), decimalSeparator);
    }

    /**
     * Whether a stripped value is a missing one: empty, {@code NA}, {@code N/A}, {@code NaN}, {@code nan},
     * {@code null}, {@code NULL}, {@code None} or {@code ?}. The profile counts these as missing and training fills or
     * drops them, so both read a file alike.
     */
    public static boolean isMissing(String stripped) {
        return stripped.length() <= 4 && MISSING.contains(stripped);
    }

    /** {@code inf}, {@code -Infinity} and the like, in any case: a value that is not a finite number. */
    public static boolean isInfinity(String value) {
        String v = value.strip();
        return v.length() <= 9 && INFINITIES.contains(v.toLowerCase(Locale.ROOT));
    }

    private static final Set<String> INFINITIES = Set.of("inf", "+inf", "-inf", "infinity", "+infinity",
            "-infinity");

    static double parseNumber(String s, char decimal) {
        if (decimal == ',') {
            if (s.indexOf('.') >= 0) {
                return Double.NaN;
            }
            return parseNumber(s.replace(',', '.'));
        }
        return parseNumber(s);
    }

    /**
     * The value of a finite decimal number, or NaN. Plain decimals up to 15 digits take a fast exact path (an integer
     * mantissa below 2^53 divided by an exact power of ten rounds correctly); anything else goes to
     * Double.parseDouble.
     */
    static double parseNumber(String s) {
        int n = s.length();
        if (n == 0) {
            return Double.NaN;
        }
        char c = s.charAt(0);
        if (!(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.') {
            return Double.NaN; // also keeps "Infinity" and "NaN" out
        }
        int i = c == '-' || c == '+' ? 1 : 0;
        long mantissa = 0;
        int digits = 0;
        int decimals = -1;
        for (; i < n; i++) {
            char d = s.charAt(i);
            if (d >= '0' && d <= '9') {
                mantissa = mantissa * 10 + (d - '0');
                if (++digits > 15) {
                    return slowParse(s);
                }
                if (decimals >= 0) {
                    decimals++;
                }
            } else if (d == '.' && decimals < 0) {
                decimals = 0;
            } else {
                return slowParse(s);
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        double value = decimals > 0 ? mantissa / POWERS_OF_TEN[decimals] : mantissa;
        return c == '-' ? -value : value;
    }

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16};

    private static double slowParse(String s) {
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String describe(char delimiter) {
        return switch (delimiter) {
            case '\t' -> "tab";
            case ';' -> "semicolon";
            case '|' -> "pipe (|)";
            default -> "comma or quote";
        };
    }

    /** Running statistics of one column. */
    private static final class Column {
        final String name;
        final int index;
        long missing;
        long numeric;
        long nonNumeric;
        long invalid;
        Long firstInvalidLine;
        String firstInvalidValue;
        Long firstNonNumericLine;
        String firstNonNumericValue;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        long lengthSum;
        Map<String, long[]> counts = new HashMap<>();
        boolean capped;
        final double[] sample = new double[SAMPLE_SIZE];
        long seen;
        final Random random;
        final char decimal;

        Column(String name, int index, char decimal) {
            this.name = name;
            this.index = index;
            this.decimal = decimal;
            this.random = new Random(31L * index + 7);
        }

        void add(String raw, long line) {
            String value = raw.strip();
            if (isMissing(value)) {
                missing++;
                return;
            }
            lengthSum += value.length();
            if (!capped) {
                long[] count = counts.get(value);
                if (count != null) {
                    count[0]++;
                } else if (counts.size() < DISTINCT_CAP) {
                    counts.put(value, new long[] {1});
                } else {
                    capped = true;
                    counts = null;
                }
            }
            if (nonNumeric == 0 || numeric == 0) {
                double d = parseNumber(value, decimal);
                if (!Double.isNaN(d)) {
                    numeric++;
                    sum += d;
                    if (d < min) {
                        min = d;
                    }
                    if (d > max) {
                        max = d;
                    }
                    sampleValue(d);
                    return;
                }
                if (isInfinity(value)) {
                    if (invalid++ == 0) {
                        firstInvalidLine = line;
                        firstInvalidValue = value;
                    }
                    return;
                }
            }
            if (nonNumeric++ == 0) {
                firstNonNumericLine = line;
                firstNonNumericValue = value.length() > 40 ? value.substring(0, 40) + "…" : value;
            }
        }

        /** Reservoir sampling (Algorithm R): every value has the same chance to be in the sample. */
        private void sampleValue(double d) {
            if (seen < SAMPLE_SIZE) {
                sample[(int) seen] = d;
            } else {
                long j = (long) (random.nextDouble() * (seen + 1));
                if (j < SAMPLE_SIZE) {
                    sample[(int) j] = d;
                }
            }
            seen++;
        }

        ColumnProfile profile(long rows) {
            long present = rows - missing;
            boolean isNumeric = numeric > 0 && nonNumeric == 0;
            long distinct = capped ? DISTINCT_CAP : counts.size();
            double averageLength = present == 0 ? 0 : (double) lengthSum / present;
            ColumnType type;
            if (isNumeric) {
                type = ColumnType.NUMERIC;
            } else if (!capped && averageLength <= 40 && distinct <= Math.max(20, Math.min(1000, present / 20))) {
                type = ColumnType.CATEGORICAL;
            } else {
                type = ColumnType.TEXT;
            }
            // A numeric column's top values only matter where it can be a class label; for the others they would
            // make a wide file's profile megabytes larger for nothing.
            boolean keepTop = !capped && (!isNumeric || distinct <= PreparationRules.MAX_CLASSES);
            List<ValueCount> top = !keepTop ? List.of() : counts.entrySet().stream()
                    .sorted(Map.Entry.<String, long[]>comparingByValue(Comparator.comparingLong(a -> -a[0]))
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP_VALUES)
                    .map(e -> new ValueCount(e.getKey(), e.getValue()[0]))
                    .toList();
            return new ColumnProfile(name, type, missing, isNumeric ? 0 : nonNumeric,
                    isNumeric ? null : firstNonNumericLine, isNumeric ? null : firstNonNumericValue,
                    isNumeric ? min : null, isNumeric ? max : null, isNumeric ? sum / numeric : null,
                    distinct, capped, top, isNumeric ? histogram() : List.of(), isNumeric && seen > SAMPLE_SIZE,
                    isNumeric ? invalid : 0, isNumeric ? firstInvalidLine : null,
                    isNumeric ? firstInvalidValue : null);
        }

        private List<Bin> histogram() {
            int n = (int) Math.min(seen, SAMPLE_SIZE);
            double[] values = Arrays.copyOf(sample, n);
            if (max == min) {
                return List.of(new Bin(min, max, seen));
            }
            long[] bins = new long[HISTOGRAM_BINS];
            double width = (max - min) / HISTOGRAM_BINS;
            for (double v : values) {
                bins[Math.min(HISTOGRAM_BINS - 1, (int) ((v - min) / width))]++;
            }
            List<Bin> result = new ArrayList<>();
            for (int i = 0; i < HISTOGRAM_BINS; i++) {
                result.add(new Bin(min + i * width, min + (i + 1) * width, bins[i]));
            }
            return result;
        }
    }
}
