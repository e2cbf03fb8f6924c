package dev.runway.billing;

import dev.runway.base.BadInputException;
import dev.runway.base.Happened;
import dev.runway.base.NotFoundException;
import dev.runway.base.Money;
import dev.runway.project.ProjectService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Monthly invoices of the current tenant. Usage belongs to the month it was recorded in (so an event that arrives
 * late can never reopen a finalised invoice) and is rated by the price list in force when it happened. The current
 * month's invoice is a draft that follows the ledger; after the month it is finalised, numbered and never changes.
 * BILLING, ADMIN and OWNER see invoices; BILLING and up record payments, voids and credits.
 */
@ApplicationScoped
public class InvoiceService {

    /** A credit and what is left of it. */
    public record CreditBalance(Credit credit, BigDecimal remaining) {}

    @Inject
    EntityManager em;

    @Inject
    Event<Happened> happened;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    PlanService plans;

    @Inject
    PaymentProvider payments;

    @Inject
    ProjectService projects;

    /** All invoices, the newest period first; the current month's draft brought up to date first. */
    @Transactional
    public List<Invoice> invoices() {
        access.require(Permission.READ_BILLING);
        refresh(YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)));
        return em.createQuery("select i from Invoice i order by i.period desc, i.id desc", Invoice.class)
                .getResultList();
    }

    @Transactional
    public Invoice get(long id) {
        access.require(Permission.READ_BILLING);
        return find(id);
    }

    @Transactional
    public List<InvoiceLine> lines(long invoiceId) {
        access.require(Permission.READ_BILLING);
        find(invoiceId);
        return em.createQuery("select l from InvoiceLine l where l.invoiceId = :invoice order by l.position",
                InvoiceLine.class).setParameter("invoice", invoiceId).getResultList();
    }

    /** Records the payment of a finalised invoice through the payment provider. */
    @Transactional
    public Invoice markPaid(long id, String reference) {
        access.require(Permission.MANAGE_BUDGET);
        Invoice invoice = em.find(Invoice.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (invoice == null) {
            throw new NotFoundException("Invoice");
        }
        if (invoice.getStatus() != Invoice.Status.FINALISED) {
            throw new BadInputException(null, "Only a finalised invoice can be marked paid; this one is "
                    + invoice.getStatus().name().toLowerCase());
        }
        String confirmed = payments.confirm(invoice, reference);
        invoice.paid(payments.name(), confirmed, clock.instant());
        audit.record("billing.invoice_paid", "Invoice " + invoice.label(), "FINALISED", "PAID " + confirmed);
        return invoice;
    }

    /** Voids a finalised, unpaid invoice; the credits it used become available again. */
    @Transactional
    public Invoice voidInvoice(long id, String reason) {
        access.require(Permission.MANAGE_BUDGET);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 500) {
            throw new BadInputException("reason", "Say why the invoice is void (up to 500 characters)");
        }
        Invoice invoice = em.find(Invoice.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (invoice == null) {
            throw new NotFoundException("Invoice");
        }
        invoice.voidIt(why, clock.instant());
        audit.record("billing.invoice_voided", "Invoice " + invoice.label(), "FINALISED", "VOID: " + why);
        return invoice;
    }

    /** Records prepaid credit in the invoice currency, applied to the next finalised invoices. */
    @Transactional
    public Credit addCredit(BigDecimal amount, String reference) {
        Actor actor = access.require(Permission.MANAGE_BUDGET);
        Currency currency = plans.currency();
        BigDecimal value = Money.positive("amount", amount, currency);
        String ref = reference == null ? "" : reference.strip();
        if (ref.isEmpty() || ref.length() > Credit.REFERENCE_MAX) {
            throw new BadInputException("reference", "Enter where the credit comes from (e.g. the prepayment's "
                    + "transfer id), up to " + Credit.REFERENCE_MAX + " characters");
        }
        Credit credit = new Credit(value, currency, ref, actor.userId(), clock.instant());
        em.persist(credit);
        audit.record("billing.credit_added", "Credit", null, Money.format(value, currency) + " (" + ref + ")");
        return credit;
    }

    @Transactional
    public List<CreditBalance> credits() {
        access.require(Permission.READ_BILLING);
        Map<Long, BigDecimal> remaining = remainingCredits();
        return em.createQuery("select c from Credit c order by c.grantedAt, c.id", Credit.class).getResultStream()
                .map(c -> new CreditBalance(c, remaining.getOrDefault(c.getId(), BigDecimal.ZERO)))
                .toList();
    }

    /**
     * Finalises every past month of the current tenant: its draft, or a new invoice where usage was recorded but no
     * invoice exists. Runs as the tenant without a permission check (the billing job); safe to run on several nodes
     * at once (the invoice row is locked, and a period has one live invoice).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Invoice> finaliseDue() {
        YearMonth current = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        Instant currentStart = current.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        LinkedHashSet<YearMonth> due = new LinkedHashSet<>();
        em.createQuery("select i.period from Invoice i where i.status = :draft and i.period < :current "
                        + "order by i.period", LocalDate.class)
                .setParameter("draft", Invoice.Status.DRAFT).setParameter("current", current.atDay(1))
                .getResultStream().map(YearMonth::from).forEach(due::add);
        @SuppressWarnings("unchecked")
        List<Object> months = em.createNativeQuery("""
                        select distinct date_trunc('month', e.recorded_at at time zone 'UTC')::date
                        from usage_event e
                        where e.recorded_at < :currentStart
                          and not exists (select 1 from invoice i
                                          where i.period = date_trunc('month', e.recorded_at at time zone 'UTC')::date)
                        order by 1""")
                .setParameter("currentStart", currentStart).getResultList();
        months.forEach(m -> due.add(YearMonth.from(UsageService.localDate(m))));
        List<Invoice> finalised = new ArrayList<>();
        for (YearMonth period : due) {
            Invoice invoice = refresh(period);
            if (invoice.getStatus() == Invoice.Status.DRAFT) {
                BigDecimal subtotal = invoice.getSubtotal();
                invoice.totals(subtotal, credits(invoice, subtotal, true), invoice.getPlanSummary(), clock.instant());
                int number = em.createQuery("select coalesce(max(i.number), 0) from Invoice i", Integer.class)
                        .getSingleResult() + 1;
                invoice.finalise(number, clock.instant());
                finalised.add(invoice);
                happened.fire(new Happened(TenantContext.current().orElseThrow().tenantId(),
                        Happened.Kind.INVOICE_FINALISED, null,
                        new Happened.Subject(Happened.Subject.Type.INVOICE, invoice.getId(), "Invoice " + number),
                        null, "Invoice " + number + " for " + period + " finalised: "
                                + Money.format(invoice.getTotal(), invoice.getCurrency()), Set.of(),
                        Map.of("invoiceId", invoice.getId(), "number", number, "period", period.toString(),
                                "total", invoice.getTotal().toPlainString(),
                                "currency", invoice.getCurrency().getCurrencyCode())));
            }
        }
        return finalised;
    }

    /**
     * Brings the draft of {@code period} in line with the ledger (creating it when absent) and returns the period's
     * live invoice; a finalised one is returned as it is.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Invoice refresh(YearMonth period) {
        Optional<Invoice> existing = em.createQuery("select i from Invoice i where i.period = :period "
                        + "and i.status <> :void", Invoice.class)
                .setParameter("period", period.atDay(1)).setParameter("void", Invoice.Status.VOID)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultStream().findFirst();
        if (existing.isPresent() && existing.get().getStatus() != Invoice.Status.DRAFT) {
            return existing.get();
        }
        Invoice invoice = existing.orElseGet(() -> {
            Invoice draft = new Invoice(period, plans.currency(), clock.instant());
            em.persist(draft);
            em.flush();
            return draft;
        });
        List<Rating.Line> lines = rate(period);
        em.createQuery("delete from InvoiceLine l where l.invoiceId = :invoice")
                .setParameter("invoice", invoice.getId()).executeUpdate();
        int position = 1;
        for (Rating.Line line : lines) {
            em.persist(new InvoiceLine(invoice.getId(), position++, line));
        }
        BigDecimal subtotal = Rating.sum(lines);
        invoice.totals(subtotal, credits(invoice, subtotal, false), planSummary(period), clock.instant());
        return invoice;
    }

    /** The lines of {@code period}: the usage recorded in it, split where the plan or a price list changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Rating.Line> rate(YearMonth period) {
        Instant from = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Object[] span = (Object[]) em.createNativeQuery("select min(window_start), max(window_start) "
                        + "from usage_event where recorded_at >= :from and recorded_at < :to")
                .setParameter("from", from).setParameter("to", to).getSingleResult();
        if (span[0] == null) {
            return List.of();
        }
        Instant first = (Instant) span[0];
        Instant last = ((Instant) span[1]).plusNanos(1000);
        List<Instant> bounds = new ArrayList<>();
        bounds.add(first);
        bounds.addAll(plans.changesWithin(first, last));
        bounds.add(last);
        List<Rating.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.size(); i++) {
            PriceList prices = plans.pricesAt(bounds.get(i));
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            select project_id, resource, sum(quantity) from usage_event
                            where recorded_at >= :from and recorded_at < :to
                              and window_start >= :a and window_start < :b
                            group by project_id, resource""")
                    .setParameter("from", from).setParameter("to", to)
                    .setParameter("a", bounds.get(i)).setParameter("b", bounds.get(i + 1))
                    .getResultList();
            for (Object[] row : rows) {
                buckets.add(new Rating.Bucket(row[0] == null ? null : ((Number) row[0]).longValue(),
                        Resource.valueOf((String) row[1]), prices, (BigDecimal) row[2]));
            }
        }
        return Rating.lines(buckets, projects.names(), plans.currency());
    }

    /**
     * The credit that covers {@code due}, oldest credit first; with {@code record}, what each credit gives is booked
     * against the invoice (at finalisation; a draft only shows it).
     */
    private BigDecimal credits(Invoice invoice, BigDecimal due, boolean record) {
        Map<Long, BigDecimal> remaining = remainingCredits();
        BigDecimal applied = BigDecimal.ZERO;
        List<Credit> credits = em.createQuery("select c from Credit c where c.currency = :c order by c.grantedAt, "
                + "c.id", Credit.class).setParameter("c", invoice.getCurrency().getCurrencyCode()).getResultList();
        for (Credit credit : credits) {
            BigDecimal left = remaining.getOrDefault(credit.getId(), BigDecimal.ZERO);
            BigDecimal use = left.min(due.subtract(applied));
            if (use.signum() <= 0) {
                continue;
            }
            applied = applied.add(use);
            if (record) {
                em.createNativeQuery("insert into credit_application (tenant_id, credit_id, invoice_id, amount) "
                                + "values (:tenant, :credit, :invoice, :amount)")
                        .setParameter("tenant", TenantContext.current().orElseThrow().tenantId())
                        .setParameter("credit", credit.getId()).setParameter("invoice", invoice.getId())
                        .setParameter("amount", use).executeUpdate();
            }
        }
        return applied;
    }

    /** Each credit's amount less what finalised (not void) invoices used of it. */
    private Map<Long, BigDecimal> remainingCredits() {
        Map<Long, BigDecimal> remaining = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select c.id, c.amount - coalesce((select sum(a.amount) from credit_application a
                                                          join invoice i on i.id = a.invoice_id
                                                          where a.credit_id = c.id and i.status <> 'VOID'), 0)
                        from credit c""").getResultList();
        rows.forEach(r -> remaining.put(((Number) r[0]).longValue(), (BigDecimal) r[1]));
        return remaining;
    }

    private String planSummary(YearMonth period) {
        Instant from = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<String> parts = new ArrayList<>();
        parts.add(plans.planAt(from).label());
        for (Instant change : plans.changesWithin(from, to)) {
            String label = plans.planAt(change).label();
            if (!parts.get(parts.size() - 1).startsWith(label)) {
                parts.add(label + " from " + change.atZone(ZoneOffset.UTC).toLocalDate());
            }
        }
        return String.join(", ", parts) + (parts.size() > 1 ? "" : " plan");
    }

    private Invoice find(long id) {
        return Optional.ofNullable(em.find(Invoice.class, id)).orElseThrow(() -> new NotFoundException("Invoice"));
    }
}
