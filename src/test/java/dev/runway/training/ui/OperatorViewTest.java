package dev.runway.training.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OperatorViewTest {

    @Test
    void heartbeat_ages_and_uptimes_read_in_the_largest_units_that_matter() {
        assertThat(OperatorView.ago(Duration.ofMillis(-300))).isEqualTo("0 s ago");
        assertThat(OperatorView.ago(Duration.ofSeconds(59))).isEqualTo("59 s ago");
        assertThat(OperatorView.ago(Duration.ofSeconds(125))).isEqualTo("2 min ago");
        assertThat(OperatorView.span(Duration.ofMinutes(185))).isEqualTo("3 h 5 min");
        assertThat(OperatorView.span(Duration.ofHours(52))).isEqualTo("2 d 4 h");
    }
}
