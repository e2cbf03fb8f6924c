package dev.runway.webhook;

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
import java.util.UUID;

/** One event on its way to one endpoint: the body as sent, where it stands, and its last attempt. */
@Entity
@Table(name = "webhook_delivery")
@EntityListeners(TenantGuard.class)
public class WebhookDelivery {

    /** PENDING: being tried; DELIVERED: a 2xx answer came back (never sent again); FAILED: given up. */
    public enum Status { PENDING, DELIVERED, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "endpoint_id", nullable = false, updatable = false)
    private Long endpointId;

    @Column(name = "event_id", nullable = false, updatable = false)
    private UUID eventId;

    @Column(name = "event_type", nullable = false, updatable = false, length = 64)
    private String eventType;

    @Column(nullable = false, updatable = false)
    private String payload;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status = Status.PENDING;

    @Column(nullable = false)
    private int attempts;

    @Column(nullable = false)
    private int redeliveries;

    @Column(name = "attempts_before", nullable = false)
    private int attemptsBefore;

    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "delivered_at")
    private Instant deliveredAt;

    @Column(name = "last_attempt_at")
    private Instant lastAttemptAt;

    @Column(name = "last_status_code")
    private Integer lastStatusCode;

    @Column(name = "last_error", length = 500)
    private String lastError;

    @Column(name = "last_duration_ms")
    private Integer lastDurationMs;

    @Column(name = "last_response", length = 1024)
    private String lastResponse;

    protected WebhookDelivery() {}

    WebhookDelivery(long endpointId, UUID eventId, String eventType, String payload, Instant now) {
        this.endpointId = endpointId;
        this.eventId = eventId;
        this.eventType = eventType;
        this.payload = payload;
        this.createdAt = now;
        this.nextAttemptAt = now;
    }

    public Long getId() {
        return id;
    }

    public Long getEndpointId() {
        return endpointId;
    }

    public UUID getEventId() {
        return eventId;
    }

    public String getEventType() {
        return eventType;
    }

    public String getPayload() {
        return payload;
    }

    public Status getStatus() {
        return status;
    }

    /** Every try, redeliveries included. */
    public int getAttempts() {
        return attempts;
    }

    /** The tries of the current series (since the latest redelivery). */
    public int seriesAttempts() {
        return attempts - attemptsBefore;
    }

    public int getRedeliveries() {
        return redeliveries;
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getDeliveredAt() {
        return deliveredAt;
    }

    public Instant getLastAttemptAt() {
        return lastAttemptAt;
    }

    public Integer getLastStatusCode() {
        return lastStatusCode;
    }

    public String getLastError() {
        return lastError;
    }

    public Integer getLastDurationMs() {
        return lastDurationMs;
    }

    public String getLastResponse() {
        return lastResponse;
    }

    void attempted(WebhookAttempt attempt) {
        attempts++;
        lastAttemptAt = attempt.getAttemptedAt();
        lastStatusCode = attempt.getStatusCode();
        lastError = attempt.getError();
        lastDurationMs = attempt.getDurationMs();
        lastResponse = attempt.getResponseSnippet();
    }

    void delivered(Instant now) {
        status = Status.DELIVERED;
        deliveredAt = now;
        nextAttemptAt = null;
    }

    void retryAt(Instant at) {
        nextAttemptAt = at;
    }

    void giveUp(String reason) {
        status = Status.FAILED;
        nextAttemptAt = null;
        if (reason != null) {
            lastError = reason;
        }
    }

    /** Redeliver: a given-up (or still pending) delivery gets a fresh series of tries from now. */
    void again(Instant now) {
        status = Status.PENDING;
        attemptsBefore = attempts;
        redeliveries++;
        nextAttemptAt = now;
    }
}
