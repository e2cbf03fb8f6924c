package dev.runway.tenancy;

import static dev.runway.testing.Acting.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.AccessDeniedException;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Table;
import jakarta.persistence.metamodel.EntityType;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application's wall ({@link TenantGuard}) behind row-level security: a row of another tenant that reaches
 * Hibernate, through a policy that shows more than the tenant's rows or a connection set to another tenant, fails
 * loudly and returns nothing; a new row naming another tenant is refused.
 */
@QuarkusTest
class TenantGuardTest {

    @Inject
    TenancyFixture fixture;

    @Inject
    TeamService team;

    @Inject
    Access access;

    @Inject
    EntityManager em;

    TenancyFixture.Company a;
    TenancyFixture.Company b;
    /** A's owner, also a viewer in B: row-level security shows them their own memberships in both. */
    Actor inB;

    @BeforeEach
    void aUserInTwoCompanies() {
        a = fixture.company();
        b = fixture.company();
        inB = fixture.join(b, a.ownerEmail(), Role.VIEWER);
    }

    @Test
    void a_member_of_another_company_joins_with_the_invited_role_and_no_more() {
        assertThat(inB.userId()).isEqualTo(a.owner().userId());
        assertThat(TenantContext.runAs(inB, () -> access.currentRole())).contains(Role.VIEWER);
        assertThat(TenantContext.runAs(a.owner(), () -> access.currentRole())).contains(Role.OWNER);
        assertThatThrownBy(() -> TenantContext.runAs(inB, () -> team.invite("x-" + TenancyFixture.unique()
                + "@example.com", Role.VIEWER))).isInstanceOf(AccessDeniedException.class);
        assertThat(TenantContext.runAs(inB, () -> team.members())).extracting(m -> m.getUser().getEmail())
                .containsExactly(b.ownerEmail(), a.ownerEmail());
        assertThat(TenantContext.runAs(a.owner(), () -> team.members())).extracting(m -> m.getUser().getEmail())
                .containsExactly(a.ownerEmail());
    }

    @Test
    void a_membership_query_that_forgets_its_tenant_fails_loudly_and_returns_nothing() {
        AtomicReference<List<Membership>> seen = new AtomicReference<>();
        assertRefused(() -> tx(a.owner(), () -> {
            seen.set(em.createQuery("select m from Membership m where m.user.id = :user", Membership.class)
                    .setParameter("user", a.owner().userId()).getResultList());
            return null;
        }), "load Membership of tenant " + b.owner().tenantId() + " while tenant " + a.owner().tenantId());
        assertThat(seen).hasNullValue();
        // With its tenant named the same query is fine.
        assertThat(tx(a.owner(), () -> em.createQuery(
                        "select m from Membership m where m.user.id = :user and m.tenantId = :tenant", Membership.class)
                .setParameter("user", a.owner().userId()).setParameter("tenant", a.owner().tenantId())
                .getResultList())).singleElement().extracting(Membership::getRole).isEqualTo(Role.OWNER);
    }

    @Test
    void a_row_of_another_tenant_fails_loudly_when_the_connection_was_set_to_that_tenant() {
        long bInvitation = TenantContext.runAs(b.owner(), () -> {
            team.invite("pending-" + TenancyFixture.unique() + "@example.com", Role.ANALYST);
            return team.pendingInvitations().get(0).getId();
        });
        AtomicReference<Invitation> seen = new AtomicReference<>();
        assertRefused(() -> tx(a.owner(), () -> {
            em.createNativeQuery("select set_config('app.tenant_id', cast(:tenant as text), true)")
                    .setParameter("tenant", b.owner().tenantId()).getSingleResult();
            seen.set(em.find(Invitation.class, bInvitation));
            return null;
        }), "load Invitation of tenant " + b.owner().tenantId());
        assertThat(seen).hasNullValue();
        assertThat(tx(b.owner(), () -> em.find(Invitation.class, bInvitation))).isNotNull();
    }

    @Test
    void a_new_row_naming_another_tenant_is_refused_and_one_naming_none_is_stamped() throws Exception {
        java.lang.reflect.Field tenantId = Invitation.class.getDeclaredField("tenantId");
        tenantId.setAccessible(true);
        assertRefused(() -> tx(a.owner(), () -> {
            Invitation forged = invitation();
            set(tenantId, forged, b.owner().tenantId());
            em.persist(forged);
            return null;
        }), "persist Invitation of tenant " + b.owner().tenantId() + " while tenant " + a.owner().tenantId());
        assertThat(invitations(b.owner())).isZero();

        assertRefused(() -> tx(null, () -> {
            em.persist(invitation());
            return null;
        }), "persist Invitation of tenant null while no tenant acts");

        Invitation stamped = invitation();
        tx(a.owner(), () -> {
            em.persist(stamped);
            return null;
        });
        assertThat(tenantId.get(stamped)).isEqualTo(a.owner().tenantId());
        assertThat(invitations(a.owner())).isEqualTo(1);
    }

    private long invitations(Actor actor) {
        return tx(actor, () -> em.createQuery("select count(i) from Invitation i where i.email like 'forged-%'",
                Long.class).getSingleResult());
    }

    private Invitation invitation() {
        Instant now = Instant.now();
        return new Invitation("forged-" + TenancyFixture.unique() + "@example.com", Role.VIEWER,
                Tokens.sha256(TenancyFixture.unique()), a.owner().userId(), now, now.plusSeconds(3600));
    }

    @Test
    void every_entity_on_a_tenant_owned_table_is_guarded() {
        @SuppressWarnings("unchecked")
        Set<String> tenantTables = new HashSet<>(tx(a.owner(), () -> em.createNativeQuery("""
                select table_name from information_schema.columns
                where table_schema = 'public' and column_name = 'tenant_id'""").getResultList()));
        assertThat(tenantTables).contains("membership", "run", "project");
        for (EntityType<?> entity : em.getMetamodel().getEntities()) {
            Class<?> type = entity.getJavaType();
            String table = type.getAnnotation(Table.class).name();
            EntityListeners listeners = type.getAnnotation(EntityListeners.class);
            boolean guarded = listeners != null && Arrays.asList(listeners.value()).contains(TenantGuard.class);
            assertThat(guarded).as("%s (table %s) is guarded by TenantGuard", type.getSimpleName(), table)
                    .isEqualTo(tenantTables.contains(table));
        }
    }

    private static void set(java.lang.reflect.Field field, Object target, Object value) {
        try {
            field.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails unless {@code action} ends in the guard's refusal, whatever the layers wrapped around it. */
    private static void assertRefused(ThrowingCallable action, String message) {
        assertThatThrownBy(action).satisfies(thrown -> {
            Throwable root = thrown;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("SECURITY: refused to").hasMessageContaining(message);
        });
    }
}
