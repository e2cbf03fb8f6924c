package dev.runway.tenancy.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.runway.base.BadInputException;
import dev.runway.base.ui.Messages;
import dev.runway.tenancy.AuthService;
import dev.runway.tenancy.Passwords;
import dev.runway.tenancy.SignUpService;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The page the sign-up mail links to, where the inbox owner chooses the password: the sign-up form asks for none, so
 * nobody who typed someone else's email there can own the account. The company is created by a click, not by opening
 * the page, so that a mail scanner that follows links does not use the link up; a password that is too weak leaves
 * the link usable.
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
        PasswordField password = new PasswordField("Password");
        password.setHelperText("At least " + Passwords.MIN_LENGTH + " characters; not a common password, "
                + "nor your email or company name");
        password.setWidth("320px");
        password.getElement().setAttribute("autocomplete", "new-password");
        Map<String, PasswordField> fields = Map.of("password", password);
        Button create = new Button("Create my company");
        create.addClickListener(e -> {
            Messages.clear(fields);
            try {
                SessionSupport.proceed(auth.nextStep(signUp.confirm(token, password.getValue())));
            } catch (BadInputException ex) {
                if ("password".equals(ex.field())) {
                    Messages.show(ex, fields);
                    create.setEnabled(true);
                } else {
                    unusable(ex);
                }
            } catch (RuntimeException ex) {
                unusable(ex);
            }
        });
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickShortcut(Key.ENTER);
        create.setDisableOnClick(true);
        add(new H2("Your email is confirmed"),
                new Paragraph("Choose your password; then your company is created and you become its owner."),
                password, create);
    }

    private void unusable(RuntimeException ex) {
        removeAll();
        add(new H2("This link cannot be used"), new Paragraph(Messages.describe(ex)),
                new Anchor("signup", "Sign up again"), new Anchor("login", "Sign in"));
    }
}
