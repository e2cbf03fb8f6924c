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
    void decimal_commas_in_a_semicolon_or_tab_separated_file_are_numbers() throws IOException {
        CsvProfile semicolons = profile("name;price;count\nann;1,5;3\nbob;-2,25;4\ncid;10;5\n");
        assertThat(semicolons.decimalSeparator()).isEqualTo(',');
        ColumnProfile price = semicolons.column("price").orElseThrow();
        assertThat(price.type()).isEqualTo(ColumnType.NUMERIC);
        assertThat(price.min()).isEqualTo(-2.25);
        assertThat(price.max()).isEqualTo(10.0);
        assertThat(price.mean()).isCloseTo(3.0833, org.assertj.core.data.Offset.offset(0.001));
        assertThat(semicolons.column("count").orElseThrow().isNumeric()).isTrue();

        CsvProfile tabs = profile("a\tb\n0,5\tx\n1,25\ty\n");
        assertThat(tabs.decimalSeparator()).isEqualTo(',');
        assertThat(tabs.column("a").orElseThrow().max()).isEqualTo(1.25);

        // Without a header the first row of decimal-comma numbers is data, as it would be with points.
        assertThat(profile("1,5;2,5\n3,5;4,5\n").header()).isFalse();
    }

    @Test
    void a_comma_separated_file_keeps_the_decimal_point_and_a_quoted_decimal_comma_is_text() throws IOException {
        CsvProfile quoted = profile("x,y\n\"1,5\",1.5\n\"2,5\",2.5\n");
        assertThat(quoted.decimalSeparator()).isEqualTo('.');
        assertThat(quoted.column("x").orElseThrow().isNumeric()).isFalse();
        assertThat(quoted.column("x").orElseThrow().firstNonNumericValue()).isEqualTo("1,5");
        assertThat(quoted.column("y").orElseThrow().isNumeric()).isTrue();

        // One separator per file: where points are decimals, a decimal comma is reported as not a number.
        CsvProfile mixed = profile("a;b\n1.5;2,5\n3.5;4,5\n");
        assertThat(mixed.decimalSeparator()).isEqualTo('.');
        assertThat(mixed.column("a").orElseThrow().isNumeric()).isTrue();
        assertThat(mixed.column("b").orElseThrow().isNumeric()).isFalse();
        assertThat(CsvProfiler.number("1,5", ',')).isEqualTo(1.5);
        assertThat(CsvProfiler.number("1.5", ',')).isNaN();
    }

    @Test
    void infinities_keep_a_column_numeric_and_are_counted_as_invalid_numbers_with_their_line() throws IOException {
        CsvProfile profile = profile("x,y,word\n1,2,a\ninf,3,b\n4,-Infinity,inf\n5,INF,c\n");
        ColumnProfile x = profile.column("x").orElseThrow();
        assertThat(x.type()).isEqualTo(ColumnType.NUMERIC);
        assertThat(x.invalidNumbers()).isEqualTo(1);
        assertThat(x.firstInvalidLine()).isEqualTo(3);
        assertThat(x.firstInvalidValue()).isEqualTo("inf");
        assertThat(x.max()).isEqualTo(5.0);
        ColumnProfile y = profile.column("y").orElseThrow();
        assertThat(y.isNumeric()).isTrue();
        assertThat(y.invalidNumbers()).isEqualTo(2);
        assertThat(y.firstInvalidLine()).isEqualTo(4);
        // In a text column "inf" is just a word.
        ColumnProfile word = profile.column("word").orElseThrow();
        assertThat(word.invalidNumbers()).isZero();
        assertThat(word.topValues()).extracting(ColumnProfile.ValueCount::value).contains("inf");

        assertThat(profile.warnings()).containsExactly(
                "Column “x” has 1 infinite value (“inf” on line 3): it is not a number a model can learn from, so "
                        + "training treats it as missing",
                "Column “y” has 2 infinite values (“-Infinity” on line 4): it is not a number a model can learn "
                        + "from, so training treats it as missing");
        assertThat(CsvProfiler.number("-inf", '.')).isNaN();
        assertThat(CsvProfiler.isInfinity(" +Infinity ")).isTrue();
        assertThat(CsvProfiler.isInfinity("info")).isFalse();
    }

    @Test
    void a_wide_file_profile_stays_small_enough_to_read_quickly() throws IOException {
        CsvProfile wide = profile(dev.runway.testing.WideCsv.of(2_000, 200));
        assertThat(wide.columns()).hasSize(2_001);
        // Numeric columns with too many values to be a class label keep no value counts: the page never shows
        // them, and they made this profile twice as large.
        assertThat(wide.column("f0001").orElseThrow().topValues()).isEmpty();
        assertThat(wide.column("label").orElseThrow().topValues()).hasSize(2);
        String json = dev.runway.base.Json.write(wide);
        long start = System.nanoTime();
        CsvProfile read = dev.runway.base.Json.read(json, CsvProfile.class);
        System.out.printf("2,001-column profile: %,d characters of JSON, read in %d ms%n", json.length(),
                (System.nanoTime() - start) / 1_000_000);
        assertThat(read).isEqualTo(wide);
        assertThat(json.length()).isLessThan(3_000_000);
        // Profiles stored before the decimal separator existed read as decimal points.
        assertThat(dev.runway.base.Json.read(json.replace(",\"decimalSeparator\":\".\"", ""), CsvProfile.class)
                .decimalSeparator()).isEqualTo('.');
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
