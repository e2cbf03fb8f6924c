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

    /**
     * Executor slots for {@code runway.executor.slots=auto}: one per GPU; on a CPU node as many runs as the cores
     * hold at the threads each run uses (PyTorch's intra-op threads, {@code ai.djl.pytorch.num_threads}, 1 unless
     * set: see TrainingEngine), at least one.
     */
    static int autoSlots(int gpus, int cores, int threadsPerRun) {
        if (gpus > 0) {
            return gpus;
        }
        return Math.max(1, cores / Math.max(1, threadsPerRun));
    }

    /** The intra-op threads one run uses: the engine's setting (one, unless the operator set more). */
    static int threadsPerRun() {
        try {
            return Math.max(1, Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "1").strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
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
