package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.dataset.ColumnProfile;
import dev.runway.dataset.CsvProfile;
import dev.runway.dataset.CsvProfiler;
import org.junit.jupiter.api.Test;

/**
 * The generated tables of the scikit-learn peer benchmark are committed, reproducible and of the shapes issue 15 asks
 * for, as the profiler (what an upload sees) reads them.
 */
class PeerTablesTest {

    @Test
    void the_committed_tables_are_byte_for_byte_what_the_generator_writes() throws Exception {
        assertThat(PeerTables.differing()).as("run PeerTables.main after changing it").isEmpty();
    }

    @Test
    void the_wide_table_has_at_least_50_features() throws Exception {
        assertThat(profile("wide.csv").columns()).hasSizeGreaterThanOrEqualTo(51);
    }

    @Test
    void the_imbalanced_table_is_binary_with_at_most_10_percent_positives() throws Exception {
        CsvProfile p = profile("imbalanced.csv");
        ColumnProfile target = p.column("churned").orElseThrow();
        assertThat(target.distinct()).isEqualTo(2);
        long positives = target.topValues().stream().filter(v -> v.value().equals("yes")).findFirst().orElseThrow()
                .count();
        assertThat((double) positives / p.rows()).isBetween(0.03, 0.10);
    }

    @Test
    void the_small_table_has_at_most_200_rows() throws Exception {
        assertThat(profile("small.csv").rows()).isLessThanOrEqualTo(200);
    }

    @Test
    void the_categorical_table_has_categorical_columns_with_missing_values() throws Exception {
        CsvProfile p = profile("categorical_missing.csv");
        for (String column : new String[] {"region", "plan", "channel", "device"}) {
            ColumnProfile c = p.column(column).orElseThrow();
            assertThat(c.type()).as(column).isEqualTo(ColumnProfile.ColumnType.CATEGORICAL);
            assertThat(c.missing()).as(column).isGreaterThan(p.rows() / 20);
        }
        assertThat(p.column("income").orElseThrow().missing()).isGreaterThan(p.rows() / 20);
    }

    @Test
    void the_wine_like_table_has_13_features_and_3_classes() throws Exception {
        CsvProfile p = profile("wine_like.csv");
        assertThat(p.columns()).hasSize(14);
        assertThat(p.column("cultivar").orElseThrow().distinct()).isEqualTo(3);
    }

    private static CsvProfile profile(String file) throws Exception {
        return CsvProfiler.profile(PeerTables.DIR.resolve(file));
    }
}
