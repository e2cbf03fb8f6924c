package dev.runway.budget;

import dev.runway.billing.BudgetLimits;
import dev.runway.billing.ComputeSpent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * The budget's side of billing: it answers billing's {@link BudgetLimits} (the book currency, room left in the compute
 * budgets) and records the compute spend billing meters ({@link ComputeSpent}) as actual spend, in the metering
 * transaction, where crossing a threshold raises its alert.
 */
@ApplicationScoped
public class BillingBudgets implements BudgetLimits {

    @Inject
    BudgetService budgets;

    @Inject
    ComputeBudgetService computeBudgets;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Currency bookCurrency() {
        return budgets.bookCurrency();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Room room(Long projectId, BigDecimal amount) {
        SpendDecision decision = computeBudgets.maySpend(projectId, amount);
        return new Room(decision.allowed(), decision.left(), decision.currency(), decision.message());
    }

    @Override
    public String whoCanRaise() {
        return ComputeBudgetService.whoCanRaise();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void spent(@Observes ComputeSpent spend) {
        budgets.recordComputeSpend(spend.projectId(), spend.amount(), spend.at(), spend.idempotencyKey());
    }
}
