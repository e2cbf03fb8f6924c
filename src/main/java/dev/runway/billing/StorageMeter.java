package dev.runway.billing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Meters storage per project and day in GB-hours: each dataset version (its uploaded size) and each model version (its
 * artifact folder on disk) counts for the hours of the day it existed. One event per project and day, key
 * "storage:{day}:{project}", posted after the day ends.
 */
@ApplicationScoped
public class StorageMeter {

    static final BigDecimal BYTES_PER_GB = new BigDecimal(1_000_000_000L);

    @Inject
    EntityManager em;

    @Inject
    UsageLedger ledger;

    @ConfigProperty(name = "runway.storage.root")
    Path storageRoot;

    /** Posts {@code day}'s storage for the current tenant (once); returns the events that were new. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int meter(long tenantId, LocalDate day) {
        Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Map<Long, BigDecimal> gbHours = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> datasets = em.createNativeQuery("""
                        select d.project_id, v.size_bytes, v.uploaded_at from dataset_version v
                        join dataset d on d.id = v.dataset_id where v.uploaded_at < :end""")
                .setParameter("end", end).getResultList();
        for (Object[] row : datasets) {
            add(gbHours, ((Number) row[0]).longValue(), ((Number) row[1]).longValue(), (Instant) row[2], start, end);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> models = em.createNativeQuery("select project_id, artifact_dir, created_at "
                + "from model_version where created_at < :end").setParameter("end", end).getResultList();
        for (Object[] row : models) {
            add(gbHours, ((Number) row[0]).longValue(), size(Path.of((String) row[1])), (Instant) row[2], start,
                    end);
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

    private long size(Path dir) {
        Path path = dir.isAbsolute() ? dir : storageRoot.resolve(dir);
        if (!Files.isDirectory(path)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
