package dev.runway.model;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One member's approval of a stage request (each member approves a request once). */
@Entity
@Table(name = "model_stage_approval")
@EntityListeners(TenantGuard.class)
public class StageApproval {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "request_id", nullable = false, updatable = false)
    private Long requestId;

    @Column(name = "approver_id", nullable = false, updatable = false)
    private Long approverId;

    @Column(nullable = false, updatable = false, length = ModelLifecycle.COMMENT_MAX)
    private String comment;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected StageApproval() {}

    StageApproval(Long requestId, Long approverId, String comment, Instant createdAt) {
        this.requestId = requestId;
        this.approverId = approverId;
        this.comment = comment;
        this.createdAt = createdAt;
    }

    public Long getRequestId() {
        return requestId;
    }

    public Long getApproverId() {
        return approverId;
    }

    public String getComment() {
        return comment;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
