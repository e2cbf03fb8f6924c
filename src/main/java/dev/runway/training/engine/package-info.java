/**
 * The DJL training engine: plain functions from prepared data and hyperparameters to a trained, saved model and its
 * metrics. No database, no CDI: the runs feature calls it from its executor with a listener for progress, cancel and
 * checkpoints.
 */
package dev.runway.training.engine;
