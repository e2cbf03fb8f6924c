/** Datasets: uploaded CSV files, immutable content-addressed versions, profiles, preparation settings for training. */
package dev.runway.dataset;
