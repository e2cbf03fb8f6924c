package dev.runway.billing;

import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import org.hibernate.Session;

/**
 * The append-only usage ledger of the current tenant. An event whose idempotency key is already there is ignored, so
 * replays and concurrent posts count once (a unique key does it, not a read before the write). Corrections are
 * reversing entries; the table refuses updates and deletes. Callers own the permission check: executors post as the
 * run's tenant, the storage meter as each tenant in turn.
 */
@ApplicationScoped
public class UsageLedger {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    MeterRegistry registry;

    /** Posts {@code usage} once; false when its key was already in the ledger. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(long tenantId, Usage usage) {
        return recordAll(tenantId, List.of(usage)) == 1;
    }

    /** Posts a batch in one statement (sorted by key); returns how many were new. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int recordAll(long tenantId, List<Usage> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        // Keys in one order in every batch: concurrent replays in other orders wait for each other, never deadlock.
        List<Usage> sorted = batch.stream().sorted(Comparator.comparing(Usage::key)).toList();
        int n = sorted.size();
        String[] keys = new String[n];
        String[] resources = new String[n];
        BigDecimal[] quantities = new BigDecimal[n];
        Long[] projects = new Long[n];
        Long[] runs = new Long[n];
        Timestamp[] froms = new Timestamp[n];
        Timestamp[] tos = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            Usage u = sorted.get(i);
            keys[i] = u.key();
            resources[i] = u.resource().name();
            quantities[i] = u.quantity();
            projects[i] = u.projectId();
            runs[i] = u.runId();
            froms[i] = Timestamp.from(u.from());
            tos[i] = Timestamp.from(u.to());
        }
        Timestamp now = Timestamp.from(clock.instant());
        int posted = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into usage_event (tenant_id, idempotency_key, resource, quantity, project_id, run_id,
                                             window_start, window_end, recorded_at)
                    select ?, k, r, q, p, run, f, t, ?
                    from unnest(?::varchar[], ?::varchar[], ?::numeric[], ?::bigint[], ?::bigint[],
                                ?::timestamptz[], ?::timestamptz[]) as u(k, r, q, p, run, f, t)
                    on conflict (tenant_id, idempotency_key) do nothing""")) {
                insert.setLong(1, tenantId);
                insert.setTimestamp(2, now);
                insert.setArray(3, array(connection, "varchar", keys));
                insert.setArray(4, array(connection, "varchar", resources));
                insert.setArray(5, array(connection, "numeric", quantities));
                insert.setArray(6, array(connection, "bigint", projects));
                insert.setArray(7, array(connection, "bigint", runs));
                insert.setArray(8, array(connection, "timestamptz", froms));
                insert.setArray(9, array(connection, "timestamptz", tos));
                return insert.executeUpdate();
            }
        });
        countAfterCommit(posted);
        return posted;
    }

    /** The Prometheus counter of posted usage events moves once the posting transaction commits (no tenant label). */
    private void countAfterCommit(int posted) {
        if (posted == 0) {
            return;
        }
        Counter counter = Counter.builder("runway.usage.events.posted")
                .description("Usage events posted to the ledger (committed, replays not counted)")
                .register(registry);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    counter.increment(posted);
                }
            }
        });
    }

    /** Posts the reversal of event {@code eventId} (once: its key is derived from the event's). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean reverse(long eventId, String note) {
        @SuppressWarnings("unchecked")
        List<Object> reverses = em.createNativeQuery("select reverses_id from usage_event where id = :id")
                .setParameter("id", eventId).getResultList();
        if (reverses.isEmpty()) {
            throw new NotFoundException("Usage event");
        }
        if (reverses.get(0) != null) {
            throw new BadInputException(null, "A reversal cannot itself be reversed");
        }
        return em.createNativeQuery("""
                        insert into usage_event (tenant_id, idempotency_key, resource, quantity, project_id, run_id,
                                                 window_start, window_end, reverses_id, note, recorded_at)
                        select tenant_id, 'reversal:' || idempotency_key, resource, -quantity, project_id, run_id,
                               window_start, window_end, id, :note, :now
                        from usage_event where id = :id
                        on conflict (tenant_id, idempotency_key) do nothing""")
                .setParameter("id", eventId).setParameter("note", note).setParameter("now", clock.instant())
                .executeUpdate() == 1;
    }

    private static Array array(Connection connection, String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }
}
