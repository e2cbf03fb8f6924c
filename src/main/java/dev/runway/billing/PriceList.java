package dev.runway.billing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One version of a plan's prices in one currency; Runway's own, read-only to the application. */
@Entity
@Immutable
@Table(name = "price_list")
public class PriceList {

    @Id
    private Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Plan plan;

    @Column(nullable = false)
    private int version;

    @Column(nullable = false, length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)   // char(3) in the schema, blank-padded
    private String currency;

    @Column(name = "effective_from", nullable = false)
    private Instant effectiveFrom;

    @Column(name = "gpu_hour", precision = 12, scale = 4)
    private BigDecimal gpuHour;

    @Column(name = "cpu_hour", nullable = false, precision = 12, scale = 4)
    private BigDecimal cpuHour;

    @Column(name = "gb_month", nullable = false, precision = 12, scale = 4)
    private BigDecimal gbMonth;

    @Column(name = "cpu_minutes_included")
    private Integer cpuMinutesIncluded;

    @Column(nullable = false)
    private int concurrency;

    protected PriceList() {}

    public Long getId() {
        return id;
    }

    public Plan getPlan() {
        return plan;
    }

    public int getVersion() {
        return version;
    }

    public Currency getCurrency() {
        return Currency.getInstance(currency);
    }

    public Instant getEffectiveFrom() {
        return effectiveFrom;
    }

    public boolean allowsGpu() {
        return gpuHour != null;
    }

    /** The price of one {@link Resource#unit()}; GPU time on a plan without GPUs is refused before it is used. */
    public BigDecimal unitPrice(Resource resource) {
        return switch (resource) {
            case GPU -> gpuHour == null ? BigDecimal.ZERO : gpuHour;
            case CPU -> cpuHour;
            case STORAGE -> gbMonth;
        };
    }

    public Optional<Integer> cpuMinutesIncluded() {
        return Optional.ofNullable(cpuMinutesIncluded);
    }

    public int getConcurrency() {
        return concurrency;
    }
}
