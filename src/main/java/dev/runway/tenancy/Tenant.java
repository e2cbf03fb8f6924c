package dev.runway.tenancy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A company using Runway. The root of every tenant-owned row. */
@Entity
@Table(name = "tenant")
public class Tenant {

    public static final int NAME_MAX = 120;
    public static final int SLUG_MAX = 40;

    /** Reserved from tenant_id_seq before the tenant's first transaction, see {@link SignUpService}. */
    @Id
    private Long id;

    @Column(nullable = false, length = NAME_MAX)
    private String name;

    @Column(nullable = false, length = SLUG_MAX, unique = true)
    private String slug;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** Every member signs in with a second factor (set by an owner). */
    @Column(name = "require_two_factor", nullable = false)
    private boolean requireTwoFactor;

    protected Tenant() {}

    Tenant(Long id, String name, String slug, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.slug = slug;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    void rename(String name) {
        this.name = name;
    }

    public String getSlug() {
        return slug;
    }

    public boolean isRequireTwoFactor() {
        return requireTwoFactor;
    }

    void setRequireTwoFactor(boolean requireTwoFactor) {
        this.requireTwoFactor = requireTwoFactor;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
