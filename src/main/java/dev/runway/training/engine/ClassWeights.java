package dev.runway.training.engine;

/**
 * Whether the classes of a classification count alike in the loss: each training row's loss is weighted by
 * rows ÷ (classes × rows of its class) (scikit-learn's "balanced"), so a rare class weighs as much as a common one.
 *
 * <ul>
 *   <li>{@code OFF}: every row counts alike (every run before class weights existed);
 *   <li>{@code AUTO}: half-way to balanced (the square root of the balanced weights, so a class 16 times rarer weighs 4
 *       times more per row) when the training split's largest class has at least {@link #AUTO_RATIO} times the rows
 *       of its smallest, else off; off for regression and with oversampling (which balances already). Fully balanced
 *       weights trade too much accuracy for the rare class's recall to be a default;
 *   <li>{@code BALANCED}: always balanced (classification only).
 * </ul>
 */
public enum ClassWeights {
    OFF, AUTO, BALANCED;

    /**
     * The imbalance (largest class ÷ smallest class, training split) from which AUTO weights the classes. Chosen by
     * measuring: docs/training.md, "Class weights".
     */
    public static final double AUTO_RATIO = 4;
}
