package dev.runway.testing;

import dev.runway.tenancy.Actor;
import dev.runway.tenancy.SignUpService;
import dev.runway.tenancy.TenantContext;
import dev.runway.tenancy.Totp;
import dev.runway.tenancy.TwoFactorService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The platform operator of the test profile ({@code %test.runway.operators}), signed up once per application, and
 * executor nodes and run executions written straight into their tables (as the nodes and db-scheduler write them).
 */
@ApplicationScoped
public class OperatorFixture {

    public static final String EMAIL = "operator@runway.test";

    @Inject
    TenancyFixture tenancy;

    @Inject
    TwoFactorService twoFactor;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    private Actor operator;
    private String secret;

    /**
     * The operator: a person who signed up a company of their own, like anyone else (which proves the email), and
     * turned two-factor sign-in on, as an operator must.
     */
    public synchronized Actor operator() {
        if (operator == null) {
            Actor actor = tenancy.signUp(new SignUpService.SignUp("Runway Operations " + TenancyFixture.unique(),
                    "ops-" + TenancyFixture.unique(), "Platform Operator", EMAIL));
            secret = twoFactorOn(actor);
            operator = actor;
        }
        return operator;
    }

    /** The operator's current two-factor code, for signing in. */
    public synchronized String code() {
        return Totp.code(secret, clock.instant());
    }

    /** Turns two-factor sign-in on for {@code actor}; returns the authenticator's secret. */
    public String twoFactorOn(Actor actor) {
        TwoFactorService.Enrolment enrolment = TenantContext.runAs(actor, twoFactor::begin);
        TenantContext.runAs(actor, () -> twoFactor.confirm(Totp.code(enrolment.secret(),
                clock.instant().minusSeconds(Totp.STEP_SECONDS))));
        return enrolment.secret();
    }

    public record NodeRow(String name, String role, String pool, String serves, int slots, int busy, int gpus,
            boolean executes, boolean draining, Instant startedAt, Instant heartbeatAt) {}

    /**
     * Writes the row with its times moved onto the database's clock (heartbeats are the database's time, and so are
     * their ages): {@code startedAt} and {@code heartbeatAt} keep their distance from {@link TestClock}'s now.
     */
    public void node(NodeRow n) {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into executor_node (name, role, pool, serves, slots, busy, gpus, executes, draining,
                                                   started_at, heartbeat_at)
                        values (:name, :role, :pool, :serves, :slots, :busy, :gpus, :executes, :draining,
                                now() - make_interval(secs => :started), now() - make_interval(secs => :beat))""")
                .setParameter("name", n.name()).setParameter("role", n.role()).setParameter("pool", n.pool())
                .setParameter("serves", n.serves()).setParameter("slots", n.slots()).setParameter("busy", n.busy())
                .setParameter("gpus", n.gpus()).setParameter("executes", n.executes())
                .setParameter("draining", n.draining())
                .setParameter("started", Duration.between(n.startedAt(), now).toMillis() / 1000.0)
                .setParameter("beat", Duration.between(n.heartbeatAt(), now).toMillis() / 1000.0).executeUpdate());
    }

    /**
     * How far tests move the {@link TestClock} (which the operator's view reads) before they write executions due
     * "now" on it. The test application's scheduler claims any execution due in real time, also of a pool it does not
     * serve (the first time it meets the task's name); to it these lie an hour ahead, so they stay queued.
     */
    public static final Duration AHEAD = Duration.ofHours(1);

    /** A run's execution in the queue of {@code pool} (task {@code run:<pool>}), picked by a node or not. */
    public void execution(String pool, String instance, Instant due, boolean picked) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into scheduled_tasks (task_name, task_instance, execution_time, picked, picked_by,
                                                     last_heartbeat, version)
                        values (:task, :instance, :due, :picked, case when :picked then 'test-node' end,
                                case when :picked then now() end, 1)""")
                .setParameter("task", "run:" + pool).setParameter("instance", instance).setParameter("due", due)
                .setParameter("picked", picked).executeUpdate());
    }

    /** Removes what a test wrote: the nodes named and the executions of the pools named. */
    public void clear(List<String> nodes, List<String> pools) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("delete from executor_node where name in (:names)").setParameter("names", nodes)
                    .executeUpdate();
            em.createNativeQuery("delete from scheduled_tasks where task_name in (:tasks)")
                    .setParameter("tasks", pools.stream().map(p -> "run:" + p).toList()).executeUpdate();
        });
    }
}
