/** Datasets: uploaded CSV files, immutable versions, profiles, validation and splits. */
package dev.runway.dataset;
