package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GpuSlotsTest {

    @Test
    void concurrent_runs_get_distinct_gpus_and_a_released_gpu_is_reused() {
        GpuSlots gpus = new GpuSlots(2);
        int first = gpus.take();
        int second = gpus.take();
        assertThat(first).isEqualTo(0);
        assertThat(second).as("the second run under way uses the second GPU").isEqualTo(1);
        gpus.release(first);
        assertThat(gpus.take()).as("GPU 0 is free again").isEqualTo(0);
        gpus.release(1);
        assertThat(gpus.take()).isEqualTo(1);
    }

    @Test
    void more_runs_than_gpus_share_the_least_used_one_and_a_cpu_node_pins_nothing() {
        GpuSlots gpus = new GpuSlots(2);
        assertThat(new int[] {gpus.take(), gpus.take(), gpus.take(), gpus.take()}).containsExactly(0, 1, 0, 1);
        gpus.release(1);
        assertThat(gpus.take()).isEqualTo(1);
        GpuSlots none = new GpuSlots(0);
        assertThat(none.take()).isEqualTo(-1);
        none.release(-1);
        assertThat(none.take()).isEqualTo(-1);
    }
}
