package dev.runway.budget;

import java.math.BigDecimal;
import java.time.YearMonth;

/**
 * A CDI event, fired in the transaction that crossed the threshold, for features that notify people (observe it with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} to act only once it is committed).
 */
public record BudgetAlertFired(long tenantId, long budgetId, Long projectId, String scope, YearMonth period,
        int threshold, BigDecimal spent, BigDecimal monthlyLimit) {}
