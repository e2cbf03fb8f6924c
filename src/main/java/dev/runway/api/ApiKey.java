package dev.runway.api;

import dev.runway.tenancy.Role;
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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A tenant's API key: its role, name and lifetime. Only the SHA-256 of its secret is stored. */
@Entity
@Table(name = "api_key")
@EntityListeners(TenantGuard.class)
public class ApiKey {

    public static final int NAME_MAX = 120;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(nullable = false, length = NAME_MAX)
    private String name;

    @Column(nullable = false, updatable = false, length = 16)
    private String prefix;

    @Column(name = "secret_hash", nullable = false, updatable = false, length = 64)
    @JdbcTypeCode(SqlTypes.CHAR)   // char(64) in the schema, blank-padded
    private String secretHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false, length = 16)
    private Role role;

    @Column(name = "created_by", nullable = false, updatable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", updatable = false)
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    protected ApiKey() {}

    ApiKey(String name, String prefix, String secretHash, Role role, Long createdBy, Instant createdAt,
            Instant expiresAt) {
        this.name = name;
        this.prefix = prefix;
        this.secretHash = secretHash;
        this.role = role;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    /** The public part of the key ({@code rw_<prefix>_…}), shown in lists so a key can be recognised. */
    public String getPrefix() {
        return prefix;
    }

    String secretHash() {
        return secretHash;
    }

    public Role getRole() {
        return role;
    }

    public Long getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    void revoke(Instant now) {
        this.revokedAt = now;
    }
}
