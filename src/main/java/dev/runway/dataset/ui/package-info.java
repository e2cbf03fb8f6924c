/** Dataset pages: the list, uploads on a project's page, a version's profile, preview and preparation settings. */
package dev.runway.dataset.ui;
