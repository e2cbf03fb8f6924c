package dev.runway.budget;

import java.util.Currency;

/**
 * What the budget feature needs to know of compute prices, answered by billing (which depends on budget, so budget
 * asks through this interface rather than calling billing): the currency compute is invoiced in. Compute spend reaches
 * the budgets only when it is the book currency.
 */
public interface ComputePricing {

    /** The currency the current tenant's compute is invoiced in; called inside a transaction. */
    Currency invoiceCurrency();
}
