package dev.runway.api;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TenantContext;
import dev.runway.tenancy.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * API keys of the current tenant: created (the key is shown once), listed and revoked by those who manage settings;
 * and the authentication of a request's bearer key, which happens before the tenant is known.
 */
@ApplicationScoped
public class ApiKeyService {

    /** Every key starts with this, so that secret scanners and people recognise it. */
    public static final String KEY_START = "rw_";
    /** last_used_at is written at most this often per key, so a busy key costs no write per request. */
    static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key just created: {@code key} is the only time the whole key is ever seen. */
    public record CreatedKey(ApiKey apiKey, String key) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    DataSource dataSource;

    /**
     * A new key acting with {@code role}, which may not exceed the creator's own role. {@code expiresAt} null means it
     * never expires.
     */
    @Transactional
    public CreatedKey create(String name, Role role, Instant expiresAt) {
        Actor actor = access.require(Permission.MANAGE_SETTINGS);
        if (actor.viaApiKey()) {
            throw new AccessDeniedException("API keys are created on the Settings page, not with another key");
        }
        String keyName = Text.required("name", "Key name", name, ApiKey.NAME_MAX);
        if (role == null) {
            throw new BadInputException("role", "Choose the role the key acts with");
        }
        Role mine = access.currentRole().orElseThrow();
        if (exceeds(role, mine)) {
            throw new BadInputException("role", "A key cannot have more rights than your own role (" + mine.label()
                    + ")");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new BadInputException("expiresAt", "Choose an expiry date in the future, or none");
        }
        byte[] prefixBytes = new byte[6];
        RANDOM.nextBytes(prefixBytes);
        String prefix = HexFormat.of().formatHex(prefixBytes);
        String secret = Tokens.newToken();
        ApiKey key = new ApiKey(keyName, prefix, Tokens.sha256(secret), role, actor.userId(), now, expiresAt);
        em.persist(key);
        audit.record("api_key.created", keyName, null, role.label() + " key " + KEY_START + prefix
                + (expiresAt == null ? ", no expiry" : ", expires " + expiresAt));
        return new CreatedKey(key, KEY_START + prefix + "_" + secret);
    }

    /** Newest first, revoked ones included. */
    @Transactional
    public List<ApiKey> list() {
        access.require(Permission.MANAGE_SETTINGS);
        return em.createQuery("select k from ApiKey k order by k.createdAt desc, k.id desc", ApiKey.class)
                .getResultList();
    }

    /** The key stops working at its next request; revoking twice changes nothing. */
    @Transactional
    public void revoke(long keyId) {
        access.require(Permission.MANAGE_SETTINGS);
        ApiKey key = Optional.ofNullable(em.find(ApiKey.class, keyId))
                .orElseThrow(() -> new NotFoundException("API key"));
        if (!key.isRevoked()) {
            key.revoke(clock.instant());
            audit.record("api_key.revoked", key.getName(), "active", "revoked");
        }
    }

    /** Whether the key's expiry has passed (by the injected clock). */
    public boolean expired(ApiKey key) {
        return key.isExpired(clock.instant());
    }

    /** The roles a person may give a key: those that do not exceed their own. */
    @Transactional
    public List<Role> grantableRoles() {
        access.require(Permission.MANAGE_SETTINGS);
        Role mine = access.currentRole().orElseThrow();
        return Arrays.stream(Role.values()).filter(r -> !exceeds(r, mine)).toList();
    }

    /**
     * The actor a request with this bearer key acts as: the key's creator in the key's tenant, with the key's role.
     * Refuses an unknown, revoked or expired key, and one whose creator is no longer a member.
     */
    public Actor authenticate(String key) {
        String[] parts = key == null ? new String[0] : key.strip().split("_", 3);
        if (parts.length != 3 || !(parts[0] + "_").equals(KEY_START) || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new ApiKeyRejectedException("Send an API key as “Authorization: Bearer rw_…” (create one on the "
                    + "Settings page)");
        }
        Found found = lookup(parts[1], Tokens.sha256(parts[2]))
                .orElseThrow(() -> new ApiKeyRejectedException("Unknown API key"));
        Instant now = clock.instant();
        if (found.revokedAt() != null) {
            throw new ApiKeyRejectedException("This API key was revoked");
        }
        if (found.expiresAt() != null && !now.isBefore(found.expiresAt())) {
            throw new ApiKeyRejectedException("This API key expired at " + found.expiresAt());
        }
        Actor actor = new Actor(found.createdBy(), found.tenantId(), found.role());
        boolean member = TenantContext.runAs(actor, () -> QuarkusTransaction.requiringNew().call(() -> {
            if (!access.can(Permission.READ)) {
                return false;
            }
            if (found.lastUsedAt() == null || found.lastUsedAt().isBefore(now.minus(LAST_USED_PRECISION))) {
                // The condition repeats in SQL so that concurrent requests write once.
                em.createQuery("update ApiKey k set k.lastUsedAt = :now where k.id = :id"
                                + " and (k.lastUsedAt is null or k.lastUsedAt < :due)")
                        .setParameter("now", now).setParameter("id", found.id())
                        .setParameter("due", now.minus(LAST_USED_PRECISION)).executeUpdate();
            }
            return true;
        }));
        if (!member) {
            throw new ApiKeyRejectedException("The member who created this API key has left the company");
        }
        return actor;
    }

    private record Found(long id, long tenantId, Role role, long createdBy, Instant expiresAt, Instant revokedAt,
            Instant lastUsedAt) {}

    /**
     * Through the SECURITY DEFINER function of V8__api_keys.sql: row-level security hides keys until the tenant is
     * known.
     */
    private Optional<Found> lookup(String prefix, String secretHash) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select id, tenant_id, role, created_by, expires_at, "
                        + "revoked_at, last_used_at from api_key_lookup(?, ?)")) {
            s.setString(1, prefix);
            s.setString(2, secretHash);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Found(r.getLong(1), r.getLong(2), Role.valueOf(r.getString(3)), r.getLong(4),
                        instant(r, 5), instant(r, 6), instant(r, 7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not look up an API key", e);
        }
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** An owner key only from an owner; otherwise the key's permissions must all be the creator's. */
    static boolean exceeds(Role key, Role creator) {
        if (key == Role.OWNER && creator != Role.OWNER) {
            return true;
        }
        return Arrays.stream(Permission.values()).anyMatch(p -> key.allows(p) && !creator.allows(p));
    }
}
