package dev.runway.budget;

import dev.runway.base.BadInputException;
import dev.runway.base.ETag;
import dev.runway.base.Money;
import dev.runway.base.NotFoundException;
import dev.runway.billing.ComputePricing;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Monthly compute budgets for the company and per project, their alerts, and {@link #maySpend}, which other features
 * ask before spending on compute. BILLING, ADMIN and OWNER manage budgets; every member reads and asks.
 */
@ApplicationScoped
public class ComputeBudgetService {

    public static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 80, 100);
    public static final int MAX_THRESHOLDS = 6;
    public static final int RECENT_ALERTS = 20;

    /** What the budget form submits; {@code projectId} null for the company-wide budget; thresholds "50, 80, 100". */
    public record BudgetForm(Long projectId, BigDecimal monthlyLimit, String thresholds) {}

    /** A budget as it stands this month. {@code left} never goes below zero; {@code percentUsed} may pass 100. */
    public record BudgetStatus(ComputeBudget budget, String scope, YearMonth month, BigDecimal spent,
            BigDecimal left, int percentUsed) {}

    /**
     * This month's compute spend per day (UTC days, 1 to the month's last), cumulative, and the company-wide monthly
     * limit when there is one: the dashboard's spend chart. Days after today are null (not yet spent).
     */
    public record SpendByDay(YearMonth month, List<BigDecimal> cumulative, BigDecimal monthlyLimit,
            Currency currency) {}

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
    BudgetAlerts alerts;

    @Inject
    ComputePricing pricing;

    /** The company-wide budget first, then projects' budgets, with this month's spend. */
    @Transactional
    public List<BudgetStatus> computeBudgets() {
        access.require(Permission.READ);
        Currency currency = budgets.bookCurrency();
        YearMonth month = YearMonth.from(budgets.today());
        List<BudgetStatus> statuses = new ArrayList<>();
        for (ComputeBudget budget : all()) {
            BigDecimal spent = Money.round(alerts.computeSpent(month, budget.getProjectId()), currency);
            BigDecimal left = budget.getMonthlyLimit().subtract(spent).max(Money.zero(currency));
            int percent = spent.multiply(BigDecimal.valueOf(100))
                    .divide(budget.getMonthlyLimit(), 0, RoundingMode.HALF_UP).intValue();
            statuses.add(new BudgetStatus(budget, alerts.scope(budget.getProjectId()), month, spent, left, percent));
        }
        return statuses;
    }

    /**
     * Why compute budgets are not charged automatically, when they are not: compute is invoiced in a currency other
     * than the book currency (amounts are never converted). Manual compute spend still counts against them.
     */
    @Transactional
    public Optional<String> notChargedNote() {
        access.require(Permission.READ);
        Currency book = budgets.bookCurrency();
        Currency billed = pricing.invoiceCurrency();
        if (billed.equals(book)) {
            return Optional.empty();
        }
        return Optional.of("Compute is billed in " + billed.getCurrencyCode() + " and this company's books are in "
                + book.getCurrencyCode() + ": amounts are never converted, so compute budgets are not charged "
                + "automatically and do not stop runs. Compute spend you record by hand (category Compute) counts "
                + "against them.");
    }

    /** Creates the budget of the form's scope (company or project), or changes it when it exists. */
    @Transactional
    public ComputeBudget saveComputeBudget(BudgetForm form) {
        return saveComputeBudget(form, null);
    }

    /**
     * The same, only when {@code ifMatch} (if given) is still the ETag of the scope's budget, checked on its locked
     * row; an {@code ifMatch} for a scope with no budget yet is refused.
     */
    @Transactional
    public ComputeBudget saveComputeBudget(BudgetForm form, String ifMatch) {
        access.require(Permission.MANAGE_BUDGET);
        Currency currency = budgets.bookCurrency();
        String scope = alerts.scope(form.projectId());
        Optional<ComputeBudget> existing = budgetOf(form.projectId(), LockModeType.PESSIMISTIC_WRITE);
        ETag.check(ifMatch, existing.map(ComputeBudget::etag).orElse(null), "The " + scope + " compute budget");
        BigDecimal limit = Money.positive("monthlyLimit", form.monthlyLimit(), currency);
        List<Integer> thresholds = parseThresholds(form.thresholds());
        ComputeBudget budget;
        if (existing.isPresent()) {
            budget = existing.get();
            String before = budget.summary();
            budget.change(limit, thresholds, clock.instant());
            if (!before.equals(budget.summary())) {
                audit.record("budget.compute_budget_changed", scope + " compute budget", before, budget.summary());
            }
        } else {
            budget = new ComputeBudget(form.projectId(), clock.instant());
            budget.change(limit, thresholds, clock.instant());
            em.persist(budget);
            audit.record("budget.compute_budget_set", scope + " compute budget", null, budget.summary());
        }
        em.flush();
        alerts.check(YearMonth.from(budgets.today()), currency);
        return budget;
    }

    /** Deletes a budget; its alerts stay in the list. */
    @Transactional
    public void deleteComputeBudget(long id) {
        access.require(Permission.MANAGE_BUDGET);
        ComputeBudget budget = find(id);
        String scope = alerts.scope(budget.getProjectId());
        em.remove(budget);
        audit.record("budget.compute_budget_deleted", scope + " compute budget", budget.summary(), null);
    }

    /** Summed per day in the database (one row per day with spend), never spend by spend. */
    @Transactional
    public SpendByDay spendByDay() {
        access.require(Permission.READ);
        Currency currency = budgets.bookCurrency();
        java.time.LocalDate today = budgets.today();
        YearMonth month = YearMonth.from(today);
        List<Object[]> rows = em.createQuery("""
                        select a.spentOn, sum(a.amount) from ActualSpend a
                        where a.category = :compute and a.spentOn between :from and :to
                        group by a.spentOn""", Object[].class)
                .setParameter("compute", SpendCategory.COMPUTE)
                .setParameter("from", month.atDay(1))
                .setParameter("to", month.atEndOfMonth())
                .getResultList();
        BigDecimal[] perDay = new BigDecimal[month.lengthOfMonth()];
        for (Object[] row : rows) {
            perDay[((java.time.LocalDate) row[0]).getDayOfMonth() - 1] = (BigDecimal) row[1];
        }
        List<BigDecimal> cumulative = new ArrayList<>(perDay.length);
        BigDecimal sum = BigDecimal.ZERO;
        for (int d = 0; d < perDay.length; d++) {
            if (d + 1 > today.getDayOfMonth()) {
                cumulative.add(null);
                continue;
            }
            sum = sum.add(perDay[d] == null ? BigDecimal.ZERO : perDay[d]);
            cumulative.add(Money.round(sum, currency));
        }
        BigDecimal limit = all().stream().filter(ComputeBudget::isTenantWide).findFirst()
                .map(ComputeBudget::getMonthlyLimit).orElse(null);
        return new SpendByDay(month, cumulative, limit, currency);
    }

    /** The newest alerts, for the Budget page, the dashboard and the header. */
    @Transactional
    public List<BudgetAlert> recentAlerts() {
        access.require(Permission.READ);
        return em.createQuery("select a from BudgetAlert a order by a.createdAt desc, a.id desc", BudgetAlert.class)
                .setMaxResults(RECENT_ALERTS)
                .getResultList();
    }

    /**
     * This month's alerts of the budgets that still exist, the highest threshold reached per budget, highest first:
     * what the dashboard and the header show. Read from the database, so an alert raised on any node shows.
     */
    @Transactional
    public List<BudgetAlert> alertsThisMonth() {
        access.require(Permission.READ);
        List<BudgetAlert> alerts = em.createQuery("""
                        select a from BudgetAlert a where a.period = :period and a.budgetId is not null
                        order by a.threshold desc, a.createdAt desc, a.id desc""", BudgetAlert.class)
                .setParameter("period", YearMonth.from(budgets.today()).atDay(1))
                .getResultList();
        Set<Long> seen = new HashSet<>();
        return alerts.stream().filter(a -> seen.add(a.getBudgetId())).toList();
    }

    /**
     * Whether spending {@code amount} more on compute now keeps {@code projectId}'s budget (when it has one) and the
     * company-wide budget (when there is one) within this month's limits. {@code projectId} may be null for spend
     * that belongs to no project. The amount is rounded HALF_UP to the book currency. A foreign or unknown project
     * is reported as not found. Changes nothing.
     */
    @Transactional
    public SpendDecision maySpend(Long projectId, BigDecimal amount) {
        access.require(Permission.READ);
        Currency currency = budgets.bookCurrency();
        if (amount == null || amount.signum() <= 0) {
            throw new BadInputException("amount", "Ask about an amount above zero");
        }
        BigDecimal wanted = Money.round(amount, currency);
        String projectScope = alerts.scope(projectId);
        YearMonth month = YearMonth.from(budgets.today());
        Optional<ComputeBudget> projectBudget = projectId == null ? Optional.empty()
                : all().stream().filter(b -> projectId.equals(b.getProjectId())).findFirst();
        Optional<ComputeBudget> tenantBudget = all().stream().filter(ComputeBudget::isTenantWide).findFirst();

        BigDecimal projectLeft = projectBudget.map(b -> left(b, month, currency)).orElse(null);
        BigDecimal tenantLeft = tenantBudget.map(b -> left(b, month, currency)).orElse(null);
        BigDecimal left = projectLeft == null ? tenantLeft : tenantLeft == null ? projectLeft
                : projectLeft.min(tenantLeft);

        String ask = Money.format(wanted, currency);
        if (left == null) {
            return new SpendDecision(true, wanted, currency, null, null, null,
                    "No compute budget is set for " + (projectId == null ? "the company" : projectScope
                            + " or the company") + "; spending " + ask + " is not limited");
        }
        boolean projectOk = projectLeft == null || wanted.compareTo(projectLeft) <= 0;
        boolean tenantOk = tenantLeft == null || wanted.compareTo(tenantLeft) <= 0;
        if (projectOk && tenantOk) {
            return new SpendDecision(true, wanted, currency, left, projectLeft, tenantLeft,
                    "Within budget: " + Money.format(left.subtract(wanted), currency) + " will be left of "
                            + month + "'s compute budget after spending " + ask);
        }
        ComputeBudget exceeded = projectOk ? tenantBudget.get() : projectBudget.get();
        BigDecimal exceededLeft = projectOk ? tenantLeft : projectLeft;
        String scope = projectOk ? "the company" : projectScope;
        return new SpendDecision(false, wanted, currency, left, projectLeft, tenantLeft,
                "Spending " + ask + " would exceed the compute budget of " + scope + " for " + month + ": "
                        + Money.format(exceededLeft, currency) + " left of "
                        + Money.format(exceeded.getMonthlyLimit(), currency) + ". " + whoCanRaise()
                        + " can raise it on the Budget page.");
    }

    /** "Billing, Admin or Owner": read from the role table, so the message follows it. */
    public static String whoCanRaise() {
        List<String> labels = new ArrayList<>();
        Role[] roles = Role.values();
        for (int i = roles.length - 1; i >= 0; i--) {
            if (roles[i].allows(Permission.MANAGE_BUDGET)) {
                labels.add(roles[i].label());
            }
        }
        if (labels.size() == 1) {
            return "A member with the " + labels.get(0) + " role";
        }
        return "A " + String.join(", ", labels.subList(0, labels.size() - 1)) + " or "
                + labels.get(labels.size() - 1) + " member";
    }

    /** "50, 80,100" → [50, 80, 100]: whole percentages from 1 to 100, ascending, without repeats. */
    public static List<Integer> parseThresholds(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_THRESHOLDS;
        }
        TreeSet<Integer> values = new TreeSet<>();
        for (String raw : text.split("[,;\\s]+")) {
            String part = raw.strip().replace("%", "");
            if (part.isEmpty()) {
                continue;
            }
            int value;
            try {
                value = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new BadInputException("thresholds", "“" + raw.strip()
                        + "” is not a whole percentage; write e.g. 50, 80, 100");
            }
            if (value < 1 || value > 100) {
                throw new BadInputException("thresholds", "Thresholds are percentages from 1 to 100; "
                        + value + " is outside");
            }
            values.add(value);
        }
        if (values.isEmpty()) {
            return DEFAULT_THRESHOLDS;
        }
        if (values.size() > MAX_THRESHOLDS) {
            throw new BadInputException("thresholds", "Use at most " + MAX_THRESHOLDS + " thresholds");
        }
        return List.copyOf(values);
    }

    private BigDecimal left(ComputeBudget budget, YearMonth month, Currency currency) {
        BigDecimal spent = alerts.computeSpent(month, budget.getProjectId());
        return Money.round(budget.getMonthlyLimit().subtract(spent).max(BigDecimal.ZERO), currency);
    }

    /** The budget of a scope (null: the company-wide one), to read it or change it. */
    @Transactional
    public Optional<ComputeBudget> computeBudget(Long projectId) {
        access.require(Permission.READ);
        return budgetOf(projectId, LockModeType.NONE);
    }

    private Optional<ComputeBudget> budgetOf(Long projectId, LockModeType lock) {
        return em.createQuery("select b from ComputeBudget b where (:p is null and b.projectId is null) "
                        + "or b.projectId = :p", ComputeBudget.class)
                .setParameter("p", projectId).setLockMode(lock).getResultStream().findFirst();
    }

    private List<ComputeBudget> all() {
        return em.createQuery("select b from ComputeBudget b order by b.projectId nulls first, b.id",
                ComputeBudget.class).getResultList();
    }

    private ComputeBudget find(long id) {
        return Optional.ofNullable(em.find(ComputeBudget.class, id))
                .orElseThrow(() -> new NotFoundException("Compute budget"));
    }
}
