package dev.runway.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    Clock clock;

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
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        insert("gone-node", now.minus(Duration.ofMinutes(61)));
        insert("quiet-node", now.minus(Duration.ofMinutes(10)));
        try {
            heartbeat.beat();
            assertThat(row("gone-node")).as("silent for over an hour").isEmpty();
            assertThat(row("quiet-node")).as("another node, late but not gone").isPresent();
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("delete from executor_node where name in ('gone-node', 'quiet-node')");
            }
        }
        heartbeat.leave();
        assertThat(row(scheduler.nodeName())).isEmpty();
        heartbeat.beat();
        assertThat(row(scheduler.nodeName())).as("written again on the next beat").isPresent();
    }

    private void insert(String name, OffsetDateTime heartbeatAt) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into executor_node (name, role, pool, serves, slots, busy, gpus, executes, draining,
                                           started_at, heartbeat_at)
                values (?, 'worker', 'gpu', 'gpu', 1, 0, 1, true, false, ?, ?)""")) {
            s.setString(1, name);
            s.setObject(2, heartbeatAt);
            s.setObject(3, heartbeatAt);
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
