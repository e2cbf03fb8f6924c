/** Training and evaluation runs: the durable queue, executors, DJL trainers, metrics, checkpoints, schedules. */
package dev.runway.training;
