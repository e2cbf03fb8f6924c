package dev.runway.model;

import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantGuard;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** The stored form of a project's {@link PromotionRules}; a project without a row has the defaults. */
@Entity
@Table(name = "model_promotion_rule")
@EntityListeners(TenantGuard.class)
class PromotionRule {

    @Id
    @Column(name = "project_id")
    private Long projectId;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private Long tenantId;

    @Column(name = "staging_roles", nullable = false, columnDefinition = "text[]")
    private String[] stagingRoles;

    @Column(name = "production_roles", nullable = false, columnDefinition = "text[]")
    private String[] productionRoles;

    @Column(name = "approvals_required", nullable = false)
    private int approvalsRequired;

    @Column(name = "gate_metric", length = 64)
    private String gateMetric;

    @Enumerated(EnumType.STRING)
    @Column(name = "gate_operator", length = 8)
    private PromotionRules.Operator gateOperator;

    @Column(name = "gate_threshold")
    private Double gateThreshold;

    @Column(name = "updated_by", nullable = false)
    private Long updatedBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected PromotionRule() {}

    PromotionRule(Long projectId) {
        this.projectId = projectId;
    }

    void set(PromotionRules rules, Long by, Instant at) {
        stagingRoles = rules.stagingRoles().stream().map(Role::name).toArray(String[]::new);
        productionRoles = rules.productionRoles().stream().map(Role::name).toArray(String[]::new);
        approvalsRequired = rules.approvalsRequired();
        gateMetric = rules.gate() == null ? null : rules.gate().metric();
        gateOperator = rules.gate() == null ? null : rules.gate().operator();
        gateThreshold = rules.gate() == null ? null : rules.gate().threshold();
        updatedBy = by;
        updatedAt = at;
    }

    PromotionRules rules() {
        return new PromotionRules(roles(stagingRoles), roles(productionRoles), approvalsRequired,
                gateMetric == null ? null : new PromotionRules.Gate(gateMetric, gateOperator, gateThreshold));
    }

    private static Set<Role> roles(String[] names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream(names).map(Role::valueOf).forEach(roles::add);
        return roles;
    }
}
