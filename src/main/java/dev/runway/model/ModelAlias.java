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

/** A name such as {@code champion} that points at one version of a project at a time. */
@Entity
@Table(name = "model_alias")
@EntityListeners(TenantGuard.class)
public class ModelAlias {

    public static final int NAME_MAX = 32;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private Long projectId;

    @Column(nullable = false, updatable = false, length = NAME_MAX)
    private String name;

    @Column(name = "model_version_id", nullable = false)
    private Long modelVersionId;

    @Column(name = "updated_by", nullable = false)
    private Long updatedBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ModelAlias() {}

    ModelAlias(Long projectId, String name, Long modelVersionId, Long updatedBy, Instant updatedAt) {
        this.projectId = projectId;
        this.name = name;
        this.modelVersionId = modelVersionId;
        this.updatedBy = updatedBy;
        this.updatedAt = updatedAt;
    }

    void moveTo(Long versionId, Long by, Instant at) {
        this.modelVersionId = versionId;
        this.updatedBy = by;
        this.updatedAt = at;
    }

    public Long getProjectId() {
        return projectId;
    }

    public String getName() {
        return name;
    }

    public Long getModelVersionId() {
        return modelVersionId;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
