package dev.runway.base;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;

/**
 * The one place where amounts get their scale: the currency's default fraction digits, rounded HALF_UP. People's
 * input with more decimals than the currency has is refused rather than rounded, so nothing typed changes silently.
 */
public final class Money {

    public static final String DEFAULT_CURRENCY = "USD";
    /** Far above any startup's books; it keeps a mistyped amount from overflowing sums. */
    public static final BigDecimal MAX = new BigDecimal("1000000000000");

    private Money() {}

    /** {@code value} at the scale of {@code currency}, rounded HALF_UP. */
    public static BigDecimal round(BigDecimal value, Currency currency) {
        return value.setScale(scale(currency), RoundingMode.HALF_UP);
    }

    /** One cent, or the currency's smallest unit. */
    public static BigDecimal smallest(Currency currency) {
        return BigDecimal.ONE.movePointLeft(scale(currency));
    }

    public static BigDecimal zero(Currency currency) {
        return BigDecimal.ZERO.setScale(scale(currency));
    }

    public static int scale(Currency currency) {
        return Math.max(0, currency.getDefaultFractionDigits());
    }

    /** A known ISO 4217 code, or a clear message at {@code field}. */
    public static Currency currency(String field, String code) {
        String trimmed = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
        if (trimmed.isEmpty()) {
            throw new BadInputException(field, "Choose a currency, e.g. USD or EUR");
        }
        try {
            Currency currency = Currency.getInstance(trimmed);
            if (currency.getDefaultFractionDigits() < 0) {
                throw new IllegalArgumentException("not a money currency");
            }
            return currency;
        } catch (IllegalArgumentException e) {
            throw new BadInputException(field, "“" + trimmed + "” is not a currency code; use an ISO 4217 code "
                    + "such as USD, EUR or GBP");
        }
    }

    /**
     * A positive amount typed by a person, at the currency's scale. Zero, negative, too many decimals or absurdly
     * large amounts are refused at {@code field}.
     */
    public static BigDecimal positive(String field, BigDecimal value, Currency currency) {
        if (value == null) {
            throw new BadInputException(field, "Enter an amount in " + currency.getCurrencyCode());
        }
        if (value.signum() <= 0) {
            throw new BadInputException(field, "Enter an amount above zero");
        }
        return exact(field, value, currency);
    }

    /** Like {@link #positive} but zero is allowed (it clears a plan line). */
    public static BigDecimal zeroOrMore(String field, BigDecimal value, Currency currency) {
        if (value == null || value.signum() == 0) {
            return zero(currency);
        }
        if (value.signum() < 0) {
            throw new BadInputException(field, "Enter zero or a positive amount");
        }
        return exact(field, value, currency);
    }

    private static BigDecimal exact(String field, BigDecimal value, Currency currency) {
        BigDecimal stripped = value.stripTrailingZeros();
        int scale = scale(currency);
        if (stripped.scale() > scale) {
            throw new BadInputException(field, scale == 0
                    ? currency.getCurrencyCode() + " amounts have no decimals"
                    : currency.getCurrencyCode() + " amounts have at most " + scale + " decimal"
                            + (scale == 1 ? "" : "s"));
        }
        if (value.compareTo(MAX) >= 0) {
            throw new BadInputException(field, "Enter an amount below " + MAX.toPlainString());
        }
        return value.setScale(scale, RoundingMode.UNNECESSARY);
    }

    /** For people: "12,345.60 USD". */
    public static String format(BigDecimal amount, Currency currency) {
        if (amount == null) {
            return "";
        }
        String pattern = "%,." + scale(currency) + "f %s";
        return String.format(Locale.ENGLISH, pattern, round(amount, currency), currency.getCurrencyCode());
    }
}
