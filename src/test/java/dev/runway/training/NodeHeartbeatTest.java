package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The write side of the node list: each node's own executor_node row. */
@QuarkusTest
class NodeHeartbeatTest {

    @Inject
    NodeHeartbeat heartbeat;

    @Inject
    RunScheduler scheduler;

    @Inject
    Drain drain;

    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    @Test
    void a_node_writes_its_row_at_start_and_on_each_beat_with_its_pools_slots_and_drain() throws Exception {
        Map<String, Object> row = row(scheduler.nodeName()).orElseThrow();
        assertThat(row).containsEntry("role", "web").containsEntry("pool", "cpu").containsEntry("serves", "cpu")
                .containsEntry("slots", scheduler.slots()).containsEntry("gpus", 0).containsEntry("executes", true)
                .containsEntry("draining", false);
        OffsetDateTime first = (OffsetDateTime) row.get("heartbeat_at");
        try {
            drain.start();
            heartbeat.beat();
            Map<String, Object> draining = row(scheduler.nodeName()).orElseThrow();
            assertThat(draining).containsEntry("draining", true);
            assertThat((OffsetDateTime) draining.get("heartbeat_at")).isAfterOrEqualTo(first);
            assertThat(draining.get("started_at")).isEqualTo(row.get("started_at"));
        } finally {
            drain.cancel();
        }
        heartbeat.beat();
        assertThat(row(scheduler.nodeName()).orElseThrow()).containsEntry("draining", false);
    }

    @Test
    void rows_silent_for_an_hour_are_deleted_and_a_clean_stop_deletes_the_nodes_own_row() throws Exception {
        insert("gone-node", Duration.ofMinutes(61));
        insert("quiet-node", Duration.ofMinutes(10));
        try {
            heartbeat.beat();
            assertThat(row("gone-node")).as("silent for over an hour").isEmpty();
            assertThat(row("quiet-node")).as("another node, late but not gone").isPresent();
        } finally {
            delete("gone-node", "quiet-node");
        }
        try {
            heartbeat.leave();
            assertThat(row(scheduler.nodeName())).isEmpty();
            heartbeat.beat();
            assertThat(row(scheduler.nodeName())).as("a late beat after the node left").isEmpty();
        } finally {
            heartbeat.join();
        }
        assertThat(row(scheduler.nodeName())).as("written again when the node starts again").isPresent();
    }

    @Test
    void heartbeats_are_the_databases_time_so_a_node_whose_clock_runs_ahead_deletes_no_other_nodes_row()
            throws Exception {
        clock.advance(Duration.ofHours(2));
        insert("quiet-node", Duration.ofMinutes(10));
        try {
            heartbeat.beat();
            assertThat(row("quiet-node")).as("ten minutes silent by the database's clock").isPresent();
            assertThat(ageSeconds(scheduler.nodeName())).as("this node's heartbeat, by the database's clock")
                    .isBetween(-1.0, 5.0);
        } finally {
            clock.reset();
            delete("quiet-node");
        }
    }

    @Test
    void a_node_restarted_under_the_same_name_shows_its_new_start() throws Exception {
        String name = scheduler.nodeName();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update executor_node set started_at = now() - interval '3 hours' where name = '"
                    + name.replace("'", "''") + "'");
        }
        heartbeat.beat();
        assertThat(startedSecondsAgo(name)).as("the same process beats: its start stays")
                .isGreaterThan(3 * 3600 - 60);

        heartbeat.join();
        assertThat(startedSecondsAgo(name)).as("a new process of the same name").isLessThan(60);
    }

    private double ageSeconds(String name) throws Exception {
        return seconds("select extract(epoch from now() - heartbeat_at) from executor_node where name = ?", name);
    }

    private double startedSecondsAgo(String name) throws Exception {
        return seconds("select extract(epoch from now() - started_at) from executor_node where name = ?", name);
    }

    private double seconds(String sql, String name) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getDouble(1);
            }
        }
    }

    /** Another node's row, its heartbeat {@code silent} ago by the database's clock. */
    private void insert(String name, Duration silent) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into executor_node (name, role, pool, serves, slots, busy, gpus, executes, draining,
                                           started_at, heartbeat_at)
                values (?, 'worker', 'gpu', 'gpu', 1, 0, 1, true, false, now() - make_interval(secs => ?),
                        now() - make_interval(secs => ?))""")) {
            s.setString(1, name);
            s.setLong(2, silent.toSeconds());
            s.setLong(3, silent.toSeconds());
            s.executeUpdate();
        }
    }

    private void delete(String... names) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "delete from executor_node where name = any (?)")) {
            s.setArray(1, c.createArrayOf("varchar", names));
            s.executeUpdate();
        }
    }

    private Optional<Map<String, Object>> row(String name) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select * from executor_node where name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    String column = r.getMetaData().getColumnName(i);
                    row.put(column, column.endsWith("_at") ? r.getObject(i, OffsetDateTime.class) : r.getObject(i));
                }
                return Optional.of(row);
            }
        }
    }
}
