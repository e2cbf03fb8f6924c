package dev.runway.training.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RMSprop written with plain array operations: DJL's own {@code RmsProp} calls a fused update that the PyTorch engine
 * does not implement ("Not implemented" at the first step). Same rule as DJL's non-centred variant:
 * {@code v = rho·v + (1 − rho)·g²; w −= lr·g / (√v + ε)}.
 */
final class RmsProp extends Optimizer {

    private static final float RHO = 0.9f;
    private static final float EPSILON = 1e-8f;

    private final ParameterTracker learningRate;
    private final Map<String, Map<Device, NDArray>> squares = new ConcurrentHashMap<>();

    private RmsProp(Builder builder) {
        super(builder);
        this.learningRate = builder.learningRate;
    }

    static Builder builder(ParameterTracker learningRate) {
        return new Builder(learningRate);
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = learningRate.getNewValue(parameterId, updateCount(parameterId));
        NDArray square = withDefaultState(squares, parameterId, weight.getDevice(), k -> weight.zerosLike());
        float weightDecay = getWeightDecay();
        // Intermediate arrays would otherwise live as long as the parameters' manager: one set per step.
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray g = grad.mul(rescaleGrad);
            if (clipGrad > 0) {
                g = g.clip(-clipGrad, clipGrad);
            }
            if (weightDecay > 0) {
                g = g.add(weight.mul(weightDecay));
            }
            square.muli(RHO).addi(g.square().muli(1 - RHO));
            // Through a detached view (same storage): an in-place step on a leaf that requires gradients is refused
            // whenever the thread's grad mode happens to be on.
            weight.stopGradient().subi(g.div(square.sqrt().addi(EPSILON)).muli(lr));
        }
    }

    static final class Builder extends OptimizerBuilder<Builder> {

        private final ParameterTracker learningRate;

        private Builder(ParameterTracker learningRate) {
            this.learningRate = learningRate;
        }

        @Override
        protected Builder self() {
            return this;
        }

        RmsProp build() {
            return new RmsProp(this);
        }
    }
}
