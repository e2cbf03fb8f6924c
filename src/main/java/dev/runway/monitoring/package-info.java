/**
 * Health checks and Prometheus gauges for operators (docs/deploy.md, "Health and metrics"), served on the management
 * interface, not on the console's port. Nothing here names a tenant.
 */
package dev.runway.monitoring;
