package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.testing.TenancyFixture;
import dev.runway.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TeamServiceTest {

    @Inject
    TeamService team;

    @Inject
    AuthService auth;

    @Inject
    AuditLog audit;

    @Inject
    TenancyFixture fixture;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void an_invited_new_user_joins_with_the_role_and_signs_in_to_the_company() {
        TenancyFixture.Company company = fixture.company();
        String email = "new-" + TenancyFixture.unique() + "@example.com";
        TeamService.InvitationLink link = as(company.owner(), () -> team.invite(email, Role.ENGINEER));

        assertThat(link.url()).startsWith("http://localhost:8081/invitation/" + company.owner().tenantId() + "/");
        assertThat(link.expiresAt()).isAfter(clock.instant().plus(Duration.ofDays(6)));
        assertThat(link.mailed()).isFalse();
        Actor linkTenant = new Actor(0, company.owner().tenantId());
        TeamService.InvitationDetails details = as(linkTenant,
                () -> team.describeInvitation(TenancyFixture.token(link.url())));
        assertThat(details.existingAccount()).isFalse();
        assertThat(details.role()).isEqualTo(Role.ENGINEER);

        Actor joined = as(linkTenant,
                () -> team.acceptInvitation(TenancyFixture.token(link.url()), "Grace", TenancyFixture.PASSWORD,
                        TenancyFixture.client()));

        assertThat(joined.tenantId()).isEqualTo(company.owner().tenantId());
        assertThat(auth.login(email, TenancyFixture.PASSWORD, TenancyFixture.client()).actor()).isEqualTo(joined);
        as(company.owner(), () -> assertThat(team.members())
                .extracting(m -> m.getUser().getEmail(), Membership::getRole)
                .contains(tuple(email, Role.ENGINEER)));
    }

    @Test
    void an_existing_user_accepts_with_their_own_password_only() {
        TenancyFixture.Company home = fixture.company();
        TenancyFixture.Company other = fixture.company();
        String url = as(other.owner(), () -> team.invite(home.ownerEmail(), Role.VIEWER)).url();
        Actor linkTenant = new Actor(0, other.owner().tenantId());
        String token = TenancyFixture.token(url);

        assertThat(as(linkTenant, () -> team.describeInvitation(token)).existingAccount()).isTrue();
        assertThatThrownBy(() -> as(linkTenant,
                () -> team.acceptInvitation(token, null, "not my password!", TenancyFixture.client())))
                .hasMessage(AuthService.WRONG_CREDENTIALS);
        Actor joined = as(linkTenant,
                () -> team.acceptInvitation(token, null, TenancyFixture.PASSWORD, TenancyFixture.client()));

        assertThat(joined).isEqualTo(new Actor(home.owner().userId(), other.owner().tenantId()));
    }

    @Test
    void used_expired_withdrawn_and_tampered_invitations_are_refused_with_their_reason() {
        TenancyFixture.Company company = fixture.company();
        Actor linkTenant = new Actor(0, company.owner().tenantId());
        String used = TenancyFixture.token(invite(company, Role.ANALYST));
        as(linkTenant, () -> team.acceptInvitation(used, "Once", TenancyFixture.PASSWORD, TenancyFixture.client()));
        assertRefused(linkTenant, used, "already been used");

        String tampered = used.substring(0, used.length() - 2) + (used.endsWith("AA") ? "BB" : "AA");
        assertRefused(linkTenant, tampered, "not valid");
        // The right token under another tenant's id is as invalid as a made-up one.
        TenancyFixture.Company other = fixture.company();
        String fresh = TenancyFixture.token(invite(company, Role.ANALYST));
        assertRefused(new Actor(0, other.owner().tenantId()), fresh, "not valid");

        String withdrawn = invite(company, Role.VIEWER);
        long id = as(company.owner(), () -> team.pendingInvitations().stream()
                .filter(i -> i.getRole() == Role.VIEWER).findFirst().orElseThrow().getId());
        as(company.owner(), () -> team.revokeInvitation(id));
        assertRefused(linkTenant, TenancyFixture.token(withdrawn), "withdrawn");

        clock.advance(TeamService.INVITATION_VALIDITY.plusMinutes(1));
        assertRefused(linkTenant, fresh, "expired");
    }

    @Test
    void the_last_owner_can_be_neither_demoted_nor_removed() {
        TenancyFixture.Company company = fixture.company();
        long ownerMembership = membershipOf(company.owner(), company.ownerEmail());

        assertThatThrownBy(() -> as(company.owner(), () -> team.changeRole(ownerMembership, Role.ADMIN)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("last owner cannot be demoted");
        assertThatThrownBy(() -> as(company.owner(), () -> team.removeMember(ownerMembership)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("last owner cannot be removed");

        Actor second = fixture.member(company, Role.OWNER);
        as(second, () -> team.changeRole(ownerMembership, Role.ADMIN));
        long secondMembership = as(second, () -> team.members().stream()
                .filter(m -> m.getUser().getId() == second.userId()).findFirst().orElseThrow().getId());
        assertThatThrownBy(() -> as(second, () -> team.removeMember(secondMembership)))
                .hasMessageContaining("last owner");
    }

    @Test
    void roles_are_enforced_by_the_services() {
        TenancyFixture.Company company = fixture.company();
        Actor viewer = fixture.member(company, Role.VIEWER);
        Actor engineer = fixture.member(company, Role.ENGINEER);
        Actor billing = fixture.member(company, Role.BILLING);
        Actor admin = fixture.member(company, Role.ADMIN);
        String someone = "x-" + TenancyFixture.unique() + "@example.com";

        assertThatThrownBy(() -> as(viewer, () -> team.invite(someone, Role.VIEWER)))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("Viewer");
        assertThatThrownBy(() -> as(engineer, () -> audit.list("", "")))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> as(billing, () -> team.removeMember(membershipOf(company.owner(), someone))))
                .isInstanceOf(AccessDeniedException.class);
        // An admin manages the team but makes no owners.
        assertThatThrownBy(() -> as(admin, () -> team.invite(someone, Role.OWNER)))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("Only an owner");
        assertThat(as(admin, () -> team.invite(someone, Role.ANALYST)).role()).isEqualTo(Role.ANALYST);
        assertThat(as(viewer, () -> team.members())).hasSize(5);

        // A removed member loses access at their next action.
        long viewerMembership = membershipOf(company.owner(), null, viewer.userId());
        as(company.owner(), () -> team.removeMember(viewerMembership));
        assertThatThrownBy(() -> as(viewer, () -> team.members()))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("not a member");
    }

    @Test
    void every_change_is_audited_with_before_and_after_and_can_be_filtered() {
        TenancyFixture.Company company = fixture.company();
        Actor member = fixture.member(company, Role.VIEWER);
        long membership = membershipOf(company.owner(), null, member.userId());
        as(company.owner(), () -> team.changeRole(membership, Role.ANALYST));

        as(company.owner(), () -> {
            var events = audit.list("", "");
            assertThat(events.get(0).getKind()).isEqualTo("member.role_changed");
            assertThat(events.get(0).getBeforeValue()).isEqualTo("VIEWER");
            assertThat(events.get(0).getAfterValue()).isEqualTo("ANALYST");
            assertThat(events.get(0).getActorEmail()).isEqualTo(company.ownerEmail());
            assertThat(events).extracting(AuditEvent::getKind).containsSubsequence(
                    "member.role_changed", "member.joined", "invitation.created", "member.added", "tenant.created");
            assertThat(events).isSortedAccordingTo((a, b) -> b.getOccurredAt().compareTo(a.getOccurredAt()));
            assertThat(audit.list("", "member.joined")).singleElement()
                    .extracting(AuditEvent::getActorEmail).asString().startsWith("viewer-");
            assertThat(audit.list(company.ownerEmail().substring(0, 10), "")).extracting(AuditEvent::getKind)
                    .doesNotContain("member.joined");
            assertThat(audit.kinds()).contains("member.role_changed", "invitation.created");
        });
    }

    private String invite(TenancyFixture.Company company, Role role) {
        return as(company.owner(), () -> team.invite("i-" + TenancyFixture.unique() + "@example.com", role)).url();
    }

    private void assertRefused(Actor linkTenant, String token, String reason) {
        assertThatThrownBy(() -> as(linkTenant, () -> team.describeInvitation(token)))
                .isInstanceOf(BadInputException.class).hasMessageContaining(reason);
        assertThatThrownBy(() -> as(linkTenant,
                () -> team.acceptInvitation(token, "X", TenancyFixture.PASSWORD, TenancyFixture.client())))
                .isInstanceOf(BadInputException.class).hasMessageContaining(reason);
    }

    private long membershipOf(Actor owner, String email) {
        return membershipOf(owner, email, -1);
    }

    private long membershipOf(Actor owner, String email, long userId) {
        return as(owner, () -> team.members().stream()
                .filter(m -> m.getUser().getEmail().equals(email) || m.getUser().getId() == userId)
                .findFirst().map(Membership::getId).orElse(-1L));
    }

    private static <T> T as(Actor actor, java.util.function.Supplier<T> work) {
        return TenantContext.runAs(actor, work);
    }

    private static void as(Actor actor, Runnable work) {
        TenantContext.runAs(actor, work);
    }
}
