package dev.runway.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Softmax cross-entropy with a weight per class: a row's loss is −weight[class]·log p(class), averaged over the
 * batch. The weights of {@link #balanced} average 1 over the training rows, so the loss
 * stays on the scale of the unweighted one. The same loss is the validation loss, so that the best epoch (and early
 * stopping) is judged with the classes counted alike too.
 */
final class ClassWeightedLoss extends Loss {

    private final float[] weights;

    ClassWeightedLoss(float[] weights) {
        super("ClassWeightedSoftmaxCrossEntropy");
        this.weights = weights.clone();
    }

    /**
     * Weights that count the classes more alike: (rows ÷ (classes × rows of the class))^{@code power}, scaled so that
     * they average 1 over the training rows. Power 1 is scikit-learn's "balanced" (every class weighs the same in
     * total); power ½ goes half-way (in ratio): a class 16 times rarer weighs 4 times more per row, not 16. A class
     * without training rows gets weight 1 (it cannot be learnt either way).
     */
    static float[] balanced(float[] labels, int classes, double power) {
        long[] counts = counts(labels, classes);
        double[] raw = new double[classes];
        double total = 0;
        for (int c = 0; c < classes; c++) {
            raw[c] = counts[c] == 0 ? 1 : Math.pow((double) labels.length / (classes * counts[c]), power);
            total += raw[c] * counts[c];
        }
        float[] weights = new float[classes];
        for (int c = 0; c < classes; c++) {
            weights[c] = counts[c] == 0 ? 1f : (float) (raw[c] * labels.length / total);
        }
        return weights;
    }

    /** Largest class ÷ smallest class among the classes with training rows (1 when there is one class or none). */
    static double imbalance(float[] labels, int classes) {
        long[] counts = counts(labels, classes);
        long min = Arrays.stream(counts).filter(c -> c > 0).min().orElse(1);
        long max = Arrays.stream(counts).max().orElse(1);
        return (double) max / min;
    }

    private static long[] counts(float[] labels, int classes) {
        long[] counts = new long[classes];
        for (float label : labels) {
            counts[(int) label]++;
        }
        return counts;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray prediction = predictions.singletonOrThrow();
        NDArray label = labels.singletonOrThrow().reshape(-1).toType(DataType.INT64, false);
        NDArray oneHot = label.oneHot(weights.length).toType(DataType.FLOAT32, false);
        NDArray w = prediction.getManager().create(weights);
        NDArray logProbabilities = prediction.logSoftmax(1);
        return logProbabilities.mul(oneHot).mul(w).sum(new int[] {1}).neg().mean();
    }

    /** The weights by label, for the run's log: "no 0.556, yes 5.00". */
    String describe(java.util.List<String> labels) {
        return IntStream.range(0, weights.length)
                .mapToObj(i -> labels.get(i) + " " + String.format(Locale.ROOT, "%.3g", weights[i]))
                .collect(Collectors.joining(", "));
    }
}
