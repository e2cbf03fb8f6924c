/**
 * The shared kernel every feature may use: the clock, and the exceptions services throw for bad input, missing
 * records and refused permissions. It depends on no feature.
 */
package dev.runway.base;
