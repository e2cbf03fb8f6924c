package dev.runway.model;

import dev.runway.tenancy.Role;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A project's promotion rules: which roles may move a version to Staging and to Production, how many approvals a
 * move to Production needs (four eyes), and an optional metric gate a version must pass to enter Production.
 *
 * @param approvalsRequired 0 (a permitted member promotes at once) to {@link #APPROVALS_MAX}
 * @param gate null when the project has none
 */
public record PromotionRules(Set<Role> stagingRoles, Set<Role> productionRoles, int approvalsRequired, Gate gate) {

    public static final int APPROVALS_MAX = 5;

    /** What a project without rules of its own gets. */
    public static final PromotionRules DEFAULTS = new PromotionRules(
            EnumSet.of(Role.OWNER, Role.ADMIN, Role.ENGINEER, Role.ANALYST),
            EnumSet.of(Role.OWNER, Role.ADMIN, Role.ENGINEER), 0, null);

    public PromotionRules {
        stagingRoles = stagingRoles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(stagingRoles);
        productionRoles = productionRoles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(productionRoles);
    }

    /** The roles that may move a version into {@code stage} (Production's for leaving Production, too). */
    public Set<Role> rolesFor(ModelStage stage) {
        return stage == ModelStage.PRODUCTION ? productionRoles : stagingRoles;
    }

    public enum Operator {
        GTE("≥", "below"),
        LTE("≤", "above");

        private final String symbol;
        private final String failing;

        Operator(String symbol, String failing) {
            this.symbol = symbol;
            this.failing = failing;
        }

        public String symbol() {
            return symbol;
        }

        boolean passes(double value, double threshold) {
            return this == GTE ? value >= threshold : value <= threshold;
        }
    }

    /** A figure a version must reach to enter Production, e.g. accuracy ≥ 0.95 or mse ≤ 0.2. */
    public record Gate(String metric, Operator operator, double threshold) {

        public Gate {
            metric = metric.strip().toLowerCase(Locale.ROOT);
        }

        boolean passes(double value) {
            return operator.passes(value, threshold);
        }

        String failing() {
            return operator.failing;
        }

        @Override
        public String toString() {
            return metric + " " + operator.symbol + " " + ModelLifecycle.figure(threshold);
        }
    }
}
