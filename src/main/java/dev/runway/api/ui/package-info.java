/** The "API keys" part of the Settings page: create (the key is shown once), list and revoke. */
package dev.runway.api.ui;
