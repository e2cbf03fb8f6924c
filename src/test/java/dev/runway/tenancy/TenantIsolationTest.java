package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.base.NotFoundException;
import dev.runway.testing.TenancyFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tenant B can neither see, open, change nor delete tenant A's rows, through services or plain SQL. */
@QuarkusTest
class TenantIsolationTest {

    @Inject
    TeamService team;

    @Inject
    AuditLog audit;

    @Inject
    TenancyFixture fixture;

    @Inject
    EntityManager em;

    TenancyFixture.Company a;
    TenancyFixture.Company b;
    long aMembership;
    long aInvitation;

    @BeforeEach
    void twoCompanies() {
        a = fixture.company();
        b = fixture.company();
        fixture.member(a, Role.ENGINEER);
        TenantContext.runAs(a.owner(), () -> team.invite("pending-" + TenancyFixture.unique() + "@example.com",
                Role.VIEWER));
        TenantContext.runAs(b.owner(), () -> team.invite("pending-" + TenancyFixture.unique() + "@example.com",
                Role.ANALYST));
        aMembership = TenantContext.runAs(a.owner(), () -> team.members().get(1).getId());
        aInvitation = TenantContext.runAs(a.owner(), () -> team.pendingInvitations().get(0).getId());
    }

    @Test
    void b_lists_only_its_own_rows() {
        TenantContext.runAs(b.owner(), () -> {
            assertThat(team.members()).extracting(m -> m.getUser().getEmail()).containsExactly(b.ownerEmail());
            assertThat(team.pendingInvitations()).singleElement().extracting(Invitation::getRole)
                    .isEqualTo(Role.ANALYST);
            assertThat(audit.list("", "")).extracting(AuditEvent::getActorEmail).containsOnly(b.ownerEmail());
        });
    }

    @Test
    void a_foreign_id_looks_exactly_like_a_missing_one() {
        long missing = Long.MAX_VALUE;
        TenantContext.runAs(b.owner(), () -> {
            assertThat(messageOf(() -> team.changeRole(aMembership, Role.VIEWER)))
                    .isEqualTo(messageOf(() -> team.changeRole(missing, Role.VIEWER)));
            assertThat(messageOf(() -> team.removeMember(aMembership)))
                    .isEqualTo(messageOf(() -> team.removeMember(missing)));
            assertThat(messageOf(() -> team.revokeInvitation(aInvitation)))
                    .isEqualTo(messageOf(() -> team.revokeInvitation(missing)));
            assertThat(QuarkusTransaction.requiringNew().call(() -> em.find(Membership.class, aMembership)))
                    .isNull();
        });
        // Nothing of A's changed.
        TenantContext.runAs(a.owner(), () -> {
            assertThat(team.members()).hasSize(2).element(1).extracting(Membership::getRole)
                    .isEqualTo(Role.ENGINEER);
            assertThat(team.pendingInvitations()).hasSize(1);
        });
    }

    @Test
    void bulk_updates_in_b_cannot_touch_a() {
        int updated = TenantContext.runAs(b.owner(), () -> QuarkusTransaction.requiringNew().call(() ->
                em.createQuery("update Membership m set m.role = :role").setParameter("role", Role.VIEWER)
                        .executeUpdate()));
        assertThat(updated).isEqualTo(1);
        TenantContext.runAs(a.owner(), () -> assertThat(team.members()).extracting(Membership::getRole)
                .containsExactly(Role.OWNER, Role.ENGINEER));
        TenantContext.runAs(b.owner(), () -> QuarkusTransaction.requiringNew().run(() ->
                em.createQuery("update Membership m set m.role = :role").setParameter("role", Role.OWNER)
                        .executeUpdate()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"membership", "invitation", "audit_event"})
    void native_sql_in_b_sees_only_b_rows(String table) {
        List<?> tenants = TenantContext.runAs(b.owner(), () -> QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select distinct tenant_id from " + table).getResultList()));
        assertThat(tenants).allSatisfy(t -> assertThat(((Number) t).longValue()).isEqualTo(b.owner().tenantId()));
        assertThat(tenants).isNotEmpty().hasSizeLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"membership", "invitation", "audit_event"})
    void with_no_tenant_set_tenant_owned_tables_look_empty(String table) {
        Number count = QuarkusTransaction.requiringNew().call(() ->
                (Number) em.createNativeQuery("select count(*) from " + table).getSingleResult());
        assertThat(count.longValue()).isZero();
    }

    @Test
    void a_foreign_insert_is_refused_by_row_level_security() {
        assertThatThrownBy(() -> TenantContext.runAs(b.owner(), () -> QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("""
                                insert into audit_event (tenant_id, actor_email, kind, subject, occurred_at)
                                values (:tenant, 'x', 'forged', 'x', now())""")
                        .setParameter("tenant", a.owner().tenantId())
                        .executeUpdate())))
                .hasStackTraceContaining("row-level security");
    }

    @Test
    void the_application_role_owns_no_table_and_cannot_bypass_security() {
        Object[] role = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select rolsuper, rolbypassrls from pg_roles where rolname = current_user").getSingleResult());
        assertThat(role).containsExactly(false, false);
        Number owned = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                "select count(*) from pg_tables where schemaname = 'public' and tableowner = current_user")
                .getSingleResult());
        assertThat(owned.longValue()).isZero();
        List<?> unprotected = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        select c.relname from pg_class c join pg_attribute a on a.attrelid = c.oid
                        where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
                          and a.attname = 'tenant_id' and not (c.relrowsecurity and c.relforcerowsecurity)""")
                .getResultList());
        assertThat(unprotected).as("tenant-owned tables without forced row-level security").isEmpty();
    }

    @Test
    void the_audit_log_is_append_only_for_the_application() {
        assertThatThrownBy(() -> TenantContext.runAs(b.owner(), () -> QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("delete from audit_event").executeUpdate())))
                .hasStackTraceContaining("permission denied");
    }

    private static String messageOf(Runnable action) {
        try {
            action.run();
        } catch (NotFoundException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected not found");
    }
}
