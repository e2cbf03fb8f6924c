package dev.runway.model;

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

/** A stage change that waits for approvals; at most one is pending per version. */
@Entity
@Table(name = "model_stage_request")
@EntityListeners(TenantGuard.class)
public class StageRequest {

    public enum Status { PENDING, APPROVED, REJECTED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private Long projectId;

    @Column(name = "model_version_id", nullable = false, updatable = false)
    private Long modelVersionId;

    @Enumerated(EnumType.STRING)
    @Column(name = "target_stage", nullable = false, updatable = false, length = 16)
    private ModelStage targetStage;

    /** The rule when it was asked: a later change of the rules does not move the goalposts of a pending request. */
    @Column(name = "approvals_required", nullable = false, updatable = false)
    private int approvalsRequired;

    @Column(name = "requested_by", nullable = false, updatable = false)
    private Long requestedBy;

    @Column(nullable = false, updatable = false, length = ModelLifecycle.COMMENT_MAX)
    private String comment;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status = Status.PENDING;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "decided_by")
    private Long decidedBy;

    @Column(name = "decided_at")
    private Instant decidedAt;

    @Column(name = "decision_comment", length = ModelLifecycle.COMMENT_MAX)
    private String decisionComment;

    protected StageRequest() {}

    StageRequest(ModelVersion version, ModelStage target, int approvalsRequired, Long requestedBy, String comment,
            Instant createdAt) {
        this.projectId = version.getProjectId();
        this.modelVersionId = version.getId();
        this.targetStage = target;
        this.approvalsRequired = approvalsRequired;
        this.requestedBy = requestedBy;
        this.comment = comment;
        this.createdAt = createdAt;
    }

    void decide(Status status, Long by, String comment, Instant at) {
        this.status = status;
        this.decidedBy = by;
        this.decisionComment = comment;
        this.decidedAt = at;
    }

    public Long getId() {
        return id;
    }

    public Long getProjectId() {
        return projectId;
    }

    public Long getModelVersionId() {
        return modelVersionId;
    }

    public ModelStage getTargetStage() {
        return targetStage;
    }

    public int getApprovalsRequired() {
        return approvalsRequired;
    }

    public Long getRequestedBy() {
        return requestedBy;
    }

    public String getComment() {
        return comment;
    }

    public Status getStatus() {
        return status;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Long getDecidedBy() {
        return decidedBy;
    }

    public Instant getDecidedAt() {
        return decidedAt;
    }

    public String getDecisionComment() {
        return decisionComment;
    }
}
