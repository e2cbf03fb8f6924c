package dev.runway.tenancy.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.runway.base.ui.Messages;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AppUser;
import dev.runway.tenancy.AuthService;
import dev.runway.tenancy.Passwords;
import dev.runway.tenancy.TeamService;
import dev.runway.tenancy.TenantContext;
import jakarta.inject.Inject;
import java.util.Map;

/** The page an invitation link opens: join as a new user, or as an existing one with their password. */
@Route(value = "invitation/:tenant/:token", autoLayout = false)
@PageTitle("Join your team · Runway")
@AnonymousAllowed
public class AcceptInvitationView extends VerticalLayout implements BeforeEnterObserver {

    private final TeamService team;
    private final AuthService auth;

    @Inject
    public AcceptInvitationView(TeamService team, AuthService auth) {
        this.team = team;
        this.auth = auth;
        addClassName("public-page");
        setAlignItems(Alignment.CENTER);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        String token = event.getRouteParameters().get("token").orElse("");
        Long tenantId = event.getRouteParameters().get("tenant").filter(t -> t.matches("\\d{1,18}"))
                .map(Long::valueOf).orElse(null);
        Actor linkTenant = new Actor(0, tenantId == null ? 0 : tenantId);
        try {
            TeamService.InvitationDetails details = TenantContext.runAs(linkTenant,
                    () -> team.describeInvitation(token));
            show(details, linkTenant, token);
        } catch (RuntimeException e) {
            add(new H2("This invitation cannot be used"), new Paragraph(Messages.describe(e)),
                    new Anchor("login", "Go to sign in"));
        }
    }

    private void show(TeamService.InvitationDetails details, Actor linkTenant, String token) {
        add(new H2("Join " + details.companyName() + " on Runway"),
                new Paragraph("You were invited as " + details.role().label() + " (" + details.email() + ")."));
        TextField name = new TextField("Your name");
        name.setMaxLength(AppUser.NAME_MAX);
        PasswordField password = new PasswordField(details.existingAccount() ? "Your Runway password" : "Password");
        FormLayout form = new FormLayout();
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        form.setWidth("420px");
        form.setMaxWidth("100%");
        if (details.existingAccount()) {
            add(new Paragraph("You already have a Runway account: confirm with its password."));
            form.add(password);
        } else {
            password.setHelperText("At least " + Passwords.MIN_LENGTH + " characters; not a common password, "
                    + "nor your email or the company name");
            form.add(name, password);
        }
        Map<String, HasValidation> fields = Map.of("name", name, "password", password);
        Button join = new Button("Join " + details.companyName(), e -> {
            Messages.clear(fields);
            try {
                Actor joined = TenantContext.runAs(linkTenant, () -> team.acceptInvitation(token, name.getValue(),
                        password.getValue(), SessionSupport.clientAddress()));
                SessionSupport.proceed(auth.nextStep(joined));
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
            }
        });
        join.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(form, join);
    }
}
