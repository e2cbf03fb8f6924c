package dev.runway.billing;

import dev.runway.base.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns metered quantities into invoice lines. One line per project, resource and price version; its amount is
 * quantity × unit price rounded HALF_UP to the currency's scale, once per line (the one rounding rule), and the
 * invoice's subtotal is the sum of its lines.
 */
final class Rating {

    /** Metered {@code recorded} (device-seconds or GB-hours) of one project and resource, rated by {@code prices}. */
    record Bucket(Long projectId, Resource resource, PriceList prices, BigDecimal recorded) {}

    /** An invoice line before it is stored; {@code quantity} is in the resource's priced unit. */
    record Line(Long projectId, String description, Resource resource, BigDecimal quantity, BigDecimal unitPrice,
            BigDecimal amount, int priceVersion) {}

    static final int QUANTITY_SCALE = 6;

    private Rating() {}

    static List<Line> lines(List<Bucket> buckets, Map<Long, String> projectNames, Currency currency) {
        record Key(Long projectId, Resource resource, long priceListId) {}
        Map<Key, Bucket> merged = new LinkedHashMap<>();
        for (Bucket b : buckets) {
            merged.merge(new Key(b.projectId(), b.resource(), b.prices().getId()), b,
                    (x, y) -> new Bucket(x.projectId(), x.resource(), x.prices(), x.recorded().add(y.recorded())));
        }
        List<Line> lines = new ArrayList<>();
        for (Bucket b : merged.values()) {
            if (b.recorded().signum() == 0) {
                continue;
            }
            BigDecimal unitPrice = b.prices().unitPrice(b.resource());
            String project = b.projectId() == null ? "Company" : projectNames.getOrDefault(b.projectId(),
                    "Project " + b.projectId());
            String description = b.resource().label() + " · " + project + " · " + b.prices().getPlan().label()
                    + " plan";
            lines.add(new Line(b.projectId(), description, b.resource(),
                    b.recorded().divide(b.resource().perUnit(), QUANTITY_SCALE, RoundingMode.HALF_UP), unitPrice,
                    amount(b.recorded(), b.resource(), unitPrice, currency), b.prices().getVersion()));
        }
        lines.sort(Comparator.comparing(Line::description).thenComparing(Line::priceVersion));
        return lines;
    }

    /** {@code recorded} × unit price, HALF_UP at the currency's scale. */
    static BigDecimal amount(BigDecimal recorded, Resource resource, BigDecimal unitPrice, Currency currency) {
        return Money.round(exact(recorded, resource, unitPrice), currency);
    }

    /** The unrounded cost, for running sums that are rounded once at the end. */
    static BigDecimal exact(BigDecimal recorded, Resource resource, BigDecimal unitPrice) {
        return recorded.multiply(unitPrice).divide(resource.perUnit(), 10, RoundingMode.HALF_UP);
    }

    static BigDecimal sum(List<Line> lines) {
        return lines.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
