package dev.runway.tenancy;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import dev.runway.base.Text;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The team of a tenant: members and their roles, invitations, and the rule that a tenant always keeps an owner.
 * Only an owner may make, demote or remove owners.
 */
@ApplicationScoped
public class TeamService {

    public static final Duration INVITATION_VALIDITY = Duration.ofDays(7);

    /** What the inviter sees: the link to pass on (shown once), and whether it was mailed; {@code id} revokes it. */
    public record InvitationLink(long id, String email, Role role, String url, Instant expiresAt, boolean mailed) {}

    /** What the invitation page shows before accepting. */
    public record InvitationDetails(String companyName, String email, Role role, boolean existingAccount,
            Instant expiresAt) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    AuthService auth;

    @Inject
    Passwords passwords;

    @Inject
    Users users;

    @Inject
    Throttle throttle;

    @Inject
    InvitationMailer mailer;

    @Inject
    Clock clock;

    @ConfigProperty(name = "runway.public-url")
    String publicUrl;

    @Transactional
    public List<Membership> members() {
        access.require(Permission.READ);
        return em.createQuery("""
                        select m from Membership m join fetch m.user where m.tenantId = :tenant
                        order by m.createdAt, m.id""", Membership.class)
                .setParameter("tenant", currentTenantId())
                .getResultList();
    }

    @Transactional
    public List<Invitation> pendingInvitations() {
        access.require(Permission.READ);
        return em.createQuery("""
                        select i from Invitation i
                        where i.acceptedAt is null and i.revokedAt is null and i.expiresAt > :now
                        order by i.createdAt desc""", Invitation.class)
                .setParameter("now", clock.instant())
                .getResultList();
    }

    /** Invites {@code email} with {@code role}; a pending invitation for the same address is replaced. */
    @Transactional
    public InvitationLink invite(String email, Role role) {
        Actor actor = access.require(Permission.MANAGE_TEAM);
        String address = Text.email("email", email);
        if (role == null) {
            throw new BadInputException("role", "Choose a role");
        }
        requireOwnerFor(actor, role);
        boolean member = em.createQuery("""
                        select count(m) from Membership m where m.user.email = :email and m.tenantId = :tenant""",
                        Long.class)
                .setParameter("email", address).setParameter("tenant", actor.tenantId()).getSingleResult() > 0;
        if (member) {
            throw new BadInputException("email", address + " is already a member of this company");
        }
        Instant now = clock.instant();
        em.createQuery("""
                        select i from Invitation i
                        where i.email = :email and i.acceptedAt is null and i.revokedAt is null""", Invitation.class)
                .setParameter("email", address)
                .getResultList()
                .forEach(old -> {
                    old.revoke(now);
                    audit.record("invitation.replaced", address, old.getRole().name(), null);
                });
        String token = Tokens.newToken();
        Invitation invitation = new Invitation(address, role, Tokens.sha256(token), actor.userId(), now,
                now.plus(INVITATION_VALIDITY));
        em.persist(invitation);
        audit.record("invitation.created", address, null, role.name());
        String url = publicUrl.replaceAll("/+$", "") + "/invitation/" + actor.tenantId() + "/" + token;
        Tenant tenant = em.find(Tenant.class, actor.tenantId());
        AppUser inviter = em.find(AppUser.class, actor.userId());
        boolean mailed = mailer.send(address, inviter.getDisplayName(), tenant.getName(), role, url);
        return new InvitationLink(invitation.getId(), address, role, url, invitation.getExpiresAt(), mailed);
    }

    @Transactional
    public void revokeInvitation(long invitationId) {
        access.require(Permission.MANAGE_TEAM);
        Invitation invitation = Optional.ofNullable(em.find(Invitation.class, invitationId))
                .orElseThrow(() -> new NotFoundException("Invitation"));
        if (!invitation.isPending(clock.instant())) {
            throw new BadInputException(null, "This invitation is no longer pending");
        }
        invitation.revoke(clock.instant());
        audit.record("invitation.revoked", invitation.getEmail(), invitation.getRole().name(), null);
    }

    @Transactional
    public void changeRole(long membershipId, Role role) {
        Actor actor = access.require(Permission.MANAGE_TEAM);
        if (role == null) {
            throw new BadInputException("role", "Choose a role");
        }
        Membership membership = find(membershipId);
        Role before = membership.getRole();
        if (before == role) {
            return;
        }
        requireOwnerFor(actor, before);
        requireOwnerFor(actor, role);
        if (before == Role.OWNER) {
            requireAnotherOwner(membership, "demoted");
        }
        membership.setRole(role);
        audit.record("member.role_changed", membership.getUser().getEmail(), before.name(), role.name());
    }

    @Transactional
    public void removeMember(long membershipId) {
        Actor actor = access.require(Permission.MANAGE_TEAM);
        Membership membership = find(membershipId);
        requireOwnerFor(actor, membership.getRole());
        if (membership.getRole() == Role.OWNER) {
            requireAnotherOwner(membership, "removed");
        }
        em.remove(membership);
        audit.record("member.removed", membership.getUser().getEmail(), membership.getRole().name(), null);
    }

    /** Reads an invitation from its link, or says clearly why it cannot be used. Runs as the link's tenant. */
    @Transactional
    public InvitationDetails describeInvitation(String token) {
        Invitation invitation = usableInvitation(token, false);
        Tenant tenant = em.find(Tenant.class, currentTenantId());
        return new InvitationDetails(tenant.getName(), invitation.getEmail(), invitation.getRole(),
                users.exists(invitation.getEmail()), invitation.getExpiresAt());
    }

    /**
     * Accepts an invitation, as the link's tenant. An existing account proves itself with its password (counted
     * like a sign-in); a new one is created with {@code name} and {@code password}. Attempts are throttled per client
     * address like sign-ins. The password is checked or hashed between short transactions, holding no connection.
     *
     * @return the actor to sign in as
     */
    @Transactional(Transactional.TxType.NEVER)
    public Actor acceptInvitation(String token, String name, String password, String clientAddress) {
        String email = QuarkusTransaction.requiringNew().call(() -> pendingEmail(token));
        boolean existing = QuarkusTransaction.requiringNew().call(() -> users.exists(email));
        if (existing) {
            long userId = auth.verify(email, password, clientAddress);
            return QuarkusTransaction.requiringNew().call(() ->
                    join(usableInvitation(token, true), users.actAs(userId)));
        }
        throttle.attempt(List.of(Throttle.client(clientAddress)));
        String checkedName = QuarkusTransaction.requiringNew().call(() -> {
            Invitation invitation = usableInvitation(token, false);
            String displayName = Text.required("name", "Your name", name, AppUser.NAME_MAX);
            passwords.checkStrength("password", password, invitation.getEmail(),
                    em.find(Tenant.class, currentTenantId()).getName());
            return displayName;
        });
        String hash = passwords.hash(password);
        Actor actor = QuarkusTransaction.requiringNew().call(() -> {
            Invitation invitation = usableInvitation(token, true);
            return join(invitation, users.create(invitation.getEmail(), checkedName, hash, clock.instant()));
        });
        throttle.succeeded(List.of(), List.of(Throttle.client(clientAddress)));
        return actor;
    }

    /** Makes {@code user} a member through {@code invitation} (locked), which it uses up. */
    private Actor join(Invitation invitation, AppUser user) {
        Instant now = clock.instant();
        long userId = user.getId();
        boolean member = em.createQuery("""
                        select count(m) from Membership m where m.user.id = :user and m.tenantId = :tenant""",
                        Long.class)
                .setParameter("user", userId).setParameter("tenant", currentTenantId()).getSingleResult() > 0;
        if (!member) {
            em.persist(new Membership(user, invitation.getRole(), now));
            audit.record(user, "member.joined", user.getEmail(), null, invitation.getRole().name());
        }
        invitation.accept(userId, now);
        return new Actor(userId, currentTenantId());
    }

    /** The email a still-usable invitation is for, or "" (an unusable one fails with its message later). */
    private String pendingEmail(String token) {
        try {
            return usableInvitation(token, false).getEmail();
        } catch (BadInputException e) {
            return "";
        }
    }

    private Invitation usableInvitation(String token, boolean lock) {
        String invalid = "This invitation link is not valid. Check that you copied all of it, or ask for a new one.";
        if (token == null || token.isBlank() || token.length() > 100) {
            throw new BadInputException(null, invalid);
        }
        Invitation invitation = em.createQuery("select i from Invitation i where i.tokenHash = :hash",
                        Invitation.class)
                .setParameter("hash", Tokens.sha256(token))
                .setLockMode(lock ? LockModeType.PESSIMISTIC_WRITE : LockModeType.NONE)
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> new BadInputException(null, invalid));
        if (invitation.getAcceptedAt() != null) {
            throw new BadInputException(null, "This invitation has already been used. Sign in instead.");
        }
        if (invitation.getRevokedAt() != null) {
            throw new BadInputException(null, "This invitation was withdrawn. Ask for a new one.");
        }
        if (!clock.instant().isBefore(invitation.getExpiresAt())) {
            throw new BadInputException(null, "This invitation expired. Ask the person who invited you for a new one.");
        }
        return invitation;
    }

    /**
     * Membership queries name their tenant: row-level security also shows the acting user's own memberships in
     * other tenants (for the switcher), which the {@link TenantGuard} would refuse loudly, and to the caller another
     * tenant's membership must look exactly like a missing one.
     */
    private Membership find(long membershipId) {
        return em.createQuery("select m from Membership m where m.id = :id and m.tenantId = :tenant",
                        Membership.class)
                .setParameter("id", membershipId).setParameter("tenant", currentTenantId())
                .getResultStream().findFirst()
                .orElseThrow(() -> new NotFoundException("Member"));
    }

    /** Making, demoting or removing an owner is for owners only. */
    private void requireOwnerFor(Actor actor, Role role) {
        // An API key acts with the lesser of its role and its creator's: an owner's Admin key makes no owners.
        boolean owner = access.currentRole().orElse(null) == Role.OWNER
                && (actor.keyRole() == null || actor.keyRole() == Role.OWNER);
        if (role == Role.OWNER && !owner) {
            throw new AccessDeniedException("Only an owner may make, demote or remove owners");
        }
    }

    /** Locks the owners' rows, so two owners demoting each other at once cannot leave none. */
    private void requireAnotherOwner(Membership membership, String change) {
        List<Membership> owners = em.createQuery(
                        "select m from Membership m where m.role = :owner and m.tenantId = :tenant", Membership.class)
                .setParameter("owner", Role.OWNER).setParameter("tenant", currentTenantId())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        if (owners.stream().noneMatch(o -> !o.getId().equals(membership.getId()))) {
            throw new BadInputException(null,
                    "The last owner cannot be " + change + ". Make another member an owner first.");
        }
    }

    private static long currentTenantId() {
        return TenantContext.current().orElseThrow().tenantId();
    }
}
