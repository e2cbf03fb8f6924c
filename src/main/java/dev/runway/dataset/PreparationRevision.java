package dev.runway.dataset;

import dev.runway.base.Json;
import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One of the preparations a dataset version has had, numbered per version and identified by the SHA-256 of its JSON.
 * A run points at the revision it trained with, so changing the version's preparation later leaves the run's record
 * as it was. Never changed (a trigger refuses it).
 */
@Entity
@Immutable
@Table(name = "preparation_revision")
@EntityListeners(TenantGuard.class)
public class PreparationRevision {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "dataset_version_id", nullable = false, updatable = false)
    private Long datasetVersionId;

    @Column(nullable = false, updatable = false)
    private int revision;

    @Column(nullable = false, updatable = false, length = 64)
    @JdbcTypeCode(SqlTypes.CHAR)
    private String sha256;

    @Column(nullable = false, updatable = false, columnDefinition = "jsonb")
    private String preparation;

    @Column(name = "created_by", nullable = false, updatable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected PreparationRevision() {}

    PreparationRevision(Long datasetVersionId, int revision, String sha256, String preparationJson, Long createdBy,
            Instant createdAt) {
        this.datasetVersionId = datasetVersionId;
        this.revision = revision;
        this.sha256 = sha256;
        this.preparation = preparationJson;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public Long getDatasetVersionId() {
        return datasetVersionId;
    }

    /** 1, 2, … per dataset version, in the order its preparations were first saved or trained with. */
    public int getRevision() {
        return revision;
    }

    /** The SHA-256 of the preparation's JSON as Runway writes it: equal settings, equal hash. */
    public String getSha256() {
        return sha256;
    }

    public Preparation preparation() {
        return Json.read(preparation, Preparation.class);
    }

    public Long getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
