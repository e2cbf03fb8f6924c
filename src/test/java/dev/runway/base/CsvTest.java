package dev.runway.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote_mark() {
        assertThat(Csv.text("=HYPERLINK(\"https://evil.example\",\"x\")"))
                .isEqualTo("'=HYPERLINK(\"https://evil.example\",\"x\")");
        assertThat(Csv.text("+1")).isEqualTo("'+1");
        assertThat(Csv.text("-2+3")).isEqualTo("'-2+3");
        assertThat(Csv.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.text("\t=1")).isEqualTo("'\t=1");
        assertThat(Csv.text("\r=1")).isEqualTo("'\r=1");
    }

    @Test
    void other_text_is_kept_and_nothing_becomes_empty() {
        assertThat(Csv.text("contractor, 1=1")).isEqualTo("contractor, 1=1");
        assertThat(Csv.text("東京ラボ")).isEqualTo("東京ラボ");
        assertThat(Csv.text("")).isEmpty();
        assertThat(Csv.text(null)).isEmpty();
    }
}
