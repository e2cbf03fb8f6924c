package dev.runway.billing;

import dev.runway.dataset.DatasetService;
import dev.runway.model.ModelService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Meters storage per project and day in GB-hours: each dataset version (its uploaded size) and each model version (its
 * artifact folder on disk) counts for the hours of the day it existed. One event per project and day, key
 * "storage:{day}:{project}", posted after the day ends.
 */
@ApplicationScoped
public class StorageMeter {

    static final BigDecimal BYTES_PER_GB = new BigDecimal(1_000_000_000L);

    @Inject
    UsageLedger ledger;

    @Inject
    DatasetService datasets;

    @Inject
    ModelService models;

    /** Posts {@code day}'s storage for the current tenant (once); returns the events that were new. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int meter(long tenantId, LocalDate day) {
        Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Map<Long, BigDecimal> gbHours = new HashMap<>();
        // The features that store files say what they hold; billing reads none of their tables.
        for (DatasetService.StoredVersion v : datasets.storedBefore(end)) {
            add(gbHours, v.projectId(), v.sizeBytes(), v.since(), start, end);
        }
        for (ModelService.StoredVersion v : models.storedBefore(end)) {
            add(gbHours, v.projectId(), v.bytes(), v.since(), start, end);
        }
        List<Usage> events = new ArrayList<>();
        gbHours.forEach((project, quantity) -> events.add(new Usage("storage:" + day + ":" + project,
                Resource.STORAGE, quantity.setScale(6, RoundingMode.HALF_UP), project, null, start, end)));
        return ledger.recordAll(tenantId, events);
    }

    private static void add(Map<Long, BigDecimal> gbHours, long project, long bytes, Instant since, Instant start,
            Instant end) {
        Instant from = since.isAfter(start) ? since : start;
        long seconds = Duration.between(from, end).toSeconds();
        if (seconds <= 0 || bytes <= 0) {
            return;
        }
        BigDecimal hours = BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 10, RoundingMode.HALF_UP);
        BigDecimal gb = BigDecimal.valueOf(bytes).divide(BYTES_PER_GB, 12, RoundingMode.HALF_UP);
        gbHours.merge(project, gb.multiply(hours), BigDecimal::add);
    }
}
