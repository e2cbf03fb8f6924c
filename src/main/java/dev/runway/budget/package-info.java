/** Funding, the spending plan, compute budgets with alerts, burn rate and runway. */
package dev.runway.budget;
