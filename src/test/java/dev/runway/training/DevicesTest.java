package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void auto_slots_follow_the_gpus_or_else_the_cores_at_the_threads_a_run_uses() {
        assertThat(Devices.autoSlots(0, 2, 1)).as("this 2-core machine, one thread a run").isEqualTo(2);
        assertThat(Devices.autoSlots(0, 16, 4)).isEqualTo(4);
        assertThat(Devices.autoSlots(0, 2, 4)).as("at least one").isEqualTo(1);
        assertThat(Devices.autoSlots(2, 32, 1)).as("one per GPU").isEqualTo(2);
    }
}
