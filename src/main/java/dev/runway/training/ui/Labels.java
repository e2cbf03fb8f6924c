package dev.runway.training.ui;

import dev.runway.dataset.Preparation;
import dev.runway.training.engine.Activation;
import dev.runway.training.engine.ClassWeights;
import dev.runway.training.engine.LearningRateSchedule;
import dev.runway.training.engine.OptimizerKind;

/** The words the console shows for metric, coefficient, optimiser and activation names stored as keys. */
public final class Labels {

    private Labels() {}

    /**
     * A test metric or a model version's figure: "accuracy" → "Accuracy", "f1" → "F1", "coef_x" → "Slope of x"
     * (model versions keep linear coefficients with a {@code coef_} prefix).
     */
    public static String metric(String key) {
        if (key.startsWith("coef_")) {
            return coefficient(key.substring("coef_".length()));
        }
        return switch (key) {
            case "accuracy" -> "Accuracy";
            case "precision" -> "Precision";
            case "recall" -> "Recall";
            case "f1" -> "F1";
            case "mse" -> "MSE";
            case "mae" -> "MAE";
            case "r2" -> "R²";
            default -> key;
        };
    }

    /** A linear model's coefficient: the intercept, or the slope of one feature. */
    public static String coefficient(String key) {
        return "intercept".equals(key) ? "Intercept" : "Slope of " + key;
    }

    /** The figure the per-epoch metric curve shows: accuracy for classification, MSE for regression. */
    public static String curve(Preparation.TaskType task) {
        return task == Preparation.TaskType.REGRESSION ? "MSE" : "Accuracy";
    }

    public static String optimizer(OptimizerKind kind) {
        return switch (kind) {
            case SGD -> "SGD";
            case ADAM -> "Adam";
            case RMSPROP -> "RMSProp";
        };
    }

    public static String activation(Activation activation) {
        return switch (activation) {
            case RELU -> "ReLU";
            case TANH -> "Tanh";
            case SIGMOID -> "Sigmoid";
        };
    }

    public static String schedule(LearningRateSchedule schedule) {
        return switch (schedule) {
            case CONSTANT -> "Constant";
            case COSINE -> "Cosine (down to 0 at the last epoch)";
            case STEP -> "Step (÷10 at half, ÷100 at three quarters)";
        };
    }

    public static String classWeights(ClassWeights weights) {
        return switch (weights) {
            case OFF -> "Off";
            case AUTO -> "Auto (from a 4× imbalance)";
            case BALANCED -> "Balanced";
        };
    }
}
