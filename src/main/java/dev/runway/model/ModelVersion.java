package dev.runway.model;

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

/** A trained model of a project, with its lineage: the run and dataset version it came from. */
@Entity
@Table(name = "model_version")
@EntityListeners(TenantGuard.class)
public class ModelVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private Long projectId;

    @Column(nullable = false, updatable = false)
    private int version;

    /** Null for an imported version, which no run trained. */
    @Column(name = "run_id", updatable = false)
    private Long runId;

    @Column(name = "dataset_version_id", updatable = false)
    private Long datasetVersionId;

    @Column(nullable = false, updatable = false, length = 32)
    private String template;

    @Column(nullable = false, updatable = false, columnDefinition = "jsonb")
    private String metrics;

    @Column(name = "artifact_dir", nullable = false, updatable = false, length = 500)
    private String artifactDir;

    @Column(name = "created_by", nullable = false, updatable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    /** Uploaded as a file with a manifest rather than trained by a run. */
    @Column(nullable = false, updatable = false)
    private boolean imported;

    /** An imported version's manifest (format, task, features, inputs, target, classes); null for a trained one. */
    @Column(updatable = false, columnDefinition = "jsonb")
    private String manifest;

    /** Changed only by {@link ModelLifecycle}, which records each change and keeps one version in Production. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private ModelStage stage = ModelStage.NONE;

    protected ModelVersion() {}

    ModelVersion(Long projectId, int version, Long runId, Long datasetVersionId, String template, String metrics,
            String artifactDir, Long createdBy, Instant createdAt) {
        this.projectId = projectId;
        this.version = version;
        this.runId = runId;
        this.datasetVersionId = datasetVersionId;
        this.template = template;
        this.metrics = metrics;
        this.artifactDir = artifactDir;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    static ModelVersion imported(Long projectId, int version, String format, String manifest, String artifactDir,
            Long createdBy, Instant createdAt) {
        ModelVersion m = new ModelVersion(projectId, version, null, null, format, "{}", artifactDir, createdBy,
                createdAt);
        m.imported = true;
        m.manifest = manifest;
        return m;
    }

    public boolean isImported() {
        return imported;
    }

    public String manifestJson() {
        return manifest;
    }

    public Long getId() {
        return id;
    }

    public Long getProjectId() {
        return projectId;
    }

    public int getVersion() {
        return version;
    }

    public Long getRunId() {
        return runId;
    }

    public Long getDatasetVersionId() {
        return datasetVersionId;
    }

    public String getTemplate() {
        return template;
    }

    public String metricsJson() {
        return metrics;
    }

    public String getArtifactDir() {
        return artifactDir;
    }

    public Long getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public ModelStage getStage() {
        return stage;
    }

    void setStage(ModelStage stage) {
        this.stage = stage;
    }
}
