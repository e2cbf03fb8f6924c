/** The usage ledger, price plans, invoices and quotas. */
package dev.runway.billing;
