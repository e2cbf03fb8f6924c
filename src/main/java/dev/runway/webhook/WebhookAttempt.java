package dev.runway.webhook;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One try to send a delivery: the HTTP status or the error, how long it took and the start of the answer. */
@Entity
@Table(name = "webhook_attempt")
@EntityListeners(TenantGuard.class)
public class WebhookAttempt {

    public static final int SNIPPET_MAX = 1024;
    public static final int ERROR_MAX = 500;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "delivery_id", nullable = false, updatable = false)
    private Long deliveryId;

    @Column(name = "attempted_at", nullable = false, updatable = false)
    private Instant attemptedAt;

    @Column(name = "status_code", updatable = false)
    private Integer statusCode;

    @Column(updatable = false, length = ERROR_MAX)
    private String error;

    @Column(name = "duration_ms", nullable = false, updatable = false)
    private int durationMs;

    @Column(name = "response_snippet", updatable = false, length = SNIPPET_MAX)
    private String responseSnippet;

    protected WebhookAttempt() {}

    WebhookAttempt(long deliveryId, Instant attemptedAt, Integer statusCode, String error, int durationMs,
            String responseSnippet) {
        this.deliveryId = deliveryId;
        this.attemptedAt = attemptedAt;
        this.statusCode = statusCode;
        this.error = error == null || error.length() <= ERROR_MAX ? error : error.substring(0, ERROR_MAX - 1) + "…";
        this.durationMs = durationMs;
        this.responseSnippet = responseSnippet;
    }

    public Long getId() {
        return id;
    }

    public Long getDeliveryId() {
        return deliveryId;
    }

    public Instant getAttemptedAt() {
        return attemptedAt;
    }

    /** The HTTP status of the answer; null when none came (refused address, timeout, connection error). */
    public Integer getStatusCode() {
        return statusCode;
    }

    public String getError() {
        return error;
    }

    public int getDurationMs() {
        return durationMs;
    }

    public String getResponseSnippet() {
        return responseSnippet;
    }

    public boolean succeeded() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
}
