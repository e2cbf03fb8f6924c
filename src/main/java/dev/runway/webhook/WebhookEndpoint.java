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
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Where a company's events go: a URL, the event types it receives, its signing secret and its health. */
@Entity
@Table(name = "webhook_endpoint")
@EntityListeners(TenantGuard.class)
public class WebhookEndpoint {

    public static final int URL_MAX = 2000;
    public static final int DESCRIPTION_MAX = 200;
    static final int REASON_MAX = 500;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(nullable = false, length = URL_MAX)
    private String url;

    @Column(nullable = false, length = DESCRIPTION_MAX)
    private String description;

    @Column(nullable = false, length = 100)
    private String secret;

    @Column(name = "event_types", nullable = false, length = 400)
    private String eventTypes;

    @Column(nullable = false)
    private boolean enabled = true;

    @Column(name = "disabled_reason", length = REASON_MAX)
    private String disabledReason;

    @Column(name = "disabled_at")
    private Instant disabledAt;

    @Column(name = "consecutive_failures", nullable = false)
    private int consecutiveFailures;

    @Column(name = "failing_since")
    private Instant failingSince;

    @Column(name = "created_by", nullable = false, updatable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "secret_rotated_at")
    private Instant secretRotatedAt;

    protected WebhookEndpoint() {}

    WebhookEndpoint(String url, String description, Set<String> eventTypes, String secret, Long createdBy,
            Instant createdAt) {
        this.url = url;
        this.description = description;
        this.eventTypes = String.join(",", eventTypes);
        this.secret = secret;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getUrl() {
        return url;
    }

    public String getDescription() {
        return description;
    }

    String secret() {
        return secret;
    }

    /** The event type codes this endpoint receives, in the order they were chosen. */
    public Set<String> getEventTypes() {
        return eventTypes.isBlank() ? Set.of() : Arrays.stream(eventTypes.split(","))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public boolean receives(String type) {
        return getEventTypes().contains(type);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public String getDisabledReason() {
        return disabledReason;
    }

    public Instant getDisabledAt() {
        return disabledAt;
    }

    public int getConsecutiveFailures() {
        return consecutiveFailures;
    }

    public Instant getFailingSince() {
        return failingSince;
    }

    public Long getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getSecretRotatedAt() {
        return secretRotatedAt;
    }

    void change(String url, String description, Set<String> eventTypes) {
        this.url = url;
        this.description = description;
        this.eventTypes = String.join(",", eventTypes);
    }

    void rotate(String secret, Instant now) {
        this.secret = secret;
        this.secretRotatedAt = now;
    }

    /** Switched on by a person: its failure history starts over. */
    void enable() {
        enabled = true;
        disabledReason = null;
        disabledAt = null;
        consecutiveFailures = 0;
        failingSince = null;
    }

    /** Switches the endpoint off; the reason may quote the receiver's answer, so it is cut to fit its column. */
    void disable(String reason, Instant now) {
        enabled = false;
        disabledReason = reason.length() > REASON_MAX ? reason.substring(0, REASON_MAX - 1) + "…" : reason;
        disabledAt = now;
    }

    void delivered() {
        consecutiveFailures = 0;
        failingSince = null;
    }

    void attemptFailed(Instant now) {
        if (failingSince == null) {
            failingSince = now;
        }
    }

    void gaveUp() {
        consecutiveFailures++;
    }
}
