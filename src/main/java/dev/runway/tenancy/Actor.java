package dev.runway.tenancy;

/** Who acts, for which tenant: the signed-in user's current tenant, or what a background job was handed. */
public record Actor(long userId, long tenantId) {}
