package dev.runway.collaboration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.base.Happened;
import dev.runway.base.Happened.Kind;
import dev.runway.base.Happened.Subject;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.testing.Acting;
import dev.runway.testing.TenancyFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Signals travel through PostgreSQL: whoever notifies on whichever connection, every node's bus hears it. */
@QuarkusTest
class LiveBusTest {

    @Inject
    LiveBus bus;

    @Inject
    TenancyFixture tenancy;

    @Inject
    Event<Happened> happened;

    @Test
    void a_notify_from_another_connection_reaches_the_subscribers_of_its_company_only() throws Exception {
        BlockingQueue<LiveBus.Signal> mine = new LinkedBlockingQueue<>();
        BlockingQueue<LiveBus.Signal> others = new LinkedBlockingQueue<>();
        long tenant = 900_000_000L + (System.nanoTime() % 1000);
        try (LiveBus.Subscription a = bus.subscribe(tenant, mine::add);
                LiveBus.Subscription b = bus.subscribe(tenant + 1, others::add);
                Connection c = DriverManager.getConnection(
                        config("quarkus.datasource.jdbc.url"), config("quarkus.datasource.username"),
                        config("quarkus.datasource.password"));
                PreparedStatement s = c.prepareStatement("select pg_notify('runway_live', cast(? as text))")) {
            awaitListening();
            s.setString(1, "t=" + tenant + ";k=run.finished;p=12;a=34;r=5,6");
            long sent = System.nanoTime();
            s.execute();
            LiveBus.Signal signal = mine.poll(5, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - sent) / 1_000_000;
            System.out.printf("LiveBus: NOTIFY to subscriber in %d ms%n", millis);

            assertThat(signal).isNotNull();
            assertThat(signal.kind()).isEqualTo("run.finished");
            assertThat(signal.projectId()).isEqualTo(12L);
            assertThat(signal.activityId()).isEqualTo(34L);
            assertThat(signal.notifies(5)).isTrue();
            assertThat(signal.notifies(7)).isFalse();
            assertThat(millis).isLessThan(1000);
            assertThat(others.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void a_happening_is_signalled_when_its_transaction_commits_and_not_before() throws Exception {
        TenancyFixture.Company company = tenancy.company();
        Actor engineer = tenancy.member(company, Role.ENGINEER);
        BlockingQueue<LiveBus.Signal> signals = new LinkedBlockingQueue<>();
        awaitListening();
        try (LiveBus.Subscription s = bus.subscribe(company.owner().tenantId(), signals::add)) {
            Acting.as(new Actor(0, company.owner().tenantId()), () -> QuarkusTransaction.requiringNew().run(() -> {
                happened.fire(new Happened(company.owner().tenantId(), Kind.RUN_FAILED, null,
                        new Subject(Subject.Type.RUN, 1, "Run #1"), null, "Run #1 failed",
                        Set.of(engineer.userId()), Map.of()));
                try {
                    assertThat(signals.poll(300, TimeUnit.MILLISECONDS)).as("before commit").isNull();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            LiveBus.Signal signal = signals.poll(5, TimeUnit.SECONDS);
            assertThat(signal).isNotNull();
            assertThat(signal.kind()).isEqualTo("run.failed");
            assertThat(signal.notifies(engineer.userId())).isTrue();
            assertThat(signal.notifies(company.owner().userId())).isFalse();
            assertThat(signal.activityId()).isPositive();
        }
    }

    @Test
    void a_broken_listening_connection_reconnects_and_asks_its_subscribers_to_look_again() throws Exception {
        BlockingQueue<LiveBus.Signal> signals = new LinkedBlockingQueue<>();
        long tenant = 910_000_000L + (System.nanoTime() % 1000);
        awaitListening();
        try (LiveBus.Subscription s = bus.subscribe(tenant, signals::add);
                Connection c = DriverManager.getConnection(
                        config("quarkus.datasource.jdbc.url"), config("quarkus.datasource.username"),
                        config("quarkus.datasource.password"))) {
            // As if the database restarted or a proxy cut the connection (its last query may be the ping, not LISTEN).
            c.createStatement().execute("select pg_terminate_backend(pid) from pg_stat_activity "
                    + "where application_name = '" + LiveBus.APPLICATION_NAME + "' and pid <> pg_backend_pid()");
            LiveBus.Signal resync = signals.poll(10, TimeUnit.SECONDS);
            assertThat(resync).isNotNull();
            assertThat(resync.everyone()).isTrue();
            awaitListening();
            c.createStatement().execute("select pg_notify('runway_live', 't=" + tenant + ";k=run.started;p=;a=1;r=')");
            assertThat(signals.poll(5, TimeUnit.SECONDS)).isNotNull().extracting(LiveBus.Signal::kind)
                    .isEqualTo("run.started");
        }
    }

    @Test
    void a_payload_that_is_not_ours_is_ignored() {
        assertThat(LiveBus.Signal.parse("hello")).isEmpty();
        assertThat(LiveBus.Signal.parse("t=3;k=budget.threshold;p=;a=9;r=*")).hasValueSatisfying(s -> {
            assertThat(s.everyone()).isTrue();
            assertThat(s.notifies(42)).isTrue();
            assertThat(s.projectId()).isNull();
        });
    }

    private void awaitListening() throws InterruptedException {
        for (int i = 0; i < 100 && !bus.listening(); i++) {
            Thread.sleep(50);
        }
        assertThat(bus.listening()).as("the bus listens").isTrue();
    }

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }
}
