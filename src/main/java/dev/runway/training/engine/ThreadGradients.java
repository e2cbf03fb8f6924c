package dev.runway.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * Records one batch's gradients on the calling thread. DJL's own PyTorch collector does the same, but behind a
 * JVM-wide flag that refuses a second collector while one is open ("Only one can be collecting at a time"): two runs
 * training on two executor slots of one node then failed at random. PyTorch's grad mode is per thread, and each run
 * trains on its own thread and its own parameters, so nothing else is shared.
 */
final class ThreadGradients implements GradientCollector {

    private final boolean gradModeBefore;

    ThreadGradients() {
        gradModeBefore = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    @Override
    public void backward(NDArray target) {
        backward(target, target.getManager().ones(target.getShape(), target.getDataType())
                .toDevice(target.getDevice(), false));
    }

    /** Backward from {@code target} seeded with {@code ones} (its shape, all ones), which the caller may keep. */
    void backward(NDArray target, NDArray ones) {
        JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
    }

    /** DJL's version zeroes every gradient of the JVM, other runs' included; the optimisers zero their own. */
    @Override
    public void zeroGradients() {
        throw new UnsupportedOperationException("Each run's optimiser zeroes its own gradients");
    }

    @Override
    public void close() {
        if (!gradModeBefore) {
            JniUtils.setGradMode(false);
        }
    }
}
