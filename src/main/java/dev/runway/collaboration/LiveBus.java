package dev.runway.collaboration;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Live signals on every node: one dedicated connection per node LISTENs on the channel that {@link ActivityRecorder}
 * notifies in each change's transaction, so PostgreSQL hands each committed happening to every console node, this
 * one included, whichever node or worker made it. Signals go to the subscribers of their company (the pages open on
 * this node), which read what changed from the database; a signal is a hint, never the data.
 * <p>
 * The connection is outside the pool (a LISTEN lives as long as its session). When it breaks, the bus reconnects
 * with backoff and then tells every subscriber to look again, since signals sent meanwhile were lost.
 */
@ApplicationScoped
public class LiveBus {

    private static final Logger LOG = Logger.getLogger(LiveBus.class);
    private static final int WAIT_MILLIS = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /**
     * Waiting for notifications sends nothing to the server, so a half-open connection (a failover, a NAT that forgot
     * it) would go unnoticed; a query this often finds out, and the bus reconnects.
     */
    private static final long PING_EVERY_NANOS = Duration.ofSeconds(15).toNanos();

    /**
     * One committed happening: {@code recipients} are the members notified of it in the console; {@code everyone}
     * asks every subscriber of the company to look again (a long recipient list, or a reconnect).
     */
    public record Signal(long tenantId, String kind, Long projectId, long activityId, Set<Long> recipients,
            boolean everyone) {

        /** Whether member {@code userId}'s notifications may have changed. */
        public boolean notifies(long userId) {
            return everyone || recipients.contains(userId);
        }

        static Optional<Signal> parse(String payload) {
            try {
                Map<String, String> parts = Arrays.stream(payload.split(";")).map(p -> p.split("=", 2))
                        .collect(Collectors.toMap(p -> p[0], p -> p.length > 1 ? p[1] : ""));
                String r = parts.getOrDefault("r", "");
                Set<Long> recipients = r.isEmpty() || r.equals("*") ? Set.of()
                        : Arrays.stream(r.split(",")).map(Long::valueOf).collect(Collectors.toUnmodifiableSet());
                String p = parts.getOrDefault("p", "");
                return Optional.of(new Signal(Long.parseLong(parts.get("t")), parts.getOrDefault("k", ""),
                        p.isEmpty() ? null : Long.valueOf(p), Long.parseLong(parts.getOrDefault("a", "0")),
                        recipients, r.equals("*")));
            } catch (RuntimeException e) {
                LOG.debugf("Ignored a live signal that is not ours: %s", payload);
                return Optional.empty();
            }
        }
    }

    /** A page's interest in one company's signals. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> url;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private final Map<Long, Set<Consumer<Signal>>> subscribers = new ConcurrentHashMap<>();
    /**
     * Listeners run here, not on the listening thread: a page's refresh reads the database (and unlocking a session
     * runs whatever else was queued for it), so one slow page must not hold up the signals of every other company.
     */
    private final ExecutorService handOff = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "live-bus-listener");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;
    private volatile boolean listening;
    private volatile Connection connection;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        if (url.isEmpty()) {
            LOG.warn("No database URL: live updates from other nodes are off");
            return;
        }
        running = true;
        thread = new Thread(this::listen, "live-bus");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            closeQuietly();
        }
        handOff.shutdownNow();
    }

    /** Hands {@code listener} each signal of {@code tenantId}, on one of the bus' listener threads. */
    public Subscription subscribe(long tenantId, Consumer<Signal> listener) {
        subscribers.computeIfAbsent(tenantId, t -> new CopyOnWriteArraySet<>()).add(listener);
        return () -> subscribers.computeIfPresent(tenantId, (t, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether this node's LISTEN connection is up (for health checks and tests). */
    public boolean listening() {
        return listening;
    }

    static final String APPLICATION_NAME = "runway-live";

    private void listen() {
        long backoff = 250;
        boolean reconnected = false;
        while (running) {
            try {
                connection = DriverManager.getConnection(url.get(), username.orElse(null), password.orElse(null));
                // Named, so that pg_stat_activity tells this node's LISTEN connection from the pool's.
                connection.setClientInfo("ApplicationName", APPLICATION_NAME);
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + ActivityRecorder.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                listening = true;
                backoff = 250;
                if (reconnected) {
                    LOG.info("Live updates: listening again");
                    subscribers.keySet().forEach(t -> dispatch(new Signal(t, "", null, 0, Set.of(), true)));
                }
                long pinged = System.nanoTime();
                while (running) {
                    if (System.nanoTime() - pinged > PING_EVERY_NANOS) {
                        try (Statement s = connection.createStatement()) {
                            s.execute("select 1");
                        }
                        pinged = System.nanoTime();
                    }
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            Signal.parse(n.getParameter()).ifPresent(this::dispatch);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warnf("Live updates: the listening connection failed (%s); reconnecting in %d ms",
                        e.getMessage(), backoff);
            } finally {
                listening = false;
                closeQuietly();
            }
            reconnected = true;
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
        }
    }

    private void dispatch(Signal signal) {
        Set<Consumer<Signal>> listeners = subscribers.get(signal.tenantId());
        if (listeners == null) {
            return;
        }
        for (Consumer<Signal> listener : listeners) {
            handOff.execute(() -> {
                try {
                    listener.accept(signal);
                } catch (RuntimeException e) {
                    LOG.debugf("A live listener failed: %s", e.getMessage());
                }
            });
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debugf("Closing the listening connection: %s", e.getMessage());
            }
        }
    }
}
