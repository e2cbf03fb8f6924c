package dev.runway.training.engine;

public enum Activation { RELU, TANH, SIGMOID }
