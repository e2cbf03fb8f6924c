package dev.runway.tenancy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user's TOTP secret; it counts once a first code confirmed it. Row-level security: the user's own row only. */
@Entity
@Table(name = "user_two_factor")
class UserTwoFactor {

    @Id
    @Column(name = "user_id")
    private Long userId;

    @Column(nullable = false, length = 64)
    private String secret;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "enabled_at")
    private Instant enabledAt;

    /** The time step of the last accepted code: no code is accepted twice. */
    @Column(name = "last_step", nullable = false)
    private long lastStep;

    protected UserTwoFactor() {}

    UserTwoFactor(long userId, String secret, Instant createdAt) {
        this.userId = userId;
        this.secret = secret;
        this.createdAt = createdAt;
    }

    long getUserId() {
        return userId;
    }

    String getSecret() {
        return secret;
    }

    boolean isEnabled() {
        return enabledAt != null;
    }

    void enable(Instant at) {
        enabledAt = at;
    }

    long getLastStep() {
        return lastStep;
    }

    void used(long step) {
        lastStep = step;
    }
}
