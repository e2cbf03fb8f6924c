package dev.runway.tenancy;

/**
 * Who acts, for which tenant: the signed-in user's current tenant, or what a background job was handed. A request
 * made with an API key acts as the key's creator with the key's role ({@code keyRole}); {@link Access} then allows
 * only what both the key's role and the creator's current role allow.
 *
 * @param keyRole the role of the API key the request came with, or null for a person (or their background work)
 */
public record Actor(long userId, long tenantId, Role keyRole) {

    public Actor(long userId, long tenantId) {
        this(userId, tenantId, null);
    }

    public boolean viaApiKey() {
        return keyRole != null;
    }
}
