package dev.runway.budget;

import dev.runway.base.Money;
import dev.runway.base.BadInputException;
import dev.runway.base.ETag;
import dev.runway.base.FormChecks;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Funding sources: money raised or earned, in the book currency. BILLING, ADMIN and OWNER manage; every member
 * reads.
 */
@ApplicationScoped
public class FundingService {

    /** What the funding form submits; its constraints are checked by {@link FormChecks}, then the rest here. */
    public record FundingForm(@NotNull(message = "Choose the kind of funding") FundingKind kind, BigDecimal amount,
            String currency, LocalDate receivedOn, @Size(max = FundingSource.NOTE_MAX, message = Entries.NOTE_TOO_LONG)
            String note) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    BudgetService budgets;

    @Inject
    FormChecks checks;

    /** Newest first. */
    @Transactional
    public List<FundingSource> funding() {
        return funding(null, Integer.MAX_VALUE);
    }

    /** A page of them, newest first: at most {@code limit} after {@code after} (date received, id). */
    @Transactional
    public List<FundingSource> funding(Keyset after, int limit) {
        access.require(Permission.READ);
        return Keyset.bindDate(em.createQuery("select f from FundingSource f where "
                        + Keyset.after("f.receivedOn", "f.id", true) + " order by f.receivedOn desc, f.id desc",
                FundingSource.class), after).setMaxResults(limit).getResultList();
    }

    /** One funding source, to read it or change some of its fields. */
    @Transactional
    public FundingSource fundingSource(long id) {
        access.require(Permission.READ);
        return findFunding(id);
    }

    @Transactional
    public FundingSource addFunding(FundingForm form) {
        Actor actor = access.require(Permission.MANAGE_BUDGET);
        FundingSource funding = new FundingSource(actor.userId(), clock.instant());
        apply(funding, form);
        em.persist(funding);
        audit.record("budget.funding_added", funding.getKind().label() + " funding", null, funding.summary());
        return funding;
    }

    @Transactional
    public FundingSource updateFunding(long id, FundingForm form) {
        return updateFunding(id, null, funding -> form);
    }

    /**
     * Changes a source to the form {@code change} makes of it as it is now, on the locked row, and only when
     * {@code ifMatch} (if given) is still its ETag: a change made meanwhile is never overwritten unseen.
     */
    @Transactional
    public FundingSource updateFunding(long id, String ifMatch, Function<FundingSource, FundingForm> change) {
        access.require(Permission.MANAGE_BUDGET);
        FundingSource funding = findFunding(id, LockModeType.PESSIMISTIC_WRITE);
        ETag.check(ifMatch, funding.etag(), "The funding source");
        String before = funding.summary();
        apply(funding, change.apply(funding));
        if (!before.equals(funding.summary())) {
            audit.record("budget.funding_updated", funding.getKind().label() + " funding", before,
                    funding.summary());
        }
        return funding;
    }

    @Transactional
    public void deleteFunding(long id) {
        access.require(Permission.MANAGE_BUDGET);
        FundingSource funding = findFunding(id);
        em.remove(funding);
        audit.record("budget.funding_deleted", funding.getKind().label() + " funding", funding.summary(), null);
    }

    private void apply(FundingSource funding, FundingForm form) {
        checks.check(form);
        Currency book = budgets.bookCurrency();
        Currency currency = Money.currency("currency", form.currency() == null ? book.getCurrencyCode()
                : form.currency());
        if (!currency.equals(book)) {
            throw new BadInputException("currency", "This company keeps its books in " + book.getCurrencyCode()
                    + ": enter the amount in " + book.getCurrencyCode()
                    + " (the book currency can change only while nothing is recorded)");
        }
        BigDecimal amount = Money.positive("amount", form.amount(), currency);
        LocalDate receivedOn = Entries.pastOrToday("receivedOn", "date received", form.receivedOn(),
                budgets.today());
        funding.update(form.kind(), amount, currency.getCurrencyCode(), receivedOn, Entries.note(form.note()));
    }

    private FundingSource findFunding(long id) {
        return findFunding(id, LockModeType.NONE);
    }

    private FundingSource findFunding(long id, LockModeType lock) {
        return Optional.ofNullable(em.find(FundingSource.class, id, lock))
                .orElseThrow(() -> new NotFoundException("Funding source"));
    }
}
