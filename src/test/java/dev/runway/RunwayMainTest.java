package dev.runway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The embedded database outlives a long drain: the hand-overs' writes come after it. */
class RunwayMainTest {

    @Test
    void the_embedded_database_waits_twice_the_drain_timeout_and_a_margin_for_the_application_to_stop() {
        assertThat(RunwayMain.stopWait(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(50));
        assertThat(RunwayMain.stopWait(Duration.ofMinutes(2))).isEqualTo(Duration.ofSeconds(270));
    }
}
