package dev.runway.api;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A resumable (tus) upload a key has begun: whose it is, which dataset it becomes a version of, when it was last
 * touched and, once its bytes are all there and registered, the dataset version it became. The bytes are on disk
 * ({@link ResumableUploads}).
 */
@Entity
@Table(name = "resumable_upload")
@EntityListeners(TenantGuard.class)
class ResumableUpload {

    @Id
    private String id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private Long projectId;

    @Column(name = "dataset_name", nullable = false, updatable = false)
    private String datasetName;

    @Column(nullable = false, updatable = false)
    private String filename;

    @Column(nullable = false, updatable = false)
    private long length;

    @Column(name = "created_by", nullable = false, updatable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "touched_at", nullable = false)
    private Instant touchedAt;

    @Column(name = "dataset_version_id")
    private Long datasetVersionId;

    protected ResumableUpload() {}

    ResumableUpload(String id, ResumableUploads.Target target, long length, long createdBy, Instant now) {
        this.id = id;
        this.projectId = target.projectId();
        this.datasetName = target.datasetName();
        this.filename = target.filename();
        this.length = length;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.touchedAt = now;
    }

    String id() {
        return id;
    }

    long projectId() {
        return projectId;
    }

    String datasetName() {
        return datasetName;
    }

    String filename() {
        return filename;
    }

    long length() {
        return length;
    }

    Long datasetVersionId() {
        return datasetVersionId;
    }

    void touch(Instant now) {
        touchedAt = now;
    }

    void registered(long versionId) {
        datasetVersionId = versionId;
    }
}
