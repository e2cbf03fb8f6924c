package dev.runway.training.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * What turns a raw CSV row into model input, fitted on a training split: saved beside the model so that inference and
 * evaluation on another dataset version apply exactly the same cleaning, scaling and encodings.
 *
 * @param labels class names in class-index order (classification); empty for regression
 * @param vocabulary text only: the training split's words, most frequent first (ties alphabetical); a model keeps the
 *     first {@code vocabularySize - 2} (ids 0 and 1 are padding and unknown)
 */
public record Encoding(
        Task task,
        String target,
        List<Feature> features,
        List<String> labels,
        List<String> vocabulary,
        boolean dropRowsWithMissing) {

    public enum Kind { NUMERIC, CATEGORICAL, TEXT }

    /**
     * One input column.
     *
     * @param fill the training mean used for a missing number (NaN when rows with missing values are dropped)
     * @param fillCategory the training mode used for a missing category
     * @param mean, std the standardisation (0 and 1 when standardisation is off)
     * @param categories one-hot columns, sorted; an unseen category encodes as all zeros
     */
    public record Feature(String column, Kind kind, double fill, String fillCategory, double mean, double std,
            List<String> categories) {

        int width() {
            return switch (kind) {
                case NUMERIC -> 1;
                case CATEGORICAL -> categories.size();
                case TEXT -> 0;
            };
        }
    }

    @JsonIgnore
    public boolean isClassification() {
        return task != Task.REGRESSION;
    }

    @JsonIgnore
    public boolean isText() {
        return task == Task.TEXT_CLASSIFICATION;
    }

    /** Encoded column names: a number keeps its column name, a category becomes {@code column=value}. */
    @JsonIgnore
    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        for (Feature f : features) {
            switch (f.kind()) {
                case NUMERIC -> names.add(f.column());
                case CATEGORICAL -> f.categories().forEach(c -> names.add(f.column() + "=" + c));
                case TEXT -> { }
            }
        }
        return names;
    }

    /** Width of one encoded tabular row (0 for text). */
    @JsonIgnore
    public int width() {
        return features.stream().mapToInt(Feature::width).sum();
    }

    /**
     * Whether data encoded with {@code other} can be fed to a model trained with this encoding. Text vocabularies
     * may differ: text is kept as tokens and mapped with the model's own vocabulary.
     */
    public boolean compatibleWith(Encoding other) {
        return task == other.task && target.equals(other.target) && labels.equals(other.labels)
                && features.equals(other.features);
    }
}
