package dev.runway.billing;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Prepaid credit, applied to finalised invoices oldest credit first. */
@Entity
@Table(name = "credit")
@EntityListeners(TenantGuard.class)
public class Credit {

    public static final int REFERENCE_MAX = 200;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(nullable = false, updatable = false, precision = 14, scale = 2)
    private BigDecimal amount;

    @Column(nullable = false, updatable = false, length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)   // char(3) in the schema, blank-padded
    private String currency;

    @Column(nullable = false, updatable = false, length = 200)
    private String reference;

    @Column(name = "granted_by", updatable = false)
    private Long grantedBy;

    @Column(name = "granted_at", nullable = false, updatable = false)
    private Instant grantedAt;

    protected Credit() {}

    Credit(BigDecimal amount, Currency currency, String reference, Long grantedBy, Instant now) {
        this.amount = amount;
        this.currency = currency.getCurrencyCode();
        this.reference = reference;
        this.grantedBy = grantedBy;
        this.grantedAt = now;
    }

    public Long getId() {
        return id;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public Currency getCurrency() {
        return Currency.getInstance(currency);
    }

    public String getReference() {
        return reference;
    }

    public Instant getGrantedAt() {
        return grantedAt;
    }
}
