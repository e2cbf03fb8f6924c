package dev.runway.budget;

import dev.runway.base.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of the Budget page as pure functions of recorded amounts and a date, so that they can be checked with
 * any "today". Money results go through {@link Money#round}; runway months are rounded HALF_UP to one decimal.
 */
public final class RunwayMath {

    /** How many complete calendar months the burn rate averages. */
    public static final int BURN_MONTHS = 3;

    /** An amount on a date: a funding receipt or an actual spend. */
    public record Dated(LocalDate date, BigDecimal amount) {}

    /** The average monthly spend and the complete months it was taken over (0 months: no burn yet). */
    public record Burn(BigDecimal amount, List<YearMonth> months) {
        public boolean none() {
            return amount.signum() == 0;
        }
    }

    /** One month of the chart: cash at its end (or today), the burn then, and the runway that gave. */
    public record RunwayPoint(YearMonth month, BigDecimal cash, BigDecimal burn, BigDecimal runwayMonths) {}

    /** Plan against actual spend for one category in one month; {@code left} is planned minus actual. */
    public record CategoryComparison(SpendCategory category, BigDecimal planned, BigDecimal actual, BigDecimal left) {}

    private RunwayMath() {}

    /** Funding received up to and including {@code asOf}, minus actual spend up to and including {@code asOf}. */
    public static BigDecimal cashOnHand(Collection<Dated> funding, Collection<Dated> actuals, LocalDate asOf,
            Currency currency) {
        return Money.round(sumUpTo(funding, asOf).subtract(sumUpTo(actuals, asOf)), currency);
    }

    /**
     * The average of the last {@value #BURN_MONTHS} complete calendar months' actual spend before {@code asOf}'s
     * month. Months before {@code firstRecorded} (the month of the tenant's first funding or spend) are left out
     * of the average, so that a company two months old is not credited with a third month it did not exist.
     */
    public static Burn monthlyBurn(Collection<Dated> actuals, LocalDate asOf, YearMonth firstRecorded,
            Currency currency) {
        YearMonth current = YearMonth.from(asOf);
        List<YearMonth> months = new ArrayList<>();
        for (int back = BURN_MONTHS; back >= 1; back--) {
            YearMonth month = current.minusMonths(back);
            if (firstRecorded != null && !month.isBefore(firstRecorded)) {
                months.add(month);
            }
        }
        if (months.isEmpty()) {
            return new Burn(Money.zero(currency), List.of());
        }
        BigDecimal total = actuals.stream()
                .filter(a -> months.contains(YearMonth.from(a.date())))
                .map(Dated::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal average = total.divide(BigDecimal.valueOf(months.size()), MathContext.DECIMAL64);
        return new Burn(Money.round(average, currency), List.copyOf(months));
    }

    /** Months of cash at {@code burn}, one decimal HALF_UP; empty when there is no burn yet; 0.0 when cash is gone. */
    public static Optional<BigDecimal> runwayMonths(BigDecimal cash, BigDecimal burn) {
        if (burn.signum() <= 0) {
            return Optional.empty();
        }
        if (cash.signum() <= 0) {
            return Optional.of(BigDecimal.ZERO.setScale(1));
        }
        return Optional.of(cash.divide(burn, 1, RoundingMode.HALF_UP));
    }

    /**
     * Month by month from {@code from} to {@code today}'s month: cash at each month's end (today for the current
     * month), the burn as it stood then and the runway it gave (null while there was no burn).
     */
    public static List<RunwayPoint> series(Collection<Dated> funding, Collection<Dated> actuals, YearMonth from,
            LocalDate today, Currency currency) {
        List<RunwayPoint> points = new ArrayList<>();
        YearMonth last = YearMonth.from(today);
        for (YearMonth month = from; !month.isAfter(last); month = month.plusMonths(1)) {
            LocalDate asOf = month.equals(last) ? today : month.atEndOfMonth();
            BigDecimal cash = cashOnHand(funding, actuals, asOf, currency);
            Burn burn = monthlyBurn(actuals, asOf, from, currency);
            points.add(new RunwayPoint(month, cash, burn.amount(), runwayMonths(cash, burn.amount()).orElse(null)));
        }
        return points;
    }

    /** Every category, planned against actual for {@code month}; categories with neither show zeros. */
    public static List<CategoryComparison> planVsActual(Map<SpendCategory, BigDecimal> planned,
            Map<SpendCategory, BigDecimal> actual, Currency currency) {
        Map<SpendCategory, BigDecimal> p = new EnumMap<>(SpendCategory.class);
        p.putAll(planned);
        List<CategoryComparison> rows = new ArrayList<>();
        for (SpendCategory category : SpendCategory.values()) {
            BigDecimal plan = Money.round(p.getOrDefault(category, BigDecimal.ZERO), currency);
            BigDecimal spent = Money.round(actual.getOrDefault(category, BigDecimal.ZERO), currency);
            rows.add(new CategoryComparison(category, plan, spent, plan.subtract(spent)));
        }
        return rows;
    }

    /** The totals row under plan against actual: every category's sums ({@code category} null). */
    public static CategoryComparison total(List<CategoryComparison> rows) {
        BigDecimal planned = BigDecimal.ZERO;
        BigDecimal actual = BigDecimal.ZERO;
        for (CategoryComparison row : rows) {
            planned = planned.add(row.planned());
            actual = actual.add(row.actual());
        }
        return new CategoryComparison(null, planned, actual, planned.subtract(actual));
    }

    private static BigDecimal sumUpTo(Collection<Dated> items, LocalDate asOf) {
        return items.stream().filter(i -> !i.date().isAfter(asOf)).map(Dated::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
