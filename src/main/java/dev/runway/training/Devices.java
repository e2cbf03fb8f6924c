package dev.runway.training;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        if (!mayHaveGpu(Path.of("/dev"))) {
            return 0;
        }
        try {
            System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
            return Engine.getInstance().getGpuCount();
        } catch (RuntimeException | Error e) {
            LOG.warnf("Could not ask DJL for GPUs (%s); using one CPU slot", e.getMessage());
            return 0;
        }
    }

    /**
     * False where Linux shows no GPU device a PyTorch build could use (no NVIDIA device node, no AMD kfd): then there is
     * no GPU to count, and asking DJL would load libtorch on the start path for nothing (about a second and tens of
     * MB of memory on a console; docs/benchmarks.md, "Start-up"). Elsewhere (no such folder, another system) DJL is
     * asked.
     */
    static boolean mayHaveGpu(Path dev) {
        if (!Files.isDirectory(dev)) {
            return true;
        }
        try (DirectoryStream<Path> gpus = Files.newDirectoryStream(dev, "{nvidia[0-9]*,kfd}")) {
            return gpus.iterator().hasNext();
        } catch (IOException e) {
            return true;
        }
    }
}
