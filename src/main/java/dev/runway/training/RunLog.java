package dev.runway.training;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A line of a run's log. */
@Entity
@Table(name = "run_log")
@EntityListeners(TenantGuard.class)
public class RunLog {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "run_id", nullable = false, updatable = false)
    private Long runId;

    @Column(name = "logged_at", nullable = false)
    private Instant loggedAt;

    @Column(nullable = false, length = 1000)
    private String line;

    protected RunLog() {}

    RunLog(Long runId, Instant loggedAt, String line) {
        this.runId = runId;
        this.loggedAt = loggedAt;
        this.line = line.length() > 1000 ? line.substring(0, 999) + "…" : line;
    }

    public Long getId() {
        return id;
    }

    public Instant getLoggedAt() {
        return loggedAt;
    }

    public String getLine() {
        return line;
    }
}
