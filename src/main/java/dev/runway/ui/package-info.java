/** The console's shell: the app shell, the main layout with navigation, the dashboard, route guarding, error pages. */
package dev.runway.ui;
