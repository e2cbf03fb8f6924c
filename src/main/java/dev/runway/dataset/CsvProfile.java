package dev.runway.dataset;

import java.util.List;
import java.util.Optional;

/** The format and the per-column profile of one CSV file. */
public record CsvProfile(char delimiter, boolean header, long rows, List<ColumnProfile> columns) {

    public Optional<ColumnProfile> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnProfile::name).toList();
    }
}
