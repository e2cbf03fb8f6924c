package dev.runway.training.engine;

/**
 * How the learning rate moves over a run, after its warm-up ({@link Hyperparameters#warmupEpochs}).
 *
 * <ul>
 *   <li>{@code CONSTANT}: the learning rate throughout (every run before schedules existed);
 *   <li>{@code COSINE}: from the learning rate down to 0 at the last epoch along half a cosine;
 *   <li>{@code STEP}: the learning rate, a tenth of it from half the epochs on, a hundredth from three quarters on.
 * </ul>
 */
public enum LearningRateSchedule { CONSTANT, COSINE, STEP }
