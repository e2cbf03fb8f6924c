package dev.runway.billing;

import dev.runway.base.BadInputException;
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
import java.time.YearMonth;
import java.util.Currency;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A month's invoice: a DRAFT while the month runs (its lines follow the ledger), FINALISED after it (numbered, never
 * changed again), then PAID or VOID.
 */
@Entity
@Table(name = "invoice")
@EntityListeners(TenantGuard.class)
public class Invoice {

    public enum Status { DRAFT, FINALISED, PAID, VOID }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(nullable = false, updatable = false)
    private LocalDate period;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 12)
    private Status status;

    private Integer number;

    @Column(nullable = false, length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)   // char(3) in the schema, blank-padded
    private String currency;

    @Column(nullable = false, precision = 14, scale = 2)
    private BigDecimal subtotal;

    @Column(name = "credits_applied", nullable = false, precision = 14, scale = 2)
    private BigDecimal creditsApplied;

    @Column(nullable = false, precision = 14, scale = 2)
    private BigDecimal total;

    @Column(name = "plan_summary", nullable = false, length = 200)
    private String planSummary;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "finalised_at")
    private Instant finalisedAt;

    @Column(name = "paid_at")
    private Instant paidAt;

    @Column(name = "payment_provider", length = 40)
    private String paymentProvider;

    @Column(name = "payment_reference", length = 200)
    private String paymentReference;

    @Column(name = "voided_at")
    private Instant voidedAt;

    @Column(name = "void_reason", length = 500)
    private String voidReason;

    protected Invoice() {}

    Invoice(YearMonth period, Currency currency, Instant now) {
        this.period = period.atDay(1);
        this.status = Status.DRAFT;
        this.currency = currency.getCurrencyCode();
        this.subtotal = BigDecimal.ZERO;
        this.creditsApplied = BigDecimal.ZERO;
        this.total = BigDecimal.ZERO;
        this.planSummary = "";
        this.updatedAt = now;
    }

    void totals(BigDecimal subtotal, BigDecimal credits, String planSummary, Instant now) {
        requireDraft();
        this.subtotal = subtotal;
        this.creditsApplied = credits;
        this.total = subtotal.subtract(credits);
        this.planSummary = planSummary;
        this.updatedAt = now;
    }

    void finalise(int number, Instant now) {
        requireDraft();
        this.number = number;
        this.status = Status.FINALISED;
        this.finalisedAt = now;
        this.updatedAt = now;
    }

    void paid(String provider, String reference, Instant now) {
        if (status != Status.FINALISED) {
            throw new BadInputException(null, "Only a finalised invoice can be paid; this one is "
                    + status.name().toLowerCase());
        }
        this.status = Status.PAID;
        this.paymentProvider = provider;
        this.paymentReference = reference;
        this.paidAt = now;
        this.updatedAt = now;
    }

    void voidIt(String reason, Instant now) {
        if (status != Status.FINALISED) {
            throw new BadInputException(null, "Only a finalised, unpaid invoice can be voided; this one is "
                    + status.name().toLowerCase());
        }
        this.status = Status.VOID;
        this.voidReason = reason;
        this.voidedAt = now;
        this.updatedAt = now;
    }

    private void requireDraft() {
        if (status != Status.DRAFT) {
            throw new IllegalStateException("Invoice " + id + " is " + status + " and cannot change");
        }
    }

    public Long getId() {
        return id;
    }

    public YearMonth getPeriod() {
        return YearMonth.from(period);
    }

    public Status getStatus() {
        return status;
    }

    /** "RW-0007" once finalised; "Draft" before. */
    public String label() {
        return number == null ? "Draft" : String.format("RW-%04d", number);
    }

    public Integer getNumber() {
        return number;
    }

    public Currency getCurrency() {
        return Currency.getInstance(currency);
    }

    public BigDecimal getSubtotal() {
        return subtotal;
    }

    public BigDecimal getCreditsApplied() {
        return creditsApplied;
    }

    public BigDecimal getTotal() {
        return total;
    }

    public String getPlanSummary() {
        return planSummary;
    }

    public Instant getFinalisedAt() {
        return finalisedAt;
    }

    public Instant getPaidAt() {
        return paidAt;
    }

    public String getPaymentReference() {
        return paymentReference;
    }

    public String getVoidReason() {
        return voidReason;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
