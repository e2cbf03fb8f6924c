package dev.runway.training;

import dev.runway.tenancy.Operators;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform operator's read-only view of the whole installation: the executor nodes, the queue by pool and every
 * company. Only platform operators ({@code runway.operators}) may read it. Nodes and the queue come from tables
 * without tenants ({@code executor_node}, db-scheduler's {@code scheduled_tasks}); the companies span tenants, which
 * the application role cannot read, and come from the one function {@code operator_companies} (V21,
 * docs/tenancy.md).
 */
@ApplicationScoped
public class Cluster {

    /** A node whose last heartbeat is older than this many heartbeat intervals is taken for gone. */
    static final int GONE_AFTER_HEARTBEATS = 3;

    /**
     * One executor node as it last reported itself.
     *
     * @param serves the pools whose runs it claims
     * @param gone its heartbeat stopped: it died or lost the database, and its runs go back to the queue
     */
    public record Node(String name, String role, String pool, List<String> serves, int slots, int busy, int gpus,
            boolean executes, boolean draining, Instant startedAt, Instant heartbeatAt, Duration heartbeatAge,
            boolean gone) {}

    /**
     * The runs of one pool: waiting (not claimed yet) and running (claimed by a node), and the executor capacity
     * that serves it now.
     *
     * @param oldestQueued how long the longest-waiting run has been due, or null when none waits
     * @param nodes live nodes that claim this pool's runs (not gone, not draining)
     */
    public record PoolQueue(String pool, long queued, long running, Duration oldestQueued, int nodes, int slots,
            int busy) {

        /** Runs wait and no live node takes them: they wait until one comes. */
        public boolean stranded() {
            return queued > 0 && nodes == 0;
        }
    }

    /**
     * One company: its plan now (its name, "Team"), what it used this month (as its draft invoice rates it), its runs
     * and members.
     */
    public record Company(long tenantId, String name, String plan, Currency currency, BigDecimal usageThisMonth,
            long runningRuns, long queuedRuns, long members) {}

    /** The parts read in one transaction, at one moment; {@code companies} is empty when they were not asked for. */
    public record Snapshot(Instant at, List<Node> nodes, List<PoolQueue> queue, List<Company> companies) {}

    @Inject
    EntityManager em;

    @Inject
    Operators operators;

    @Inject
    Clock clock;

    @ConfigProperty(name = "runway.executor.node-heartbeat", defaultValue = "5s")
    Duration heartbeat;

    @Transactional
    public Snapshot snapshot() {
        return snapshot(true);
    }

    /**
     * Nodes and the queue, and the companies only {@code withCompanies}: they take the most reading (every company's
     * usage this month: 0.23 s for 1,000 companies with 100,000 usage events, docs/deploy.md) and change slowest.
     */
    @Transactional
    public Snapshot snapshot(boolean withCompanies) {
        operators.require();
        Instant now = clock.instant();
        List<Node> nodes = readNodes();
        return new Snapshot(now, nodes, readQueue(now, nodes), withCompanies ? readCompanies(now) : List.of());
    }

    @Transactional
    public List<Node> nodes() {
        operators.require();
        return readNodes();
    }

    @Transactional
    public List<PoolQueue> queue() {
        operators.require();
        Instant now = clock.instant();
        return readQueue(now, readNodes());
    }

    @Transactional
    public List<Company> companies() {
        operators.require();
        return readCompanies(clock.instant());
    }

    /** How old a heartbeat may be before its node counts as gone. */
    public Duration goneAfter() {
        return heartbeat.multipliedBy(GONE_AFTER_HEARTBEATS);
    }

    /**
     * Heartbeats are the database's time (NodeHeartbeat), and so is their age: a node whose clock is off is neither
     * shown as gone nor makes others look gone.
     */
    private List<Node> readNodes() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select name, role, pool, serves, slots, busy, gpus, executes, draining, started_at,
                               heartbeat_at, extract(epoch from now() - heartbeat_at)
                        from executor_node order by role desc, pool, name""").getResultList();
        Duration goneAfter = goneAfter();
        return rows.stream().map(r -> {
            Instant beat = (Instant) r[10];
            Duration age = Duration.ofMillis(Math.round(((Number) r[11]).doubleValue() * 1000));
            return new Node((String) r[0], (String) r[1], (String) r[2], pools((String) r[3]), number(r[4]),
                    number(r[5]), number(r[6]), (Boolean) r[7], (Boolean) r[8], (Instant) r[9], beat,
                    age.isNegative() ? Duration.ZERO : age, age.compareTo(goneAfter) > 0);
        }).toList();
    }

    private List<PoolQueue> readQueue(Instant now, List<Node> nodes) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select substr(task_name, 5), count(*) filter (where not picked), count(*) filter (where picked),
                               min(execution_time) filter (where not picked)
                        from scheduled_tasks where task_name like 'run:%' group by task_name""").getResultList();
        Map<String, PoolQueue> pools = new TreeMap<>();
        for (Object[] r : rows) {
            Instant oldest = (Instant) r[3];
            Duration waited = oldest == null ? null : Duration.between(oldest, now);
            pools.put((String) r[0], new PoolQueue((String) r[0], ((Number) r[1]).longValue(),
                    ((Number) r[2]).longValue(), waited == null || !waited.isNegative() ? waited : Duration.ZERO,
                    0, 0, 0));
        }
        // Every pool a node serves is listed, also with nothing queued; capacity counts the live nodes only.
        for (Node node : nodes) {
            for (String pool : node.serves()) {
                PoolQueue q = pools.getOrDefault(pool, new PoolQueue(pool, 0, 0, null, 0, 0, 0));
                boolean live = node.executes() && !node.gone() && !node.draining();
                pools.put(pool, live ? new PoolQueue(pool, q.queued(), q.running(), q.oldestQueued(), q.nodes() + 1,
                        q.slots() + node.slots(), q.busy() + node.busy()) : q);
            }
        }
        return pools.values().stream().sorted(Comparator.comparing(PoolQueue::pool)).toList();
    }

    private List<Company> readCompanies(Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select tenant_id, name::text, plan::text, currency::text, usage_this_month, running_runs,
                               queued_runs, members
                        from operator_companies(:at)""").setParameter("at", now).getResultList();
        return rows.stream().map(r -> new Company(((Number) r[0]).longValue(), (String) r[1],
                planName((String) r[2]), Currency.getInstance((String) r[3]), (BigDecimal) r[4],
                ((Number) r[5]).longValue(), ((Number) r[6]).longValue(), ((Number) r[7]).longValue())).toList();
    }

    /** "TEAM" → "Team": the plan as billing names it, without training depending on billing's types. */
    static String planName(String code) {
        return code.isEmpty() ? code : code.charAt(0) + code.substring(1).toLowerCase(Locale.ROOT);
    }

    /** {@code serves} as the node wrote it: pool names separated by commas (or spaces). */
    static List<String> pools(String serves) {
        return serves == null ? List.of() : Arrays.stream(serves.split("[,\\s]+")).map(String::strip)
                .filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static int number(Object value) {
        return ((Number) value).intValue();
    }
}
