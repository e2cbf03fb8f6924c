package dev.runway.testing;

import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.SignUpService;
import dev.runway.tenancy.TeamService;
import dev.runway.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/** Companies and members for tests, each with unique names so tests never collide. */
@ApplicationScoped
public class TenancyFixture {

    public static final String PASSWORD = "correct horse battery";

    @Inject
    SignUpService signUp;

    @Inject
    TeamService team;

    @Inject
    MailSink mails;

    public record Company(Actor owner, String slug, String ownerEmail) {}

    public Company company() {
        String id = unique();
        String slug = "co-" + id;
        String email = "owner-" + id + "@example.com";
        Actor owner = signUp(new SignUpService.SignUp("Company " + id, slug, "Owner " + id, email));
        return new Company(owner, slug, email);
    }

    /** A sign-up through its two steps: the form, then the link from the mail with {@link #PASSWORD}. */
    public Actor signUp(SignUpService.SignUp form) {
        return signUp(form, PASSWORD);
    }

    /** A sign-up through its two steps (from a client address of its own), choosing {@code password} at the link. */
    public Actor signUp(SignUpService.SignUp form, String password) {
        signUp.signUp(form, client());
        String link = mails.signUpLink(form.email().strip()).orElseThrow(
                () -> new IllegalStateException("no sign-up link was mailed to " + form.email()));
        return signUp.confirm(token(link), password);
    }

    /** A new member of {@code company} with {@code role}, joined through a real invitation. */
    public Actor member(Company company, Role role) {
        String email = role.name().toLowerCase() + "-" + unique() + "@example.com";
        return join(company, email, role);
    }

    public Actor join(Company company, String email, Role role) {
        String url = TenantContext.runAs(company.owner(), () -> team.invite(email, role)).url();
        return TenantContext.runAs(new Actor(0, company.owner().tenantId()),
                () -> team.acceptInvitation(token(url), "Member " + email, PASSWORD, client()));
    }

    public static String token(String invitationUrl) {
        return invitationUrl.substring(invitationUrl.lastIndexOf('/') + 1);
    }

    /** A client address no other test uses, so that throttling never slows a fixture down. */
    public static String client() {
        return "fixture-" + unique();
    }

    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
