package dev.runway.billing;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * What billing asks of the company's books and compute budgets before it prices or admits compute. The budget feature
 * implements it, so billing depends on no budget type; compute spend goes the other way as a {@link ComputeSpent}
 * event. Every method runs inside the caller's transaction, as the current tenant.
 */
public interface BudgetLimits {

    /**
     * Whether {@code amount} more may be spent on compute this month: {@code left} is what the tightest applicable
     * budget has left (null when none applies), {@code message} says why not, for people, when it may not.
     */
    record Room(boolean allowed, BigDecimal left, Currency currency, String message) {}

    /** The company's book currency; compute priced in another is never charged to its budgets. */
    Currency bookCurrency();

    /** Asks the project's and the company's compute budgets about {@code amount} more now; changes nothing. */
    Room room(Long projectId, BigDecimal amount);

    /** Who may raise a budget or change the plan, for messages: "A Billing, Admin or Owner member". */
    String whoCanRaise();
}
