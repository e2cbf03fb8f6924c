package dev.runway.billing;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** From {@code effectiveFrom} on, the tenant is on {@code plan} (until a later row takes over). */
@Entity
@Table(name = "tenant_plan")
@EntityListeners(TenantGuard.class)
public class TenantPlan {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false, length = 16)
    private Plan plan;

    @Column(name = "effective_from", nullable = false, updatable = false)
    private Instant effectiveFrom;

    @Column(name = "changed_by", updatable = false)
    private Long changedBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected TenantPlan() {}

    TenantPlan(Plan plan, Instant effectiveFrom, Long changedBy, Instant now) {
        this.plan = plan;
        this.effectiveFrom = effectiveFrom;
        this.changedBy = changedBy;
        this.createdAt = now;
    }

    public Plan getPlan() {
        return plan;
    }

    public Instant getEffectiveFrom() {
        return effectiveFrom;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
