package dev.runway.dataset;

import java.util.List;
import java.util.Optional;

/**
 * The format and the per-column profile of one CSV file. {@code decimalSeparator} is {@code ','} for a file written
 * with decimal commas ({@code 1,5} in a semicolon- or tab-separated file) and {@code '.'} otherwise; training reads the
 * numbers of the file with it. Profiles stored before it existed read as {@code '.'}.
 */
public record CsvProfile(char delimiter, boolean header, long rows, List<ColumnProfile> columns,
        char decimalSeparator) {

    public CsvProfile {
        if (decimalSeparator != ',') {
            decimalSeparator = '.';
        }
    }

    public Optional<ColumnProfile> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnProfile::name).toList();
    }

    /** What the uploader should know although the file was accepted: infinities in numeric columns. */
    public List<String> warnings() {
        return columns.stream().filter(c -> c.invalidNumbers() > 0).map(c -> "Column “" + c.name() + "” has "
                + c.invalidNumbers() + (c.invalidNumbers() == 1 ? " infinite value" : " infinite values")
                + " (“" + c.firstInvalidValue() + "” on line " + c.firstInvalidLine() + "): it is not a number a "
                + "model can learn from, so training treats it as missing").toList();
    }
}
