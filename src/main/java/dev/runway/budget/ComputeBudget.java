package dev.runway.budget;

import dev.runway.base.ETag;
import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A monthly compute limit for the whole tenant (no project) or for one project, with alert thresholds in %. */
@Entity
@Table(name = "compute_budget")
@EntityListeners(TenantGuard.class)
public class ComputeBudget {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "project_id", updatable = false)
    private Long projectId;

    @Column(name = "monthly_limit", nullable = false, columnDefinition = "numeric")
    private BigDecimal monthlyLimit;

    /** Comma-separated percentages, ascending: small, and read whole every time. */
    @Column(nullable = false, length = 64)
    private String thresholds;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ComputeBudget() {}

    ComputeBudget(Long projectId, Instant now) {
        this.projectId = projectId;
        this.createdAt = now;
    }

    void change(BigDecimal monthlyLimit, List<Integer> thresholds, Instant now) {
        this.monthlyLimit = monthlyLimit;
        this.thresholds = thresholds.stream().map(String::valueOf).collect(Collectors.joining(","));
        this.updatedAt = now;
    }

    public Long getId() {
        return id;
    }

    /** Null for the tenant-wide budget. */
    public Long getProjectId() {
        return projectId;
    }

    public boolean isTenantWide() {
        return projectId == null;
    }

    public BigDecimal getMonthlyLimit() {
        return monthlyLimit;
    }

    /** The API's entity tag: its scope, limit (by value, not scale) and thresholds. */
    public String etag() {
        return ETag.of(id, projectId, monthlyLimit.stripTrailingZeros().toPlainString(), getThresholds());
    }

    public List<Integer> getThresholds() {
        return Arrays.stream(thresholds.split(",")).map(String::strip).map(Integer::valueOf).toList();
    }

    String summary() {
        return monthlyLimit.toPlainString() + " per month | alerts at " + thresholds.replace(",", "/") + " %";
    }
}
