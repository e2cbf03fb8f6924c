package dev.runway.tenancy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** Who changed what, when, from what to what. Append-only: the application role may not update or delete it. */
@Entity
@Immutable
@Table(name = "audit_event")
@EntityListeners(TenantGuard.class)
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "actor_user_id")
    private Long actorUserId;

    @Column(name = "actor_email", nullable = false, length = 254)
    private String actorEmail;

    @Column(nullable = false, length = 64)
    private String kind;

    @Column(nullable = false, length = 254)
    private String subject;

    @Column(name = "before_value", length = 1000)
    private String beforeValue;

    @Column(name = "after_value", length = 1000)
    private String afterValue;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    protected AuditEvent() {}

    AuditEvent(Long actorUserId, String actorEmail, String kind, String subject, String beforeValue,
            String afterValue, Instant occurredAt) {
        this.actorUserId = actorUserId;
        this.actorEmail = actorEmail;
        this.kind = kind;
        this.subject = subject;
        this.beforeValue = beforeValue;
        this.afterValue = afterValue;
        this.occurredAt = occurredAt;
    }

    public Long getId() {
        return id;
    }

    public String getActorEmail() {
        return actorEmail;
    }

    public String getKind() {
        return kind;
    }

    public String getSubject() {
        return subject;
    }

    public String getBeforeValue() {
        return beforeValue;
    }

    public String getAfterValue() {
        return afterValue;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }
}
