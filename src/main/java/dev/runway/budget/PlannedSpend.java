package dev.runway.budget;

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

/** One line of the spending plan: the amount planned for a category in a month (its first day). */
@Entity
@Table(name = "planned_spend")
@EntityListeners(TenantGuard.class)
class PlannedSpend {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(nullable = false, updatable = false)
    private LocalDate month;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16, updatable = false)
    private SpendCategory category;

    @Column(nullable = false, columnDefinition = "numeric")
    private BigDecimal amount;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected PlannedSpend() {}

    PlannedSpend(LocalDate month, SpendCategory category) {
        this.month = month;
        this.category = category;
    }

    void change(BigDecimal amount, Instant now) {
        this.amount = amount;
        this.updatedAt = now;
    }

    LocalDate month() {
        return month;
    }

    SpendCategory category() {
        return category;
    }

    BigDecimal amount() {
        return amount;
    }
}
