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

/**
 * One stage change or alias move, kept for good: who, when, why, from → to. Stage changes made by an approved
 * request name it ({@link #getRequestId()}), and through it the approvers.
 */
@Entity
@Table(name = "model_lifecycle_event")
@EntityListeners(TenantGuard.class)
public class LifecycleEvent {

    public enum Kind { STAGE, ALIAS }

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
    @Column(nullable = false, updatable = false, length = 8)
    private Kind kind;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_stage", updatable = false, length = 16)
    private ModelStage fromStage;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_stage", updatable = false, length = 16)
    private ModelStage toStage;

    @Column(updatable = false, length = ModelAlias.NAME_MAX)
    private String alias;

    @Column(name = "from_version_id", updatable = false)
    private Long fromVersionId;

    @Column(name = "actor_id", nullable = false, updatable = false)
    private Long actorId;

    @Column(name = "request_id", updatable = false)
    private Long requestId;

    @Column(nullable = false, updatable = false, length = ModelLifecycle.COMMENT_MAX)
    private String comment;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    private Instant occurredAt;

    protected LifecycleEvent() {}

    static LifecycleEvent stage(ModelVersion version, ModelStage from, ModelStage to, Long actorId, Long requestId,
            String comment, Instant at) {
        LifecycleEvent e = new LifecycleEvent(version, Kind.STAGE, actorId, comment, at);
        e.fromStage = from;
        e.toStage = to;
        e.requestId = requestId;
        return e;
    }

    static LifecycleEvent alias(ModelVersion version, String alias, Long fromVersionId, Long actorId, String comment,
            Instant at) {
        LifecycleEvent e = new LifecycleEvent(version, Kind.ALIAS, actorId, comment, at);
        e.alias = alias;
        e.fromVersionId = fromVersionId;
        return e;
    }

    private LifecycleEvent(ModelVersion version, Kind kind, Long actorId, String comment, Instant at) {
        this.projectId = version.getProjectId();
        this.modelVersionId = version.getId();
        this.kind = kind;
        this.actorId = actorId;
        this.comment = comment;
        this.occurredAt = at;
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

    public Kind getKind() {
        return kind;
    }

    public ModelStage getFromStage() {
        return fromStage;
    }

    public ModelStage getToStage() {
        return toStage;
    }

    public String getAlias() {
        return alias;
    }

    public Long getFromVersionId() {
        return fromVersionId;
    }

    public Long getActorId() {
        return actorId;
    }

    public Long getRequestId() {
        return requestId;
    }

    public String getComment() {
        return comment;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }
}
