package dev.runway.budget;

import dev.runway.base.ETag;
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
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** Money spent. MANUAL entries are people's; BILLING entries are posted by billing and never edited by hand. */
@Entity
@Table(name = "actual_spend")
@EntityListeners(TenantGuard.class)
public class ActualSpend {

    public static final int NOTE_MAX = 500;
    public static final int KEY_MAX = 200;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "spent_on", nullable = false)
    private LocalDate spentOn;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private SpendCategory category;

    @Column(nullable = false, columnDefinition = "numeric")
    private BigDecimal amount;

    @Column(nullable = false, length = NOTE_MAX)
    private String note = "";

    @Column(name = "project_id")
    private Long projectId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8, updatable = false)
    private SpendSource source;

    @Column(name = "idempotency_key", length = KEY_MAX, updatable = false)
    private String idempotencyKey;

    @Column(name = "created_by", updatable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected ActualSpend() {}

    ActualSpend(SpendSource source, String idempotencyKey, Long createdBy, Instant now) {
        this.source = source;
        this.idempotencyKey = idempotencyKey;
        this.createdBy = createdBy;
        this.createdAt = now;
    }

    void update(LocalDate spentOn, SpendCategory category, BigDecimal amount, String note, Long projectId) {
        this.spentOn = spentOn;
        this.category = category;
        this.amount = amount;
        this.note = note;
        this.projectId = projectId;
    }

    public Long getId() {
        return id;
    }

    public LocalDate getSpentOn() {
        return spentOn;
    }

    public SpendCategory getCategory() {
        return category;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public String getNote() {
        return note;
    }

    public Long getProjectId() {
        return projectId;
    }

    public SpendSource getSource() {
        return source;
    }

    public boolean isReadOnly() {
        return source == SpendSource.BILLING;
    }

    /** The API's entity tag: what it shows of the entry (amount compared by value, not by its scale). */
    public String etag() {
        return ETag.of(id, spentOn, category, amount.stripTrailingZeros().toPlainString(), note, projectId, source);
    }

    String summary() {
        return category + " " + amount.toPlainString() + " on " + spentOn
                + (projectId == null ? "" : " | project " + projectId) + (note.isEmpty() ? "" : " | " + note);
    }
}
