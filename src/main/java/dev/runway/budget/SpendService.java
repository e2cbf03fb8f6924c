package dev.runway.budget;

import dev.runway.base.Money;
import dev.runway.base.BadInputException;
import dev.runway.base.ETag;
import dev.runway.base.FormChecks;
import dev.runway.base.Keyset;
import dev.runway.base.NotFoundException;
import dev.runway.project.ProjectService;
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
import java.time.YearMonth;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The monthly spending plan and actual spend entered by people, and the plan against actual spend. Compute spend
 * posted by billing is {@link BudgetService#recordComputeSpend}'s and read-only here. BILLING, ADMIN and OWNER manage;
 * every member reads.
 */
@ApplicationScoped
public class SpendService {

    /**
     * What the actual-spend form submits; {@code projectId} is optional. Its constraints are checked by
     * {@link FormChecks}, then the rest here.
     */
    public record ActualForm(LocalDate spentOn, @NotNull(message = "Choose a category") SpendCategory category,
            BigDecimal amount, @Size(max = ActualSpend.NOTE_MAX, message = Entries.NOTE_TOO_LONG) String note,
            Long projectId) {}

    /** The advisory lock namespace of plan changes ("PLAN"). */
    private static final int PLAN_LOCK = 0x504c414e;

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    ProjectService projects;

    @Inject
    BudgetService budgets;

    @Inject
    BudgetAlerts alerts;

    @Inject
    FormChecks checks;

    // ---- the plan ----

    /** The plan for {@code month}: only categories with an amount. */
    @Transactional
    public Map<SpendCategory, BigDecimal> plan(YearMonth month) {
        access.require(Permission.READ);
        Map<SpendCategory, BigDecimal> plan = new EnumMap<>(SpendCategory.class);
        planLines(month).forEach(p -> plan.put(p.category(), p.amount()));
        return plan;
    }

    /**
     * Sets the planned amounts of {@code month} for the categories given; zero or an empty amount clears a line.
     * Bad amounts are reported at the field named after the category (e.g. "COMPUTE"), and nothing is saved.
     */
    @Transactional
    public void savePlan(YearMonth month, Map<SpendCategory, BigDecimal> amounts) {
        savePlan(month, null, amounts);
    }

    /**
     * The same, only when {@code ifMatch} (if given) is still the month's {@link #planEtag}. The company's month is
     * locked for the check and the change (a transaction-scoped advisory lock: a month's plan is several rows, some
     * not there yet).
     */
    @Transactional
    public void savePlan(YearMonth month, String ifMatch, Map<SpendCategory, BigDecimal> amounts) {
        Actor actor = access.require(Permission.MANAGE_BUDGET);
        if (month == null) {
            throw new BadInputException("month", "Choose a month");
        }
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(:ns, hashtext(cast(:k as text)))) l")
                .setParameter("ns", PLAN_LOCK).setParameter("k", actor.tenantId() + ":" + month).getSingleResult();
        ETag.check(ifMatch, planEtag(month, planLines(month)), "The plan of " + month);
        Currency currency = budgets.bookCurrency();
        Map<SpendCategory, BigDecimal> checked = new LinkedHashMap<>();
        for (Map.Entry<SpendCategory, BigDecimal> e : amounts.entrySet()) {
            if (e.getKey() == null) {
                throw new BadInputException("category", "Choose a category: "
                        + Stream.of(SpendCategory.values()).map(SpendCategory::label).toList());
            }
            checked.put(e.getKey(), Money.zeroOrMore(e.getKey().name(), e.getValue(), currency));
        }
        Map<SpendCategory, PlannedSpend> existing = new EnumMap<>(SpendCategory.class);
        planLines(month).forEach(p -> existing.put(p.category(), p));
        checked.forEach((category, amount) -> {
            PlannedSpend line = existing.get(category);
            BigDecimal before = line == null ? null : line.amount();
            if (before == null ? amount.signum() == 0 : before.compareTo(amount) == 0) {
                return;
            }
            if (amount.signum() == 0) {
                em.remove(line);
            } else if (line == null) {
                PlannedSpend created = new PlannedSpend(month.atDay(1), category);
                created.change(amount, clock.instant());
                em.persist(created);
            } else {
                line.change(amount, clock.instant());
            }
            audit.record("budget.plan_changed", "Plan " + month + " " + category.label(),
                    before == null ? null : Money.format(before, currency),
                    amount.signum() == 0 ? null : Money.format(amount, currency));
        });
    }

    /** The API's entity tag of a month's plan: its amounts by category (by value, not scale). */
    @Transactional
    public String planEtag(YearMonth month) {
        access.require(Permission.READ);
        return planEtag(month, planLines(month));
    }

    private static String planEtag(YearMonth month, List<PlannedSpend> lines) {
        return ETag.of(month, lines.stream().sorted(Comparator.comparing(PlannedSpend::category))
                .map(p -> p.category() + "=" + p.amount().stripTrailingZeros().toPlainString()).toList());
    }

    private List<PlannedSpend> planLines(YearMonth month) {
        return em.createQuery("select p from PlannedSpend p where p.month = :month", PlannedSpend.class)
                .setParameter("month", month.atDay(1))
                .getResultList();
    }

    // ---- actual spend ----

    /** Newest first; {@code month} null for all. */
    @Transactional
    public List<ActualSpend> actuals(YearMonth month) {
        return actuals(month, null, Integer.MAX_VALUE);
    }

    /** A page of them, newest first: at most {@code limit} after {@code after} (day spent, id). */
    @Transactional
    public List<ActualSpend> actuals(YearMonth month, Keyset after, int limit) {
        access.require(Permission.READ);
        LocalDate from = month == null ? LocalDate.of(1, 1, 1) : month.atDay(1);
        LocalDate to = month == null ? LocalDate.of(9999, 12, 31) : month.atEndOfMonth();
        return Keyset.bindDate(em.createQuery("select a from ActualSpend a where a.spentOn between :from and :to"
                        + " and " + Keyset.after("a.spentOn", "a.id", true) + " order by a.spentOn desc, a.id desc",
                        ActualSpend.class), after)
                .setParameter("from", from)
                .setParameter("to", to)
                .setMaxResults(limit)
                .getResultList();
    }

    /** One entry, to read it or change some of its fields. */
    @Transactional
    public ActualSpend actual(long id) {
        access.require(Permission.READ);
        return Optional.ofNullable(em.find(ActualSpend.class, id)).orElseThrow(() -> new NotFoundException("Spend entry"));
    }

    @Transactional
    public ActualSpend addActual(ActualForm form) {
        Actor actor = access.require(Permission.MANAGE_BUDGET);
        ActualSpend actual = new ActualSpend(SpendSource.MANUAL, null, actor.userId(), clock.instant());
        Currency currency = budgets.bookCurrency();
        apply(actual, form, currency);
        em.persist(actual);
        audit.record("budget.spend_added", actual.getCategory().label() + " spend", null, actual.summary());
        alertIfCompute(actual, currency);
        return actual;
    }

    /** Changes a manual entry; billing's entries are read-only. */
    @Transactional
    public ActualSpend updateActual(long id, ActualForm form) {
        return updateActual(id, null, actual -> form);
    }

    /**
     * Changes a manual entry to the form {@code change} makes of it as it is now, on the locked row, and only when
     * {@code ifMatch} (if given) is still its ETag.
     */
    @Transactional
    public ActualSpend updateActual(long id, String ifMatch, Function<ActualSpend, ActualForm> change) {
        access.require(Permission.MANAGE_BUDGET);
        ActualSpend actual = findManual(id, LockModeType.PESSIMISTIC_WRITE);
        ETag.check(ifMatch, actual.etag(), "The spend entry");
        String before = actual.summary();
        Currency currency = budgets.bookCurrency();
        apply(actual, change.apply(actual), currency);
        if (!before.equals(actual.summary())) {
            audit.record("budget.spend_updated", actual.getCategory().label() + " spend", before, actual.summary());
            alertIfCompute(actual, currency);
        }
        return actual;
    }

    /** Deletes a manual entry; billing's entries are read-only. */
    @Transactional
    public void deleteActual(long id) {
        access.require(Permission.MANAGE_BUDGET);
        ActualSpend actual = findManual(id);
        em.remove(actual);
        audit.record("budget.spend_deleted", actual.getCategory().label() + " spend", actual.summary(), null);
    }

    private void apply(ActualSpend actual, ActualForm form, Currency currency) {
        checks.check(form);
        LocalDate spentOn = Entries.pastOrToday("spentOn", "date spent", form.spentOn(), budgets.today());
        BigDecimal amount = Money.positive("amount", form.amount(), currency);
        if (form.projectId() != null) {
            projects.get(form.projectId());
        }
        actual.update(spentOn, form.category(), amount, Entries.note(form.note()), form.projectId());
    }

    private void alertIfCompute(ActualSpend actual, Currency currency) {
        if (actual.getCategory() == SpendCategory.COMPUTE) {
            em.flush();
            alerts.check(YearMonth.from(actual.getSpentOn()), currency);
        }
    }

    /** Each category's plan against actual spend in {@code month}. */
    @Transactional
    public List<RunwayMath.CategoryComparison> planVsActual(YearMonth month) {
        access.require(Permission.READ);
        Map<SpendCategory, BigDecimal> planned = new EnumMap<>(SpendCategory.class);
        planLines(month).forEach(p -> planned.put(p.category(), p.amount()));
        Map<SpendCategory, BigDecimal> actual = new EnumMap<>(SpendCategory.class);
        em.createQuery("""
                        select a.category, sum(a.amount) from ActualSpend a
                        where a.spentOn between :from and :to group by a.category""", Object[].class)
                .setParameter("from", month.atDay(1))
                .setParameter("to", month.atEndOfMonth())
                .getResultList()
                .forEach(row -> actual.put((SpendCategory) row[0], (BigDecimal) row[1]));
        return RunwayMath.planVsActual(planned, actual, budgets.bookCurrency());
    }

    private ActualSpend findManual(long id) {
        return findManual(id, LockModeType.NONE);
    }

    private ActualSpend findManual(long id, LockModeType lock) {
        ActualSpend actual = Optional.ofNullable(em.find(ActualSpend.class, id, lock))
                .orElseThrow(() -> new NotFoundException("Spend entry"));
        if (actual.isReadOnly()) {
            throw new BadInputException(null, "Compute spend posted by billing is read-only; "
                    + "it changes only through billing");
        }
        return actual;
    }
}
