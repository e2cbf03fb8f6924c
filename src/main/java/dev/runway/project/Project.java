package dev.runway.project;

import dev.runway.base.ETag;
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
import java.util.List;

/** A project: where a model's datasets, runs and versions live. */
@Entity
@Table(name = "project")
@EntityListeners(TenantGuard.class)
public class Project {

    public static final int NAME_MAX = 120;
    public static final int DESCRIPTION_MAX = 2000;
    public static final int TAG_MAX = 40;
    public static final int TAGS_MAX = 12;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(nullable = false, length = NAME_MAX)
    private String name;

    @Column(nullable = false, length = DESCRIPTION_MAX)
    private String description = "";

    @Column(nullable = false, columnDefinition = "text[]")
    private String[] tags = new String[0];

    @Column(name = "preview_enabled", nullable = false)
    private boolean previewEnabled = true;

    @Column(name = "archived_at")
    private Instant archivedAt;

    @Column(name = "created_by", nullable = false, updatable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Project() {}

    Project(String name, Long createdBy, Instant now) {
        this.name = name;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public Long getId() {
        return id;
    }

    public long tenantId() {
        return tenantId;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public List<String> getTags() {
        return List.of(tags);
    }

    public boolean isPreviewEnabled() {
        return previewEnabled;
    }

    public Instant getArchivedAt() {
        return archivedAt;
    }

    public boolean isArchived() {
        return archivedAt != null;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    void update(String name, String description, List<String> tags, boolean previewEnabled, Instant now) {
        this.name = name;
        this.description = description;
        this.tags = tags.toArray(String[]::new);
        this.previewEnabled = previewEnabled;
        this.updatedAt = now;
    }

    void archive(Instant now) {
        this.archivedAt = now;
        this.updatedAt = now;
    }

    void restore(Instant now) {
        this.archivedAt = null;
        this.updatedAt = now;
    }

    /** The API's entity tag of the project: what it shows of it, timestamps left out (see ETag.of). */
    public String etag() {
        return ETag.of(id, name, description, Arrays.asList(tags), isArchived());
    }

    /** A one-line summary for the audit log. */
    String summary() {
        return name + " | " + String.join(", ", Arrays.asList(tags)) + " | preview " + (previewEnabled ? "on" : "off")
                + (description.isEmpty() ? "" : " | " + description);
    }
}
