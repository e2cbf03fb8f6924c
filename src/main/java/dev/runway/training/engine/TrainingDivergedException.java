package dev.runway.training.engine;

import dev.runway.base.BadInputException;

/** The loss became NaN or infinite: the fix is nearly always a lower learning rate, hence the field. */
public class TrainingDivergedException extends BadInputException {

    public TrainingDivergedException(String message) {
        super("learningRate", message);
    }
}
