package dev.runway.billing;

import de.siegmar.fastcsv.writer.CsvWriter;
import dev.runway.base.Csv;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/** Usage of the current tenant for people and programs: by day, and the ledger itself as CSV. */
@ApplicationScoped
public class UsageService {

    /** One day's use of one resource, in its priced unit (hours, GB-months). */
    public record DailyUsage(LocalDate day, Resource resource, BigDecimal quantity) {}

    /** One ledger entry as exported. */
    public record Entry(long id, String key, Resource resource, BigDecimal quantity, Long projectId, Long runId,
            Instant windowStart, Instant windowEnd, Long reversesId, Instant recordedAt) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    /** Use recorded in {@code month}, by day of its window's start and resource. */
    @Transactional
    public List<DailyUsage> daily(YearMonth month) {
        access.require(Permission.READ_BILLING);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select (window_start at time zone 'UTC')::date, resource, sum(quantity) from usage_event
                        where recorded_at >= :from and recorded_at < :to group by 1, 2 order by 1, 2""")
                .setParameter("from", start(month)).setParameter("to", start(month.plusMonths(1)))
                .getResultList();
        return rows.stream().map(r -> {
            Resource resource = Resource.valueOf((String) r[1]);
            return new DailyUsage(localDate(r[0]), resource,
                    ((BigDecimal) r[2]).divide(resource.perUnit(), Rating.QUANTITY_SCALE, RoundingMode.HALF_UP));
        }).toList();
    }

    /** The ledger entries recorded from {@code from} (inclusive) to {@code to} (exclusive), oldest first. */
    @Transactional
    public List<Entry> entries(Instant from, Instant to, int limit) {
        access.require(Permission.READ_BILLING);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select id, idempotency_key, resource, quantity, project_id, run_id, window_start, window_end,
                               reverses_id, recorded_at
                        from usage_event where recorded_at >= :from and recorded_at < :to order by id""")
                .setParameter("from", from).setParameter("to", to).setMaxResults(limit).getResultList();
        return rows.stream().map(r -> new Entry(((Number) r[0]).longValue(), (String) r[1],
                Resource.valueOf((String) r[2]), (BigDecimal) r[3], asLong(r[4]), asLong(r[5]), (Instant) r[6],
                (Instant) r[7], asLong(r[8]), (Instant) r[9])).toList();
    }

    /** The month's ledger as CSV (quantities as recorded: device-seconds, GB-hours). */
    @Transactional
    public String exportCsv(YearMonth month) {
        List<Entry> entries = entries(start(month), start(month.plusMonths(1)), Integer.MAX_VALUE);
        StringWriter out = new StringWriter();
        try (CsvWriter csv = CsvWriter.builder().build(out)) {
            csv.writeRecord("id", "key", "resource", "quantity", "unit", "project_id", "run_id", "window_start",
                    "window_end", "reverses_id", "recorded_at");
            for (Entry e : entries) {
                csv.writeRecord(Long.toString(e.id()), Csv.text(e.key()), e.resource().name(),
                        e.quantity().toPlainString(), e.resource() == Resource.STORAGE ? "GB-hour" : "device-second",
                        text(e.projectId()), text(e.runId()), e.windowStart().toString(), e.windowEnd().toString(),
                        text(e.reversesId()), e.recordedAt().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** A native query's date column: Hibernate 7 answers LocalDate, JDBC java.sql.Date. */
    static LocalDate localDate(Object value) {
        return value instanceof LocalDate d ? d : ((java.sql.Date) value).toLocalDate();
    }

    private static Long asLong(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static String text(Long value) {
        return value == null ? "" : value.toString();
    }
}
