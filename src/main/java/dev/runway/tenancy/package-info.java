/**
 * Tenants, users, memberships and roles, invitations, sign-up and login, the tenant context (PostgreSQL
 * row-level security and the {@link dev.runway.tenancy.TenantGuard} on every tenant-owned entity), and the audit log.
 */
package dev.runway.tenancy;
