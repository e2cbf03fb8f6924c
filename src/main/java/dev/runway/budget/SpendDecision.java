package dev.runway.budget;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * The answer of {@link ComputeBudgetService#maySpend}: whether spending {@code amount} more on compute now keeps the
 * project and the company within this month's compute budgets.
 *
 * @param allowed      true when no applicable budget would be exceeded (or none is set)
 * @param left         what may still be spent this month: the smaller of the two below, null when no budget applies
 * @param projectLeft  left in the project's budget this month (never below zero), null when it has none
 * @param tenantLeft   left in the company-wide budget this month (never below zero), null when there is none
 * @param message      one sentence for a person; when refused it names the roles that can raise the budget
 */
public record SpendDecision(boolean allowed, BigDecimal amount, Currency currency, BigDecimal left,
        BigDecimal projectLeft, BigDecimal tenantLeft, String message) {}
