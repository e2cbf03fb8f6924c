/**
 * Tenants, users, memberships and roles, invitations, sign-up and login, the tenant context (Hibernate's
 * {@code @TenantId} and PostgreSQL row-level security), and the audit log.
 */
package dev.runway.tenancy;
