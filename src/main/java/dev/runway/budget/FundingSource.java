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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Money received: a round, a grant, revenue. */
@Entity
@Table(name = "funding_source")
@EntityListeners(TenantGuard.class)
public class FundingSource {

    public static final int NOTE_MAX = 500;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private FundingKind kind;

    @Column(nullable = false, columnDefinition = "numeric")
    private BigDecimal amount;

    @Column(nullable = false, length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)   // char(3) in the schema, blank-padded
    private String currency;

    @Column(name = "received_on", nullable = false)
    private LocalDate receivedOn;

    @Column(nullable = false, length = NOTE_MAX)
    private String note = "";

    @Column(name = "created_by", nullable = false, updatable = false)
    private Long createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected FundingSource() {}

    FundingSource(Long createdBy, Instant now) {
        this.createdBy = createdBy;
        this.createdAt = now;
    }

    void update(FundingKind kind, BigDecimal amount, String currency, LocalDate receivedOn, String note) {
        this.kind = kind;
        this.amount = amount;
        this.currency = currency;
        this.receivedOn = receivedOn;
        this.note = note;
    }

    public Long getId() {
        return id;
    }

    public FundingKind getKind() {
        return kind;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public String getCurrency() {
        return currency.strip();
    }

    public LocalDate getReceivedOn() {
        return receivedOn;
    }

    public String getNote() {
        return note;
    }

    /** The API's entity tag: what it shows of the source (amount compared by value, not by its scale). */
    public String etag() {
        return ETag.of(id, kind, amount.stripTrailingZeros().toPlainString(), currency, receivedOn, note);
    }

    String summary() {
        return kind + " " + amount.toPlainString() + " " + getCurrency() + " on " + receivedOn
                + (note.isEmpty() ? "" : " | " + note);
    }
}
