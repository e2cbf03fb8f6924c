package dev.runway.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A split turned into what one template reads: rows of numbers (tabular, bag-of-words), images (CNN) or token ids
 * (Transformer), kept as one flat float array so that batches are cheap copies.
 *
 * @param rowShape the shape of one row as the network sees it
 * @param ids whether the values are token ids (cast to integers on the way in)
 */
record ModelInputs(int rows, float[] x, long[] rowShape, boolean ids, float[] y) {

    static final int PAD = 0;
    static final int UNKNOWN = 1;

    static ModelInputs of(PreparedData.Split split, Hyperparameters h, Encoding encoding) {
        if (!encoding.isText()) {
            long[] shape = h.template() == Template.CNN
                    ? new long[] {h.imageChannels(), h.imageHeight(), h.imageWidth()}
                    : new long[] {split.width()};
            return new ModelInputs(split.rows(), split.x(), shape, false, split.y());
        }
        Map<String, Integer> index = new HashMap<>();
        List<String> vocabulary = encoding.vocabulary();
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i), i + 2);
        }
        int rows = split.rows();
        if (h.template() == Template.TRANSFORMER) {
            int t = h.maxTokens();
            float[] x = new float[rows * t];
            for (int r = 0; r < rows; r++) {
                List<String> tokens = split.tokens().get(r);
                for (int j = 0; j < Math.min(t, tokens.size()); j++) {
                    x[r * t + j] = index.getOrDefault(tokens.get(j), UNKNOWN);
                }
            }
            return new ModelInputs(rows, x, new long[] {t}, true, split.y());
        }
        // Bag of words: presence of each vocabulary word within the first maxTokens tokens.
        int v = vocabulary.size() + 2;
        float[] x = new float[rows * v];
        for (int r = 0; r < rows; r++) {
            List<String> tokens = split.tokens().get(r);
            for (int j = 0; j < Math.min(h.maxTokens(), tokens.size()); j++) {
                x[r * v + index.getOrDefault(tokens.get(j), UNKNOWN)] = 1;
            }
        }
        return new ModelInputs(rows, x, new long[] {v}, false, split.y());
    }

    int rowSize() {
        long size = 1;
        for (long d : rowShape) {
            size *= d;
        }
        return (int) size;
    }

    Shape shape(long batch) {
        long[] dims = new long[rowShape.length + 1];
        dims[0] = batch;
        System.arraycopy(rowShape, 0, dims, 1, rowShape.length);
        return new Shape(dims);
    }

    /** The rows {@code order[from..to)} as one batch on {@code manager}'s device. */
    NDArray batch(NDManager manager, int[] order, int from, int to) {
        int size = rowSize();
        float[] values = new float[(to - from) * size];
        for (int i = from; i < to; i++) {
            System.arraycopy(x, order[i] * size, values, (i - from) * size, size);
        }
        NDArray array = manager.create(values, shape(to - from));
        return ids ? array.toType(DataType.INT64, false) : array;
    }

    /** Class indices (as 64-bit integers, what the loss picks with) or regression targets (one column). */
    NDArray labels(NDManager manager, int[] order, int from, int to, boolean classification) {
        if (classification) {
            long[] values = new long[to - from];
            for (int i = from; i < to; i++) {
                values[i - from] = (long) y[order[i]];
            }
            return manager.create(values);
        }
        float[] values = new float[to - from];
        for (int i = from; i < to; i++) {
            values[i - from] = y[order[i]];
        }
        return manager.create(values, new Shape(to - from, 1));
    }

    /**
     * Batches {@code first..last-1} of an epoch read in {@code order}, as views of one array for the inputs and one
     * for the labels: one host copy and one transfer for all of them instead of one per batch.
     *
     * @return per batch its inputs (even positions) and labels (odd positions)
     */
    NDList batches(NDManager manager, int[] order, int batchSize, int first, int last, boolean classification) {
        int from = first * batchSize;
        int to = Math.min(order.length, last * batchSize);
        NDArray x = batch(manager, order, from, to);
        NDArray labels = labels(manager, order, from, to, classification);
        long[] cuts = new long[last - first - 1];
        for (int b = 0; b < cuts.length; b++) {
            cuts[b] = (long) (b + 1) * batchSize;
        }
        NDList xs = cuts.length == 0 ? new NDList(x) : x.split(cuts, 0);
        NDList ys = cuts.length == 0 ? new NDList(labels) : labels.split(cuts, 0);
        NDList result = new NDList(2 * xs.size());
        for (int b = 0; b < xs.size(); b++) {
            result.add(xs.get(b));
            result.add(ys.get(b));
        }
        return result;
    }

    ModelInputs withX(float[] other) {
        return new ModelInputs(rows, other, rowShape, ids, y);
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
