package dev.runway.training.engine;

import ai.djl.training.tracker.Tracker;
import java.util.Locale;

/**
 * The learning rate of each optimizer step: a linear warm-up, then the run's {@link LearningRateSchedule}. It is a
 * function of the step count alone, so a run resumed from a checkpoint (whose optimizer continues the count) gets the
 * rates of one that never stopped.
 *
 * <p>A large fixed rate is what made logistic regression's loss jump at the end of digits runs: Adam keeps taking
 * steps of the same size around a minimum it has found. Decaying the rate to 0 ends such a run settled; the warm-up
 * keeps Adam's first steps (with its moment estimates still from a batch or two) from overshooting.
 */
final class LearningRates implements Tracker {

    private final float rate;
    private final LearningRateSchedule schedule;
    private final long warmupSteps;
    private final long totalSteps;

    /** @param stepsPerEpoch optimizer steps (batches) per epoch */
    LearningRates(Hyperparameters h, long stepsPerEpoch) {
        this.rate = (float) h.learningRate();
        this.schedule = h.schedule();
        this.warmupSteps = warmupEpochs(h) * stepsPerEpoch;
        this.totalSteps = Math.max(1, (long) h.epochs() * stepsPerEpoch);
    }

    /** The warm-up epochs used: at most all but the last, so the run also trains at its scheduled rate. */
    static int warmupEpochs(Hyperparameters h) {
        return Math.max(0, Math.min(h.warmupEpochs(), h.epochs() - 1));
    }

    /** @param step the optimizer's update count, from 1 at the run's first step */
    @Override
    public float getNewValue(int step) {
        long s = Math.max(1, step);
        if (s <= warmupSteps) {
            return rate * s / warmupSteps;
        }
        double progress = Math.min(1, (double) (s - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return switch (schedule) {
            case CONSTANT -> rate;
            case COSINE -> (float) (rate * 0.5 * (1 + Math.cos(Math.PI * progress)));
            case STEP -> progress < 0.5 ? rate : progress < 0.75 ? rate * 0.1f : rate * 0.01f;
        };
    }

    /** What the run's log says about it. */
    String describe() {
        String after = switch (schedule) {
            case CONSTANT -> "constant at " + format(rate);
            case COSINE -> "cosine from " + format(rate) + " down to 0 at the last epoch";
            case STEP -> format(rate) + ", a tenth from half the epochs on, a hundredth from three quarters on";
        };
        return warmupSteps == 0 ? after : "warm-up over " + warmupSteps + " steps, then " + after;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.6g", value).replaceAll("\\.?0+$", "").replaceAll("\\.?0+e", "e");
    }
}
