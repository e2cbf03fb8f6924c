package dev.runway.training;

import ai.djl.engine.Engine;
import org.jboss.logging.Logger;

/** What accelerators this node has, as DJL's PyTorch engine sees them. */
final class Devices {

    private static final Logger LOG = Logger.getLogger(Devices.class);

    private static volatile Integer gpus;

    private Devices() {}

    /** {@link #gpuCount()}, asked once. */
    static int gpus() {
        if (gpus == null) {
            gpus = gpuCount();
        }
        return gpus;
    }

    static int gpuCount() {
        try {
            System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
            return Engine.getInstance().getGpuCount();
        } catch (RuntimeException | Error e) {
            LOG.warnf("Could not ask DJL for GPUs (%s); using one CPU slot", e.getMessage());
            return 0;
        }
    }
}
