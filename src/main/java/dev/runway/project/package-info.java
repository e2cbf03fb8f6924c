/** Projects: the home of a model's datasets, runs and models. */
package dev.runway.project;
