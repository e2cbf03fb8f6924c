/**
 * Hyperparameter sweeps: a set of trials over chosen hyperparameters of a template, each trial an ordinary run, within
 * a number of trials, trials at once and a money cap. Driven by the runs' end (RunFinished), never by memory.
 */
package dev.runway.sweep;
