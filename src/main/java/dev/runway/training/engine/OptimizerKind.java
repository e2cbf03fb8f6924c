package dev.runway.training.engine;

public enum OptimizerKind { SGD, ADAM, RMSPROP }
