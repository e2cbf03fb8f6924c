package dev.runway.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.BadInputException;
import dev.runway.base.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure arithmetic behind the Budget page, with any "today". */
class RunwayMathTest {

    static final Currency USD = Currency.getInstance("USD");
    static final Currency JPY = Currency.getInstance("JPY");
    static final LocalDate TODAY = LocalDate.of(2026, 5, 14);

    static RunwayMath.Dated at(String date, String amount) {
        return new RunwayMath.Dated(LocalDate.parse(date), new BigDecimal(amount));
    }

    @Test
    void cash_counts_funding_and_spend_up_to_and_including_today_only() {
        List<RunwayMath.Dated> funding = List.of(at("2026-01-10", "10000.00"), at("2026-05-15", "5000.00"));
        List<RunwayMath.Dated> actuals = List.of(at("2026-02-01", "1200.50"), at("2026-05-14", "99.50"),
                at("2026-05-20", "1000.00"));

        assertThat(RunwayMath.cashOnHand(funding, actuals, TODAY, USD)).isEqualByComparingTo("8700.00")
                .hasScaleOf(2);
    }

    @Test
    void burn_averages_the_last_three_complete_months_and_ignores_the_current_one() {
        List<RunwayMath.Dated> actuals = List.of(at("2026-01-31", "5000.00"), at("2026-02-01", "900.00"),
                at("2026-03-15", "1200.00"), at("2026-04-30", "1500.00"), at("2026-05-02", "7000.00"));

        RunwayMath.Burn burn = RunwayMath.monthlyBurn(actuals, TODAY, YearMonth.of(2026, 1), USD);

        assertThat(burn.amount()).isEqualByComparingTo("1200.00").hasScaleOf(2);
        assertThat(burn.months()).containsExactly(YearMonth.of(2026, 2), YearMonth.of(2026, 3),
                YearMonth.of(2026, 4));
    }

    @Test
    void burn_leaves_out_months_before_the_first_record_and_is_zero_without_a_complete_month() {
        List<RunwayMath.Dated> actuals = List.of(at("2026-04-03", "3000.00"), at("2026-05-01", "10.00"));

        assertThat(RunwayMath.monthlyBurn(actuals, TODAY, YearMonth.of(2026, 4), USD).amount())
                .isEqualByComparingTo("3000.00");
        RunwayMath.Burn none = RunwayMath.monthlyBurn(actuals, TODAY, YearMonth.of(2026, 5), USD);
        assertThat(none.none()).isTrue();
        assertThat(none.months()).isEmpty();
    }

    @Test
    void burn_is_rounded_half_up_at_the_currency_scale() {
        List<RunwayMath.Dated> actuals = List.of(at("2026-02-01", "100.00"), at("2026-03-01", "100.00"),
                at("2026-04-01", "100.02"));
        assertThat(RunwayMath.monthlyBurn(actuals, TODAY, YearMonth.of(2026, 1), USD).amount())
                .isEqualTo(new BigDecimal("100.01"));
        List<RunwayMath.Dated> yen = List.of(at("2026-02-01", "100"), at("2026-03-01", "100"),
                at("2026-04-01", "101"));
        assertThat(RunwayMath.monthlyBurn(yen, TODAY, YearMonth.of(2026, 1), JPY).amount())
                .isEqualTo(new BigDecimal("100"));
    }

    @Test
    void runway_is_cash_over_burn_to_one_decimal_half_up_and_absent_without_burn() {
        assertThat(RunwayMath.runwayMonths(new BigDecimal("6400.00"), new BigDecimal("1200.00")))
                .contains(new BigDecimal("5.3"));
        assertThat(RunwayMath.runwayMonths(new BigDecimal("1250.00"), new BigDecimal("100.00")))
                .contains(new BigDecimal("12.5"));
        assertThat(RunwayMath.runwayMonths(new BigDecimal("125.00"), new BigDecimal("40.00")))
                .contains(new BigDecimal("3.1"));
        assertThat(RunwayMath.runwayMonths(new BigDecimal("-5.00"), new BigDecimal("40.00")))
                .contains(new BigDecimal("0.0"));
        assertThat(RunwayMath.runwayMonths(new BigDecimal("500.00"), new BigDecimal("0.00"))).isEmpty();
    }

    @Test
    void money_rounds_half_up_in_one_place_and_refuses_typed_extra_decimals() {
        assertThat(Money.round(new BigDecimal("2.345"), USD)).isEqualTo(new BigDecimal("2.35"));
        assertThat(Money.round(new BigDecimal("2.344"), USD)).isEqualTo(new BigDecimal("2.34"));
        assertThat(Money.round(new BigDecimal("0.125"), USD)).isEqualTo(new BigDecimal("0.13"));
        assertThat(Money.round(new BigDecimal("100.5"), JPY)).isEqualTo(new BigDecimal("101"));
        assertThat(Money.positive("amount", new BigDecimal("12.5"), USD)).isEqualTo(new BigDecimal("12.50"));
        assertThat(Money.positive("amount", new BigDecimal("12.500"), USD)).isEqualTo(new BigDecimal("12.50"));
        assertThatThrownBy(() -> Money.positive("amount", new BigDecimal("12.345"), USD))
                .isInstanceOf(BadInputException.class).hasMessage("USD amounts have at most 2 decimals");
        assertThatThrownBy(() -> Money.positive("amount", new BigDecimal("1.5"), JPY))
                .hasMessage("JPY amounts have no decimals");
        assertThat(Money.format(new BigDecimal("12345.6"), USD)).isEqualTo("12,345.60 USD");
    }

    @Test
    void the_series_gives_cash_and_runway_at_each_month_end() {
        List<RunwayMath.Dated> funding = List.of(at("2026-01-05", "10000.00"));
        List<RunwayMath.Dated> actuals = List.of(at("2026-01-20", "1000.00"), at("2026-02-20", "2000.00"),
                at("2026-03-20", "3000.00"), at("2026-04-20", "1000.00"));

        List<RunwayMath.RunwayPoint> series = RunwayMath.series(funding, actuals, YearMonth.of(2026, 1), TODAY, USD);

        assertThat(series).extracting(RunwayMath.RunwayPoint::month).containsExactly(YearMonth.of(2026, 1),
                YearMonth.of(2026, 2), YearMonth.of(2026, 3), YearMonth.of(2026, 4), YearMonth.of(2026, 5));
        assertThat(series.get(0).runwayMonths()).isNull();
        assertThat(series.get(1).cash()).isEqualByComparingTo("7000.00");
        assertThat(series.get(1).burn()).isEqualByComparingTo("1000.00");
        assertThat(series.get(1).runwayMonths()).isEqualByComparingTo("7.0");
        assertThat(series.get(4).cash()).isEqualByComparingTo("3000.00");
        assertThat(series.get(4).burn()).isEqualByComparingTo("2000.00");
        assertThat(series.get(4).runwayMonths()).isEqualByComparingTo("1.5");
    }

    @Test
    void plan_against_actual_lists_every_category() {
        List<RunwayMath.CategoryComparison> rows = RunwayMath.planVsActual(
                Map.of(SpendCategory.COMPUTE, new BigDecimal("500.00")),
                Map.of(SpendCategory.COMPUTE, new BigDecimal("620.00"), SpendCategory.PEOPLE, new BigDecimal("10")),
                USD);
        assertThat(rows).hasSize(SpendCategory.values().length);
        assertThat(rows.get(0).left()).isEqualTo(new BigDecimal("-120.00"));
        assertThat(rows.get(1).planned()).isEqualTo(new BigDecimal("0.00"));
        assertThat(rows.get(1).actual()).isEqualTo(new BigDecimal("10.00"));
    }
}
