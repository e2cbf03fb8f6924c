package dev.runway.budget;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Currency;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The tenant's book currency. One row per tenant, written the first time the currency is chosen. */
@Entity
@Table(name = "budget_settings")
@EntityListeners(TenantGuard.class)
class BudgetSettings {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(nullable = false, length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)   // char(3) in the schema, blank-padded
    private String currency;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected BudgetSettings() {}

    BudgetSettings(Currency currency, Instant now) {
        change(currency, now);
    }

    Currency currency() {
        return Currency.getInstance(currency.strip());
    }

    void change(Currency currency, Instant now) {
        this.currency = currency.getCurrencyCode();
        this.updatedAt = now;
    }
}
