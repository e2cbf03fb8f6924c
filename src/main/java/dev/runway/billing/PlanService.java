package dev.runway.billing;

import dev.runway.base.BadInputException;
import dev.runway.base.PlanConcurrency;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.TreeSet;

/**
 * The tenant's plan over time and the prices in force. A tenant starts on the Free plan; a change takes effect at the
 * moment stated (now or later, never in the past, so issued invoices stay true). Prices are in the book currency;
 * where Runway has no price list in it, in US dollars.
 */
@ApplicationScoped
public class PlanService implements ComputePricing {

    /** A plan change may be stated this far in the past, for the seconds between opening the form and saving. */
    static final Duration GRACE = Duration.ofMinutes(5);
    static final String FALLBACK_CURRENCY = "USD";

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    BudgetLimits budgets;

    @Inject
    Event<PlanConcurrency> concurrency;

    /** The prices in force now. */
    @Transactional
    public PriceList current() {
        access.require(Permission.READ);
        return pricesAt(clock.instant());
    }

    /** Plan changes, the latest effective first, scheduled ones included (a company that never changed is on Free). */
    @Transactional
    public List<TenantPlan> history() {
        access.require(Permission.READ_BILLING);
        return em.createQuery("select p from TenantPlan p order by p.effectiveFrom desc", TenantPlan.class)
                .getResultList();
    }

    /** Moves the tenant to {@code plan} from {@code effectiveFrom} (null: now). */
    @Transactional
    public TenantPlan changePlan(Plan plan, Instant effectiveFrom) {
        Actor actor = access.require(Permission.MANAGE_BUDGET);
        if (plan == null) {
            throw new BadInputException("plan", "Choose a plan");
        }
        Instant now = clock.instant();
        Instant from = effectiveFrom == null ? now : effectiveFrom;
        if (from.isBefore(now.minus(GRACE))) {
            throw new BadInputException("effectiveFrom", "A plan change takes effect now or later, not in the past");
        }
        Plan before = planAt(from);
        if (before == plan) {
            throw new BadInputException("plan", "The company is already on the " + plan.label() + " plan then");
        }
        em.createQuery("delete from TenantPlan p where p.effectiveFrom >= :from").setParameter("from", from)
                .executeUpdate();
        TenantPlan change = new TenantPlan(plan, from, actor.userId(), now);
        em.persist(change);
        em.flush();
        applyConcurrency(actor.tenantId(), now);
        audit.record("billing.plan_changed", "Plan", before.label(), plan.label() + " from " + from);
        return change;
    }

    /** The plan in force at {@code at}. Runs as the current tenant without a permission check (executors, jobs). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Plan planAt(Instant at) {
        return em.createQuery("select p.plan from TenantPlan p where p.effectiveFrom <= :at "
                        + "order by p.effectiveFrom desc", Plan.class)
                .setParameter("at", at).setMaxResults(1).getResultStream().findFirst().orElse(Plan.FREE);
    }

    /** The price list that rates usage at {@code at}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public PriceList pricesAt(Instant at) {
        return priceList(planAt(at), currency(), at);
    }

    /** The currency invoices and prices are in: the book currency where Runway prices in it, else US dollars. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Currency currency() {
        Currency book = budgets.bookCurrency();
        Long lists = em.createQuery("select count(p) from PriceList p where p.currency = :c", Long.class)
                .setParameter("c", book.getCurrencyCode()).getSingleResult();
        return lists > 0 ? book : Currency.getInstance(FALLBACK_CURRENCY);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Currency invoiceCurrency() {
        return currency();
    }

    /** The moments in [from, to) at which the plan or a price list changes: rating splits a period there. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Instant> changesWithin(Instant from, Instant to) {
        TreeSet<Instant> moments = new TreeSet<>();
        moments.addAll(em.createQuery("select p.effectiveFrom from TenantPlan p where p.effectiveFrom > :from "
                + "and p.effectiveFrom < :to", Instant.class).setParameter("from", from).setParameter("to", to)
                .getResultList());
        moments.addAll(em.createQuery("select p.effectiveFrom from PriceList p where p.effectiveFrom > :from "
                + "and p.effectiveFrom < :to", Instant.class).setParameter("from", from).setParameter("to", to)
                .getResultList());
        return new ArrayList<>(moments);
    }

    /**
     * Announces the plan's concurrency now ({@link PlanConcurrency}), which training keeps as the tenant's executor
     * quota in this transaction. Called on a plan change and by the hourly billing job, so a change stated for later
     * takes hold when it comes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyConcurrency(long tenantId, Instant now) {
        concurrency.fire(new PlanConcurrency(tenantId, pricesAt(now).getConcurrency()));
    }

    private PriceList priceList(Plan plan, Currency currency, Instant at) {
        return em.createQuery("select p from PriceList p where p.plan = :plan and p.currency = :c "
                        + "and p.effectiveFrom <= :at order by p.effectiveFrom desc, p.version desc", PriceList.class)
                .setParameter("plan", plan).setParameter("c", currency.getCurrencyCode()).setParameter("at", at)
                .setMaxResults(1).getResultStream().findFirst()
                // Usage before the first price list is rated by the first.
                .orElseGet(() -> em.createQuery("select p from PriceList p where p.plan = :plan and p.currency = :c "
                                + "order by p.effectiveFrom, p.version", PriceList.class)
                        .setParameter("plan", plan).setParameter("c", currency.getCurrencyCode())
                        .setMaxResults(1).getSingleResult());
    }
}
