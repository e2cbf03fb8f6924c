package dev.runway.training.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.runway.base.BadInputException;
import org.junit.jupiter.api.Test;

/** The device a run trains on, including the GPU index an executor slot pinned ("gpu1"). */
class DeviceSelectionTest {

    @Test
    void a_pinned_gpu_index_selects_that_gpu_and_one_the_node_lacks_is_refused() {
        System.setProperty("ai.djl.offline", "true");
        int gpus = Engine.getInstance().getGpuCount();
        assertThat(TrainingEngine.device("cpu")).isEqualTo(Device.cpu());
        if (gpus > 0) {
            assertThat(TrainingEngine.device("gpu" + (gpus - 1))).isEqualTo(Device.gpu(gpus - 1));
        }
        assertThatThrownBy(() -> TrainingEngine.device("gpu" + gpus)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no GPU " + gpus);
    }
}
