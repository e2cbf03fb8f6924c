package dev.runway.dataset;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One immutable upload of a dataset: its bytes (by SHA-256), shape, profile and preparation settings. */
@Entity
@Table(name = "dataset_version")
@EntityListeners(TenantGuard.class)
public class DatasetVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "dataset_id", nullable = false, updatable = false)
    private Long datasetId;

    @Column(nullable = false, updatable = false)
    private int version;

    @Column(nullable = false, updatable = false, length = 64)
    @JdbcTypeCode(SqlTypes.CHAR)   // char(64) in the schema, blank-padded
    private String sha256;

    @Column(name = "size_bytes", nullable = false, updatable = false)
    private long sizeBytes;

    @Column(name = "row_count", nullable = false, updatable = false)
    private long rowCount;

    @Column(name = "column_count", nullable = false, updatable = false)
    private int columnCount;

    @Column(name = "original_filename", nullable = false, updatable = false)
    private String originalFilename;

    @Column(nullable = false, updatable = false, length = 2)
    private String delimiter;

    /**
     * JSON of {@link CsvProfile}; PostgreSQL casts it to jsonb. Fetched only when read: a wide file's profile is
     * megabytes, and lists of versions never need it.
     */
    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false, updatable = false, columnDefinition = "jsonb")
    private String profile;

    /** JSON of {@link Preparation}, or null until set. */
    @Column(columnDefinition = "jsonb")
    private String preparation;

    @Column(name = "uploaded_by", nullable = false, updatable = false)
    private Long uploadedBy;

    @Column(name = "uploaded_at", nullable = false, updatable = false)
    private Instant uploadedAt;

    protected DatasetVersion() {}

    DatasetVersion(Long datasetId, int version, ContentStore.Staged file, String originalFilename,
            CsvProfile csv, String profileJson, Long uploadedBy, Instant uploadedAt) {
        this.datasetId = datasetId;
        this.version = version;
        this.sha256 = file.sha256();
        this.sizeBytes = file.size();
        this.rowCount = csv.rows();
        this.columnCount = csv.columns().size();
        this.originalFilename = originalFilename;
        this.delimiter = String.valueOf(csv.delimiter());
        this.profile = profileJson;
        this.uploadedBy = uploadedBy;
        this.uploadedAt = uploadedAt;
    }

    /** A new version of the same dataset with this version's bytes, profile and shape (an identical re-upload). */
    DatasetVersion identicalAs(int newVersion, String filename, Long uploadedBy, Instant uploadedAt) {
        DatasetVersion copy = new DatasetVersion();
        copy.datasetId = datasetId;
        copy.version = newVersion;
        copy.sha256 = sha256;
        copy.sizeBytes = sizeBytes;
        copy.rowCount = rowCount;
        copy.columnCount = columnCount;
        copy.originalFilename = filename;
        copy.delimiter = delimiter;
        copy.profile = profileJson();
        copy.uploadedBy = uploadedBy;
        copy.uploadedAt = uploadedAt;
        return copy;
    }

    public Long getId() {
        return id;
    }

    public Long getDatasetId() {
        return datasetId;
    }

    public int getVersion() {
        return version;
    }

    public String getSha256() {
        return sha256;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public long getRowCount() {
        return rowCount;
    }

    public int getColumnCount() {
        return columnCount;
    }

    public String getOriginalFilename() {
        return originalFilename;
    }

    public char delimiter() {
        return delimiter.charAt(0);
    }

    String profileJson() {
        return profile;
    }

    String preparationJson() {
        return preparation;
    }

    void setPreparationJson(String json) {
        this.preparation = json;
    }

    public Long getUploadedBy() {
        return uploadedBy;
    }

    public Instant getUploadedAt() {
        return uploadedAt;
    }
}
