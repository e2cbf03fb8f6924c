package dev.runway.billing;

import java.util.Currency;

/**
 * What the budget feature needs to know of compute prices: the currency compute is invoiced in. Compute spend reaches
 * the budgets only when it is the book currency. Billing's {@link PlanService} answers it.
 */
public interface ComputePricing {

    /** The currency the current tenant's compute is invoiced in; called inside a transaction. */
    Currency invoiceCurrency();
}
