package dev.runway.dataset;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What one column of a dataset version holds. Numeric statistics are set for numeric columns only; value counts for
 * columns with at most {@link CsvProfiler#DISTINCT_CAP} distinct values. {@code invalidNumbers} counts the infinities
 * ({@code inf}, {@code Infinity}, …) of a numeric column: they are not numbers a model can learn from, so training
 * treats them as missing values.
 */
public record ColumnProfile(
        String name,
        ColumnType type,
        long missing,
        long nonNumeric,
        Long firstNonNumericLine,
        String firstNonNumericValue,
        Double min,
        Double max,
        Double mean,
        long distinct,
        boolean distinctCapped,
        List<ValueCount> topValues,
        List<Bin> histogram,
        boolean histogramSampled,
        long invalidNumbers,
        Long firstInvalidLine,
        String firstInvalidValue) {

    public enum ColumnType { NUMERIC, CATEGORICAL, TEXT }

    public record ValueCount(String value, long count) {}

    public record Bin(double from, double to, long count) {}

    @JsonIgnore
    public boolean isNumeric() {
        return type == ColumnType.NUMERIC;
    }
}
