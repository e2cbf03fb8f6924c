package dev.runway.tenancy.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.AbstractLogin;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.runway.base.BadInputException;
import dev.runway.base.ui.Messages;
import dev.runway.tenancy.AuthService;
import jakarta.inject.Inject;

@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Runway")
@AnonymousAllowed
public class LoginView extends VerticalLayout {

    private final AuthService auth;
    private final LoginForm form = new LoginForm();
    private final LoginI18n i18n = LoginI18n.createDefault();

    @Inject
    public LoginView(AuthService auth) {
        this.auth = auth;
        addClassName("public-page");
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);

        i18n.getForm().setTitle("Sign in to Runway");
        i18n.getForm().setUsername("Email");
        form.setI18n(i18n);
        form.setForgotPasswordButtonVisible(false);
        form.addLoginListener(this::login);

        add(new Paragraph("Runway: your models, data, runs and money in one place."), form,
                new Anchor("signup", "New to Runway? Create your company's account"));
    }

    private void login(AbstractLogin.LoginEvent event) {
        try {
            SessionSupport.proceed(
                    auth.login(event.getUsername(), event.getPassword(), SessionSupport.clientAddress()));
        } catch (BadInputException e) {
            showError(e.getMessage());
        } catch (RuntimeException e) {
            showError(Messages.describe(e));
        }
    }

    private void showError(String message) {
        i18n.getErrorMessage().setTitle("Could not sign in");
        i18n.getErrorMessage().setMessage(message);
        form.setI18n(i18n);
        form.setError(true);
        form.setEnabled(true);
    }
}
