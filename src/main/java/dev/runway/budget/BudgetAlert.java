package dev.runway.budget;

import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import org.hibernate.annotations.Immutable;

/** An in-app notification: a compute budget crossed one of its thresholds in a month. Written once, never changed. */
@Entity
@Immutable
@Table(name = "budget_alert")
@EntityListeners(TenantGuard.class)
public class BudgetAlert {

    @Id
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "budget_id")
    private Long budgetId;

    @Column(nullable = false, length = 140)
    private String scope;

    @Column(nullable = false)
    private LocalDate period;

    @Column(nullable = false)
    private int threshold;

    @Column(nullable = false, columnDefinition = "numeric")
    private BigDecimal spent;

    @Column(name = "monthly_limit", nullable = false, columnDefinition = "numeric")
    private BigDecimal monthlyLimit;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected BudgetAlert() {}

    public Long getId() {
        return id;
    }

    /** Null once the budget was deleted. */
    public Long getBudgetId() {
        return budgetId;
    }

    /** "Company" or "Project “name”", as it was when the alert fired. */
    public String getScope() {
        return scope;
    }

    public YearMonth getPeriod() {
        return YearMonth.from(period);
    }

    public int getThreshold() {
        return threshold;
    }

    public BigDecimal getSpent() {
        return spent;
    }

    public BigDecimal getMonthlyLimit() {
        return monthlyLimit;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
