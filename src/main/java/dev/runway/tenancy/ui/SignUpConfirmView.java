package dev.runway.tenancy.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.runway.base.ui.Messages;
import dev.runway.tenancy.AuthService;
import dev.runway.tenancy.SignUpService;
import jakarta.inject.Inject;

/**
 * The page the sign-up mail links to. The company is created by a click, not by opening the page, so that a mail
 * scanner that follows links does not use the link up.
 */
@Route(value = "signup/confirm/:token", autoLayout = false)
@PageTitle("Create your company · Runway")
@AnonymousAllowed
public class SignUpConfirmView extends VerticalLayout implements BeforeEnterObserver {

    private final SignUpService signUp;
    private final AuthService auth;

    @Inject
    public SignUpConfirmView(SignUpService signUp, AuthService auth) {
        this.signUp = signUp;
        this.auth = auth;
        addClassName("public-page");
        setAlignItems(Alignment.CENTER);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        String token = event.getRouteParameters().get("token").orElse("");
        Button create = new Button("Create my company", e -> {
            try {
                SessionSupport.proceed(auth.nextStep(signUp.confirm(token)));
            } catch (RuntimeException ex) {
                removeAll();
                add(new H2("This link cannot be used"), new Paragraph(Messages.describe(ex)),
                        new Anchor("signup", "Sign up again"), new Anchor("login", "Sign in"));
            }
        });
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setDisableOnClick(true);
        add(new H2("Your email is confirmed"), new Paragraph("One click creates your company; you become its owner."),
                create);
    }
}
