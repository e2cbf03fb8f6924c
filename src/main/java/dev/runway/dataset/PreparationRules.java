package dev.runway.dataset;

import dev.runway.base.BadInputException;
import dev.runway.dataset.ColumnProfile.ColumnType;
import dev.runway.dataset.Preparation.TaskType;
import java.util.HashSet;
import java.util.List;

/** Checks preparation settings against a version's profile, with a message at the field that is wrong. */
final class PreparationRules {

    static final int MAX_CLASSES = 100;

    private PreparationRules() {}

    static void check(Preparation p, CsvProfile profile) {
        if (p.task() == null) {
            throw new BadInputException("task", "Choose a task type");
        }
        if (p.target() == null || p.target().isBlank()) {
            throw new BadInputException("target", "Choose the target column (what the model predicts)");
        }
        ColumnProfile target = profile.column(p.target()).orElseThrow(() -> new BadInputException("target",
                "There is no column “" + p.target() + "” in this version"));
        List<String> features = p.features() == null ? List.of() : p.features();
        if (features.isEmpty()) {
            throw new BadInputException("features", "Choose at least one feature column");
        }
        if (new HashSet<>(features).size() != features.size()) {
            throw new BadInputException("features", "Each feature column can be chosen once");
        }
        for (String feature : features) {
            ColumnProfile column = profile.column(feature).orElseThrow(() -> new BadInputException("features",
                    "There is no column “" + feature + "” in this version"));
            if (feature.equals(target.name())) {
                throw new BadInputException("features", "The target “" + feature + "” cannot also be a feature");
            }
            if (p.task() != TaskType.TEXT_CLASSIFICATION && column.type() == ColumnType.TEXT) {
                throw new BadInputException("features", "“" + feature + "” is free text: use the text "
                        + "classification task for it, or leave it out");
            }
        }
        switch (p.task()) {
            case REGRESSION -> {
                if (!target.isNumeric()) {
                    throw new BadInputException("target", "A regression target must be numeric, but column “"
                            + target.name() + "” has “" + target.firstNonNumericValue() + "” on line "
                            + target.firstNonNumericLine() + ": fix the file or choose another target");
                }
            }
            case CLASSIFICATION, TEXT_CLASSIFICATION -> {
                if (target.distinctCapped() || target.distinct() > MAX_CLASSES) {
                    throw new BadInputException("target", "“" + target.name() + "” has more than " + MAX_CLASSES
                            + " different values: a classification target needs a few classes");
                }
                if (target.distinct() < 2) {
                    throw new BadInputException("target", "A classification target needs at least two classes; “"
                            + target.name() + "” has " + target.distinct());
                }
                if (p.task() == TaskType.TEXT_CLASSIFICATION && (features.size() != 1
                        || profile.column(features.get(0)).map(ColumnProfile::isNumeric).orElse(true))) {
                    throw new BadInputException("features", "Text classification reads one text column: choose "
                            + "exactly one feature that holds text");
                }
            }
            default -> throw new IllegalStateException();
        }
        checkRatio("trainRatio", "Training share", p.trainRatio());
        checkRatio("validationRatio", "Validation share", p.validationRatio());
        checkRatio("testRatio", "Test share", p.testRatio());
        if (p.trainRatio() <= 0) {
            throw new BadInputException("trainRatio", "The training share must be more than 0");
        }
        double sum = p.trainRatio() + p.validationRatio() + p.testRatio();
        if (Math.abs(sum - 1.0) > 1e-6) {
            throw new BadInputException("trainRatio", "Training, validation and test shares must add up to 1 "
                    + "(they add up to " + Math.round(sum * 1000) / 1000.0 + ")");
        }
        if (p.missingValues() == null) {
            throw new BadInputException("missingValues", "Choose how to handle missing values");
        }
        p.checkSplit(profile);
    }

    private static void checkRatio(String field, String label, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new BadInputException(field, label + " must be between 0 and 1");
        }
    }
}
