package dev.runway.training;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A training run repeated on a cron schedule and/or whenever its dataset gets a new version. */
@Entity
@Table(name = "run_schedule")
@EntityListeners(TenantGuard.class)
public class RunSchedule {

    public static final int NAME_MAX = 120;
    static final int NOTE_MAX = 500;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "project_id", nullable = false, updatable = false)
    private Long projectId;

    @Column(name = "dataset_id", nullable = false, updatable = false)
    private Long datasetId;

    @Column(nullable = false, length = NAME_MAX)
    private String name;

    @Column(nullable = false, columnDefinition = "jsonb")
    private String hyperparameters;

    @Column(name = "requested_device", nullable = false, length = 8)
    private String requestedDevice;

    @Column(nullable = false)
    private int priority;

    @Column(length = 120)
    private String cron;

    @Column(name = "on_new_version", nullable = false)
    private boolean onNewVersion;

    @Column(nullable = false)
    private boolean paused;

    @Column(name = "next_fire_at")
    private Instant nextFireAt;

    /** Why the schedule paused itself, when it did; a pause from the console has none. */
    @Column(name = "paused_note", length = NOTE_MAX)
    private String pausedNote;

    /** The member its runs start as: its creator, or whoever resumed it after the creator left. */
    @Column(name = "created_by", nullable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected RunSchedule() {}

    RunSchedule(Long projectId, Long datasetId, String name, String hyperparameters, String requestedDevice,
            int priority, String cron, boolean onNewVersion, Long createdBy, Instant now) {
        this.projectId = projectId;
        this.datasetId = datasetId;
        this.name = name;
        this.hyperparameters = hyperparameters;
        this.requestedDevice = requestedDevice;
        this.priority = priority;
        this.cron = cron;
        this.onNewVersion = onNewVersion;
        this.createdBy = createdBy;
        this.createdAt = now;
    }

    public Long getId() {
        return id;
    }

    public long tenantId() {
        return tenantId;
    }

    public Long getProjectId() {
        return projectId;
    }

    public Long getDatasetId() {
        return datasetId;
    }

    public String getName() {
        return name;
    }

    String hyperparametersJson() {
        return hyperparameters;
    }

    public String getRequestedDevice() {
        return requestedDevice;
    }

    public int getPriority() {
        return priority;
    }

    public String getCron() {
        return cron;
    }

    public boolean isOnNewVersion() {
        return onNewVersion;
    }

    public boolean isPaused() {
        return paused;
    }

    public Instant getNextFireAt() {
        return nextFireAt;
    }

    public Long getCreatedBy() {
        return createdBy;
    }

    public String getPausedNote() {
        return pausedNote;
    }

    void setPaused(boolean paused) {
        this.paused = paused;
        this.pausedNote = null;
    }

    /** Paused by the schedule itself, because it could not start its run; the note says why. */
    void pauseWith(String note) {
        this.paused = true;
        this.nextFireAt = null;
        this.pausedNote = note.length() > NOTE_MAX ? note.substring(0, NOTE_MAX - 1) + "…" : note;
    }

    /** Its runs start as {@code userId} from now on (the creator has left the company). */
    void runAs(long userId) {
        this.createdBy = userId;
    }

    void setNextFireAt(Instant nextFireAt) {
        this.nextFireAt = nextFireAt;
    }
}
