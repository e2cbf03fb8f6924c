package dev.runway.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.dataset.ColumnProfile.ColumnType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvProfilerTest {

    @TempDir
    Path dir;

    @Test
    void iris_has_150_rows_5_columns_and_3_balanced_classes() throws IOException {
        CsvProfile profile = CsvProfiler.profile(Path.of("samples/iris.csv"));
        assertThat(profile.rows()).isEqualTo(150);
        assertThat(profile.columns()).hasSize(5);
        assertThat(profile.header()).isTrue();
        assertThat(profile.delimiter()).isEqualTo(',');
        ColumnProfile species = profile.column("species").orElseThrow();
        assertThat(species.type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(species.topValues()).extracting(ColumnProfile.ValueCount::count).containsOnly(50L);
        ColumnProfile sepal = profile.column("sepal_length").orElseThrow();
        assertThat(sepal.type()).isEqualTo(ColumnType.NUMERIC);
        assertThat(sepal.min()).isEqualTo(4.3);
        assertThat(sepal.max()).isEqualTo(7.9);
        assertThat(sepal.mean()).isCloseTo(5.843, org.assertj.core.data.Offset.offset(0.001));
        assertThat(sepal.histogram()).hasSize(CsvProfiler.HISTOGRAM_BINS);
        assertThat(sepal.histogram().stream().mapToLong(ColumnProfile.Bin::count).sum()).isEqualTo(150L);
    }

    @Test
    void the_other_samples_profile_as_expected() throws IOException {
        CsvProfile digits = CsvProfiler.profile(Path.of("samples/digits.csv"));
        assertThat(digits.rows()).isEqualTo(1797);
        assertThat(digits.columns()).hasSize(65);
        assertThat(digits.column("digit").orElseThrow().distinct()).isEqualTo(10);
        CsvProfile tickets = CsvProfiler.profile(Path.of("samples/support_tickets.csv"));
        assertThat(tickets.rows()).isEqualTo(1500);
        assertThat(tickets.column("text").orElseThrow().type()).isEqualTo(ColumnType.TEXT);
        assertThat(tickets.column("intent").orElseThrow().distinct()).isEqualTo(3);
        CsvProfile linear = CsvProfiler.profile(Path.of("samples/linear.csv"));
        assertThat(linear.rows()).isEqualTo(1000);
        assertThat(linear.columnNames()).containsExactly("x", "y");
    }

    @Test
    void delimiters_quotes_bom_and_missing_header_are_detected() throws IOException {
        CsvProfile semicolons = profile("\uFEFFname;\"note; with delimiter\";score\nann;\"a \"\"quoted\"\" word\";1,5\n"
                + "bob;plain;2\n");
        assertThat(semicolons.delimiter()).isEqualTo(';');
        assertThat(semicolons.columnNames()).containsExactly("name", "note; with delimiter", "score");
        assertThat(semicolons.rows()).isEqualTo(2);

        CsvProfile tabs = profile("a\tb\n1\t2\n3\t4\n");
        assertThat(tabs.delimiter()).isEqualTo('\t');

        CsvProfile noHeader = profile("1.0,2.0,x\n3.0,4.0,y\n5.0,6.0,x\n");
        assertThat(noHeader.header()).isFalse();
        assertThat(noHeader.rows()).isEqualTo(3);
        assertThat(noHeader.columnNames()).containsExactly("column_1", "column_2", "column_3");
    }

    @Test
    void missing_values_and_non_numeric_cells_are_counted_with_their_line() throws IOException {
        CsvProfile profile = profile("x,y\n1,2\n,3\n4,abc\nNA,5\n");
        ColumnProfile x = profile.column("x").orElseThrow();
        assertThat(x.missing()).isEqualTo(2);
        assertThat(x.type()).isEqualTo(ColumnType.NUMERIC);
        ColumnProfile y = profile.column("y").orElseThrow();
        assertThat(y.isNumeric()).isFalse();
        assertThat(y.firstNonNumericLine()).isEqualTo(4);
        assertThat(y.firstNonNumericValue()).isEqualTo("abc");
    }

    @Test
    void bad_files_are_refused_with_the_line_and_what_to_fix() {
        assertRefused("", "The file is empty");
        assertRefused("\n\n  \n", "The file is empty");
        assertRefused("a,b,c\n", "header but no rows");
        assertRefused("a,b,c\n1,2,3\n4,5\n", "Line 3 has 2 values but the file has 3 columns");
        assertRefused("a,b,a\n1,2,3\n", "names two columns “a” (columns 1 and 3)");
        assertRefused("a,,c\n1,2,3\n", "Column 2 has no name");
    }

    @Test
    void invalid_utf8_is_refused_with_its_line() throws IOException {
        Path file = dir.resolve("latin1.csv");
        StringBuilder ok = new StringBuilder("name,city\n");
        for (int i = 0; i < 5000; i++) {
            ok.append("row").append(i).append(",Berlin\n");
        }
        byte[] head = ok.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = "m\u00fcller,K\u00f6ln\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(file, all);
        assertThatThrownBy(() -> CsvProfiler.profile(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("not valid UTF-8").hasMessageContaining("save it as UTF-8");

        Files.write(file, bad);
        assertThatThrownBy(() -> CsvProfiler.profile(file)).hasMessageContaining("not valid UTF-8");
    }

    private CsvProfile profile(String content) throws IOException {
        Path file = dir.resolve("f.csv");
        Files.writeString(file, content);
        return CsvProfiler.profile(file);
    }

    private void assertRefused(String content, String message) {
        assertThatThrownBy(() -> profile(content)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(message);
    }

    @Test
    void the_fast_number_parser_agrees_with_the_jdk() {
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 100_000; i++) {
            String text = String.format(java.util.Locale.ENGLISH, "%." + random.nextInt(9) + "f",
                    (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12)));
            assertThat(CsvProfiler.parseNumber(text)).as(text).isEqualTo(Double.parseDouble(text));
        }
        assertThat(CsvProfiler.parseNumber("1e3")).isEqualTo(1000.0);
        assertThat(CsvProfiler.parseNumber("12345678901234567.5")).isEqualTo(12345678901234567.5);
        assertThat(CsvProfiler.parseNumber("NaN")).isNaN();
        assertThat(CsvProfiler.parseNumber("Infinity")).isNaN();
        assertThat(CsvProfiler.parseNumber("1.2.3")).isNaN();
        assertThat(CsvProfiler.parseNumber("-")).isNaN();
        assertThat(CsvProfiler.parseNumber("12abc")).isNaN();
    }
}
