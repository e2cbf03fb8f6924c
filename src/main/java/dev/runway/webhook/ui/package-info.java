/** The "Webhooks" part of the Settings page: endpoints, their secret, test events and the delivery log. */
package dev.runway.webhook.ui;
