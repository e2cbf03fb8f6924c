package dev.runway.billing;

import dev.runway.base.BadInputException;
import dev.runway.base.Money;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.TenantContext;
import dev.runway.training.RunCharges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What executors and the submit form ask of billing: the price of a run before it starts, whether the budgets and
 * the plan let it start or go on, its cost so far, and the metering of its segments. A segment is the work between
 * two checkpoints of one attempt (or between the last checkpoint and the end): it is posted once, with the key
 * "run:{id}:{attempt}:{segment}", when it is safely behind a checkpoint, so work redone after a dead worker is never
 * billed. Each posted segment also moves the run's cost into the budget's actual compute spend (a {@link ComputeSpent}
 * event). Training asks all this through its {@link RunCharges} port, so it depends on no billing type.
 */
@ApplicationScoped
public class Metering implements RunCharges {

    /** A price before a run: {@code seconds} of {@code resource} at the plan's rate. */
    public record Estimate(Resource resource, long seconds, BigDecimal unitPrice, BigDecimal amount,
            Currency currency, String basis, Optional<String> budgetNote) implements RunCharges.Estimate {

        @Override
        public boolean gpu() {
            return resource == Resource.GPU;
        }

        /**
         * "0.02 USD (about 3 min of CPU time at 0.12 USD an hour, from 4 similar runs)", and why budgets do not see it
         * when they cannot.
         */
        @Override
        public String describe() {
            boolean belowACent = amount.signum() == 0 && seconds > 0 && unitPrice.signum() > 0;
            return (belowACent ? "under " + Money.format(Money.smallest(currency), currency)
                    : Money.format(amount, currency)) + " (about " + duration(seconds) + " of " + resource.label()
                    + " at " + Money.format(unitPrice, currency) + " an hour, " + basis + ")"
                    + budgetNote.map(note -> ". " + note).orElse("");
        }

        @Override
        public BigDecimal exact() {
            return Rating.exact(BigDecimal.valueOf(seconds), resource, unitPrice);
        }
    }

    /** A run's cost so far: posted segments plus the one under way; {@code amount} rounded, {@code exact} not. */
    public record RunCost(BigDecimal amount, BigDecimal exact, Currency currency, BigDecimal deviceSeconds)
            implements RunCharges.RunCost {

        @Override
        public String describe() {
            return amount.signum() == 0 && exact.signum() > 0
                    ? "under " + Money.format(Money.smallest(currency), currency) : Money.format(amount, currency);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    Clock clock;

    @Inject
    PlanService plans;

    @Inject
    UsageLedger ledger;

    @Inject
    BudgetLimits budgets;

    @Inject
    Event<ComputeSpent> computeSpent;

    /** The price of {@code seconds} on a GPU or a CPU at the rate in force now. */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Estimate estimate(boolean gpu, long seconds, String basis) {
        PriceList prices = plans.pricesAt(clock.instant());
        Resource resource = gpu ? Resource.GPU : Resource.CPU;
        BigDecimal unitPrice = prices.unitPrice(resource);
        BigDecimal amount = Rating.amount(BigDecimal.valueOf(seconds), resource, unitPrice, prices.getCurrency());
        String allowance = resource == Resource.CPU ? prices.cpuMinutesIncluded().map(included -> "; "
                + cpuSecondsThisMonth().divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_UP) + " of the "
                + included + " CPU-minutes the " + prices.getPlan().label() + " plan includes are used this month")
                .orElse("") : "";
        return new Estimate(resource, seconds, unitPrice, amount, prices.getCurrency(), basis + allowance,
                budgetsNotCharged());
    }

    /**
     * Why compute budgets do not see compute spend, when they cannot: Runway prices compute in USD, EUR and GBP, and a
     * company whose books are in another currency is invoiced in US dollars, which are never converted.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> budgetsNotCharged() {
        Currency billed = plans.currency();
        Currency book = budgets.bookCurrency();
        if (billed.equals(book)) {
            return Optional.empty();
        }
        return Optional.of("Compute is billed in " + billed.getCurrencyCode() + " and this company's books are in "
                + book.getCurrencyCode() + ", so compute budgets are not charged automatically: this run is not "
                + "checked against them");
    }

    /** Whether the plan in force lets runs use GPUs. */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean gpuAllowed() {
        return plans.pricesAt(clock.instant()).allowsGpu();
    }

    /**
     * Refuses a run that the plan or the budgets do not allow: a GPU on a plan without GPUs, more CPU-minutes than
     * the plan's monthly allowance has left, or an estimate above what is left of the project's or the company's
     * compute budget. The message says how much is left and who can change it.
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void admit(Long projectId, RunCharges.Estimate estimate) {
        PriceList prices = plans.pricesAt(clock.instant());
        Resource resource = estimate.gpu() ? Resource.GPU : Resource.CPU;
        if (resource == Resource.GPU && !prices.allowsGpu()) {
            throw new BadInputException("device", "The " + prices.getPlan().label() + " plan runs on CPUs only: "
                    + "choose CPU, or move to the Team plan on the Billing page");
        }
        Optional<String> allowance = allowanceExceeded(prices, resource, estimate.seconds());
        if (allowance.isPresent()) {
            throw new BadInputException("budget", allowance.get());
        }
        budgetExceeded(projectId, resource, estimate.seconds(), true)
                .ifPresent(message -> {
                    throw new BadInputException("budget", message);
                });
    }

    /**
     * Why a running run must stop now, if it must: the cost of its posted segments this month plus
     * {@code openSeconds} of the segment under way would pass a compute budget's limit or the plan's allowance.
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> mustStop(Long projectId, boolean gpu, long openSeconds) {
        PriceList prices = plans.pricesAt(clock.instant());
        Resource resource = gpu ? Resource.GPU : Resource.CPU;
        // Right after a checkpoint the open segment is under a second; counted as one, so a budget already spent by
        // the checkpoints' own posts still stops a run whose epochs are short.
        long open = Math.max(1, openSeconds);
        return allowanceExceeded(prices, resource, openSeconds)
                .or(() -> budgetExceeded(projectId, resource, open, false));
    }

    /**
     * Posts a finished segment (once) and moves its cost into the budget's actual compute spend. The budget sees what
     * the invoice will show: the segment's invoice line (its month, project, resource and price list) is rated
     * exactly and rounded once, and the budget gets the change in that rounded amount (a {@link ComputeSpent} event,
     * observed in this transaction). So sub-cent segments add up to the cents they are invoiced as, and the budget's
     * posts of a month sum to its invoice lines.
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void meter(Segment s) {
        long tenantId = TenantContext.current().orElseThrow().tenantId();
        BigDecimal seconds = BigDecimal.valueOf(Math.max(0, Duration.between(s.from(), s.to()).toMillis()), 3);
        Resource resource = s.gpu() ? Resource.GPU : Resource.CPU;
        if (!ledger.record(tenantId, new Usage(s.key(), resource, seconds, s.projectId(), s.runId(), s.from(),
                s.to()))) {
            return;
        }
        PriceList prices = plans.pricesAt(s.from());
        if (!prices.getCurrency().equals(budgets.bookCurrency())) {
            return;
        }
        Instant now = clock.instant();
        // One metering at a time per line: each sees the others' committed segments, so no cent is lost between them.
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:line, 0))")
                .setParameter("line", "meter:" + tenantId + ":" + s.projectId() + ":" + resource)
                .getSingleResult();
        BigDecimal before = lineRecorded(YearMonth.from(now.atZone(ZoneOffset.UTC)), s.projectId(), resource, prices,
                s.key());
        BigDecimal delta = increase(before, seconds, resource, prices);
        if (delta.signum() > 0) {
            computeSpent.fire(new ComputeSpent(s.projectId(), delta, now, "usage:" + s.key()));
        }
    }

    /**
     * The run's cost so far, live: posted segments rated by the prices in force when each happened (as the invoice
     * rates them, so a finished run keeps the cost it was billed after a plan change), plus {@code openSeconds} of
     * the segment under way at today's prices.
     */
    @Override
    @Transactional
    public RunCost runCost(long runId, boolean gpu, long openSeconds) {
        access.require(Permission.READ);
        PriceList current = plans.pricesAt(clock.instant());
        BigDecimal amount = BigDecimal.ZERO;
        BigDecimal deviceSeconds = BigDecimal.ZERO;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select resource, window_start, quantity from usage_event "
                + "where run_id = :run").setParameter("run", runId).getResultList();
        // The moments prices changed between the run's first and last segment: each segment is rated by the prices
        // in force at its start, looked up once per stretch rather than once per segment.
        List<Instant> changes = rows.isEmpty() ? List.of() : plans.changesWithin(
                rows.stream().map(r -> (Instant) r[1]).min(Instant::compareTo).orElseThrow(),
                rows.stream().map(r -> (Instant) r[1]).max(Instant::compareTo).orElseThrow().plusNanos(1000));
        Map<Instant, PriceList> byStretch = new HashMap<>();
        for (Object[] row : rows) {
            Resource resource = Resource.valueOf((String) row[0]);
            BigDecimal quantity = (BigDecimal) row[2];
            Instant start = (Instant) row[1];
            Instant stretch = changes.stream().filter(c -> !c.isAfter(start)).reduce((a, b) -> b).orElse(Instant.MIN);
            PriceList prices = byStretch.computeIfAbsent(stretch, k -> plans.pricesAt(start));
            deviceSeconds = deviceSeconds.add(quantity);
            amount = amount.add(Rating.exact(quantity, resource, prices.unitPrice(resource)));
        }
        Resource open = gpu ? Resource.GPU : Resource.CPU;
        amount = amount.add(exact(open, openSeconds, current));
        deviceSeconds = deviceSeconds.add(BigDecimal.valueOf(openSeconds));
        return new RunCost(Money.round(amount, current.getCurrency()), amount, current.getCurrency(), deviceSeconds);
    }

    /** A plan's included CPU-minutes are also the most it may use (the Free plan's allowance). */
    private Optional<String> allowanceExceeded(PriceList prices, Resource resource, long moreSeconds) {
        if (resource != Resource.CPU || prices.cpuMinutesIncluded().isEmpty()) {
            return Optional.empty();
        }
        int included = prices.cpuMinutesIncluded().get();
        BigDecimal usedMinutes = cpuSecondsThisMonth().divide(BigDecimal.valueOf(60), 1, RoundingMode.HALF_UP);
        BigDecimal wantedMinutes = BigDecimal.valueOf(moreSeconds).divide(BigDecimal.valueOf(60), 1,
                RoundingMode.UP);
        if (usedMinutes.add(wantedMinutes).compareTo(BigDecimal.valueOf(included)) <= 0) {
            return Optional.empty();
        }
        return Optional.of("The " + prices.getPlan().label() + " plan includes " + included + " CPU-minutes a month; "
                + usedMinutes.stripTrailingZeros().toPlainString() + " are used and this needs about "
                + wantedMinutes.stripTrailingZeros().toPlainString() + " more. " + budgets.whoCanRaise()
                + " can move the company to the Team plan on the Billing page.");
    }

    /**
     * Asks the budgets about {@code seconds} more of {@code resource} in {@code projectId} now: the amount asked is
     * what the invoice line would grow by (rounded once, as invoiced); a use too small to move it by a cent is still
     * refused once a budget has nothing left.
     */
    private Optional<String> budgetExceeded(Long projectId, Resource resource, long seconds, boolean beforeStart) {
        PriceList prices = plans.pricesAt(clock.instant());
        BigDecimal exact = exact(resource, seconds, prices);
        if (exact.signum() == 0 || !plans.currency().equals(budgets.bookCurrency())) {
            return Optional.empty();
        }
        BigDecimal recorded = lineRecorded(YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)), projectId,
                resource, prices, "");
        BigDecimal increase = increase(recorded, BigDecimal.valueOf(seconds), resource, prices);
        BudgetLimits.Room decision = budgets.room(projectId, increase.signum() > 0 ? increase : exact);
        boolean exhausted = decision.left() != null && decision.left().signum() == 0;
        if (decision.allowed() && !exhausted) {
            return Optional.empty();
        }
        if (beforeStart) {
            return Optional.of(decision.allowed() ? "The compute budget for this month is used up ("
                    + Money.format(decision.left(), decision.currency()) + " left). " + whoCanRaise()
                    : decision.message());
        }
        return Optional.of("Stopped: budget reached — " + Money.format(decision.left(), decision.currency())
                + " of this month's compute budget is left. " + whoCanRaise() + " Retry the run to resume it "
                + "from its last checkpoint.");
    }

    private String whoCanRaise() {
        return budgets.whoCanRaise() + " can raise it on the Budget page.";
    }

    private BigDecimal cpuSecondsThisMonth() {
        YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        Object sum = em.createNativeQuery("select coalesce(sum(quantity), 0) from usage_event "
                        + "where resource = 'CPU' and recorded_at >= :from")
                .setParameter("from", month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)).getSingleResult();
        return (BigDecimal) sum;
    }

    /**
     * The device-seconds of the invoice line that usage of {@code resource} in {@code projectId}, rated by
     * {@code prices}, joins in {@code month}: recorded in that month and rated by the same price list (the invoice
     * merges every stretch of the month that a price list rates), without the event {@code exceptKey}.
     */
    private BigDecimal lineRecorded(YearMonth month, Long projectId, Resource resource, PriceList prices,
            String exceptKey) {
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        String where = " from usage_event where recorded_at >= :from and recorded_at < :to "
                + "and project_id is not distinct from cast(:project as bigint) and resource = :resource "
                + "and idempotency_key <> :key";
        Object[] span = (Object[]) em.createNativeQuery("select min(window_start), max(window_start)" + where)
                .setParameter("from", from).setParameter("to", to).setParameter("project", projectId)
                .setParameter("resource", resource.name()).setParameter("key", exceptKey).getSingleResult();
        if (span[0] == null) {
            return BigDecimal.ZERO;
        }
        List<Instant> bounds = new ArrayList<>();
        bounds.add((Instant) span[0]);
        bounds.addAll(plans.changesWithin((Instant) span[0], ((Instant) span[1]).plusNanos(1000)));
        bounds.add(((Instant) span[1]).plusNanos(1000));
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i + 1 < bounds.size(); i++) {
            if (!plans.pricesAt(bounds.get(i)).getId().equals(prices.getId())) {
                continue;
            }
            Object part = em.createNativeQuery("select coalesce(sum(quantity), 0)" + where
                            + " and window_start >= :a and window_start < :b")
                    .setParameter("from", from).setParameter("to", to).setParameter("project", projectId)
                    .setParameter("resource", resource.name()).setParameter("key", exceptKey)
                    .setParameter("a", bounds.get(i)).setParameter("b", bounds.get(i + 1)).getSingleResult();
            sum = sum.add((BigDecimal) part);
        }
        return sum;
    }

    /** How much a line of {@code recorded} device-seconds grows, rounded as invoiced, when {@code more} join it. */
    private static BigDecimal increase(BigDecimal recorded, BigDecimal more, Resource resource, PriceList prices) {
        BigDecimal unitPrice = prices.unitPrice(resource);
        return Rating.amount(recorded.add(more), resource, unitPrice, prices.getCurrency())
                .subtract(Rating.amount(recorded, resource, unitPrice, prices.getCurrency()));
    }

    private static BigDecimal exact(Resource resource, long seconds, PriceList prices) {
        return Rating.exact(BigDecimal.valueOf(seconds), resource, prices.unitPrice(resource));
    }

    static String duration(long seconds) {
        if (seconds < 90) {
            return seconds + " s";
        }
        if (seconds < 90 * 60) {
            return Math.round(seconds / 60.0) + " min";
        }
        return String.format("%.1f h", seconds / 3600.0);
    }
}
