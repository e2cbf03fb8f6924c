package dev.runway.billing;

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

/** One line of an invoice: a project's use of one resource at one price. */
@Entity
@Table(name = "invoice_line")
@EntityListeners(TenantGuard.class)
public class InvoiceLine {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "invoice_id", nullable = false, updatable = false)
    private long invoiceId;

    @Column(nullable = false, updatable = false)
    private int position;

    @Column(name = "project_id", updatable = false)
    private Long projectId;

    @Column(nullable = false, updatable = false, length = 300)
    private String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false, length = 8)
    private Resource resource;

    @Column(nullable = false, updatable = false, precision = 20, scale = 6)
    private BigDecimal quantity;

    @Column(nullable = false, updatable = false, length = 16)
    private String unit;

    @Column(name = "unit_price", nullable = false, updatable = false, precision = 12, scale = 4)
    private BigDecimal unitPrice;

    @Column(nullable = false, updatable = false, precision = 14, scale = 2)
    private BigDecimal amount;

    @Column(name = "price_version", nullable = false, updatable = false)
    private int priceVersion;

    protected InvoiceLine() {}

    InvoiceLine(long invoiceId, int position, Rating.Line line) {
        this.invoiceId = invoiceId;
        this.position = position;
        this.projectId = line.projectId();
        this.description = line.description();
        this.resource = line.resource();
        this.quantity = line.quantity();
        this.unit = line.resource().unit();
        this.unitPrice = line.unitPrice();
        this.amount = line.amount();
        this.priceVersion = line.priceVersion();
    }

    public int getPosition() {
        return position;
    }

    public Long getProjectId() {
        return projectId;
    }

    public String getDescription() {
        return description;
    }

    public Resource getResource() {
        return resource;
    }

    public BigDecimal getQuantity() {
        return quantity;
    }

    public String getUnit() {
        return unit;
    }

    public BigDecimal getUnitPrice() {
        return unitPrice;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public int getPriceVersion() {
        return priceVersion;
    }
}
