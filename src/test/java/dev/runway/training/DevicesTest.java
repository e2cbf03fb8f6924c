package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesTest {

    @Test
    void auto_slots_follow_the_gpus_or_else_the_cores_at_the_threads_a_run_uses() {
        assertThat(Devices.autoSlots(0, 2, 1)).as("this 2-core machine, one thread a run").isEqualTo(2);
        assertThat(Devices.autoSlots(0, 16, 4)).isEqualTo(4);
        assertThat(Devices.autoSlots(0, 2, 4)).as("at least one").isEqualTo(1);
        assertThat(Devices.autoSlots(2, 32, 1)).as("one per GPU").isEqualTo(2);
    }

    @Test
    void a_linux_node_without_gpu_device_nodes_is_not_asked_to_load_pytorch(@TempDir Path dev) throws IOException {
        Files.createFile(dev.resolve("null"));
        Files.createFile(dev.resolve("nvidiactl"));
        assertThat(Devices.mayHaveGpu(dev)).as("no GPU device node: 0 GPUs without loading libtorch").isFalse();

        Files.createFile(dev.resolve("nvidia0"));
        assertThat(Devices.mayHaveGpu(dev)).isTrue();
        Files.delete(dev.resolve("nvidia0"));
        Files.createFile(dev.resolve("kfd"));
        assertThat(Devices.mayHaveGpu(dev)).as("AMD's compute device").isTrue();
        assertThat(Devices.mayHaveGpu(dev.resolve("absent"))).as("not Linux: DJL is asked").isTrue();
    }
}
