package dev.runway.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Compute spend that billing has metered: fired inside the transaction that posts the usage, so that the budget
 * (which observes it synchronously, in that same transaction) records the spend exactly when the ledger does; one
 * rolls back with the other. The amount is what the invoice line grows by, rounded as invoiced and above zero.
 *
 * @param projectId      the project the compute ran for; null for none
 * @param amount         in the company's book currency (billing fires it only when compute is priced in it)
 * @param at             when it was recorded: the day of the spend
 * @param idempotencyKey "usage:{ledger key}", so that a replay records nothing twice
 */
public record ComputeSpent(Long projectId, BigDecimal amount, Instant at, String idempotencyKey) {}
