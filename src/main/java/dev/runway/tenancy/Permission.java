package dev.runway.tenancy;

/** What a service method may require of the caller. {@link Role} says who holds which; docs/roles.md shows the table. */
public enum Permission {
    /** See the tenant's projects, datasets, runs, models, budget summary and team. */
    READ,
    /** Create and change projects and datasets; start, cancel and retry runs. */
    MANAGE_PROJECTS,
    /** Evaluate models and comment. */
    EVALUATE,
    /** Funding, budgets, invoices, plans. */
    MANAGE_BUDGET,
    /** See invoices and usage. */
    READ_BILLING,
    /** Invite, change roles, remove members. */
    MANAGE_TEAM,
    /** Read the audit log. */
    READ_AUDIT,
    /** Tenant settings and API keys. */
    MANAGE_SETTINGS
}
