package dev.runway.training.engine;

import java.util.Arrays;
import java.util.List;

/**
 * A dataset made ready for training: the train, validation and test splits as encoded arrays, and the
 * {@link Encoding} fitted on the training split that produced them. The caller prepares it (the runs feature reads
 * the stored CSV, splits, cleans and encodes); the engine only reads the arrays.
 */
public record PreparedData(Encoding encoding, Split train, Split validation, Split test) {

    /**
     * One split. {@code x} holds {@code rows × width} encoded values row by row (empty for text); {@code y} the class
     * index or the regression target; {@code tokens} the lower-case word tokens of each row (text only).
     */
    public record Split(int rows, int width, float[] x, float[] y, List<List<String>> tokens) {

        public float[] row(int i) {
            return Arrays.copyOfRange(x, i * width, (i + 1) * width);
        }
    }

    public Task task() {
        return encoding.task();
    }

    public List<String> labels() {
        return encoding.labels();
    }
}
