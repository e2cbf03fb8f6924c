/** The model registry: versions with lineage and metrics, evaluation and comparison. */
package dev.runway.model;
