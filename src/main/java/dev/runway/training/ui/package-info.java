/** Run pages: the list with filters, the submit form with its checks, one run's live progress, curves and results. */
package dev.runway.training.ui;
