package dev.runway.tenancy;

import java.util.Objects;

/**
 * Who acts, for which tenant: the signed-in user's current tenant, or what a background job was handed. A request
 * made with an API key acts as the key's creator with the key's role ({@code keyRole}); {@link Access} then allows
 * only what both the key's role and the creator's current role allow.
 *
 * @param keyRole the role of the API key the request came with, or null for a person (or their background work)
 * @param passwordOnly a browser session signed in without a second factor: {@link Access} refuses it in a company
 *     that requires two-factor sign-in (also when the owner turned that on after this session signed in)
 */
public record Actor(long userId, long tenantId, Role keyRole, boolean passwordOnly) {

    public Actor(long userId, long tenantId) {
        this(userId, tenantId, null, false);
    }

    public Actor(long userId, long tenantId, Role keyRole) {
        this(userId, tenantId, keyRole, false);
    }

    /**
     * The same actor whichever way the session signed in: {@code passwordOnly} is how a session signed in, not who
     * acts, so it takes no part in equality.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Actor a && a.userId == userId && a.tenantId == tenantId && a.keyRole == keyRole;
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, tenantId, keyRole);
    }

    /** The same actor, for a session that signed in with the password alone. */
    public Actor withPasswordOnly(boolean value) {
        return new Actor(userId, tenantId, keyRole, value);
    }

    public boolean viaApiKey() {
        return keyRole != null;
    }
}
