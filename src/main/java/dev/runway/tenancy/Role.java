package dev.runway.tenancy;

import static dev.runway.tenancy.Permission.EVALUATE;
import static dev.runway.tenancy.Permission.MANAGE_BUDGET;
import static dev.runway.tenancy.Permission.MANAGE_PROJECTS;
import static dev.runway.tenancy.Permission.MANAGE_SETTINGS;
import static dev.runway.tenancy.Permission.MANAGE_TEAM;
import static dev.runway.tenancy.Permission.READ;
import static dev.runway.tenancy.Permission.READ_AUDIT;
import static dev.runway.tenancy.Permission.READ_BILLING;

import java.util.EnumSet;
import java.util.Set;

/** A member's role in a tenant, and the one permission table of Runway. */
public enum Role {
    OWNER("Owner", "Everything, including the team's owners", EnumSet.allOf(Permission.class)),
    ADMIN("Admin", "Everything but making or removing owners", EnumSet.allOf(Permission.class)),
    ENGINEER("Engineer", "Projects, datasets and runs", EnumSet.of(READ, MANAGE_PROJECTS, EVALUATE)),
    ANALYST("Analyst", "Reads everything, evaluates and comments", EnumSet.of(READ, EVALUATE)),
    BILLING("Billing", "Funding, budgets and invoices", EnumSet.of(READ, MANAGE_BUDGET, READ_BILLING)),
    VIEWER("Viewer", "Reads only", EnumSet.of(READ));

    private final String label;
    private final String summary;
    private final Set<Permission> permissions;

    Role(String label, String summary, Set<Permission> permissions) {
        this.label = label;
        this.summary = summary;
        this.permissions = permissions;
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    public String label() {
        return label;
    }

    public String summary() {
        return summary;
    }
}
