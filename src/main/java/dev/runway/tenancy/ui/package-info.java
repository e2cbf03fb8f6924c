/** Sign-up, sign-in, invitations, the team, the audit log and the company's settings, as pages. */
package dev.runway.tenancy.ui;
