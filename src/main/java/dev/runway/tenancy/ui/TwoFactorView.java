package dev.runway.tenancy.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.runway.base.ui.Messages;
import dev.runway.tenancy.AuthService;
import dev.runway.tenancy.TwoFactorService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The second sign-in step, reached only with a session whose password step passed: a code from the authenticator
 * app (or a recovery code), or, when the company requires two-factor sign-in and the user has none, its set-up.
 */
@Route(value = "login/code", autoLayout = false)
@PageTitle("Sign-in code · Runway")
@AnonymousAllowed
public class TwoFactorView extends VerticalLayout implements BeforeEnterObserver {

    private final AuthService auth;
    private final TwoFactorService twoFactor;

    @Inject
    public TwoFactorView(AuthService auth, TwoFactorService twoFactor) {
        this.auth = auth;
        this.twoFactor = twoFactor;
        addClassName("public-page");
        setAlignItems(Alignment.CENTER);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        AuthService.SignIn pending = SessionSupport.pending();
        if (pending == null) {
            event.rerouteTo(LoginView.class);
            return;
        }
        if (pending.next() == AuthService.Next.SET_UP) {
            showSetUp(pending);
        } else {
            showCode(pending);
        }
    }

    private void showCode(AuthService.SignIn pending) {
        TextField code = new TextField("Code");
        code.setHelperText("The 6 digits your authenticator app shows, or one of your recovery codes");
        code.setAutofocus(true);
        code.setWidth("320px");
        code.getElement().setAttribute("autocomplete", "one-time-code");
        Button verify = new Button("Verify", e -> {
            Messages.clear(Map.of("code", code));
            try {
                SessionSupport.signIn(auth.completeWithCode(pending, code.getValue(), SessionSupport.clientAddress()));
            } catch (RuntimeException ex) {
                Messages.show(ex, Map.of("code", code));
            }
        });
        verify.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        verify.addClickShortcut(Key.ENTER);
        add(new H2("Two-factor sign-in"), new Paragraph("Your password was right. Now the code from your app."),
                code, verify, new Anchor("login", "Start over"));
    }

    private void showSetUp(AuthService.SignIn pending) {
        TwoFactorService.Enrolment enrolment;
        try {
            enrolment = twoFactor.beginAtSignIn(pending);
        } catch (RuntimeException e) {
            add(new H2("Two-factor sign-in"), new Paragraph(Messages.describe(e)), new Anchor("login", "Start over"));
            return;
        }
        add(new H2("Set up two-factor sign-in"),
                new Paragraph("Your company requires a code from an authenticator app at every sign-in. Add this key "
                        + "to your app (or open the link on your phone), then type the code it shows."));
        add(TwoFactorSettings.secretBox(enrolment));
        TextField code = new TextField("Code");
        code.setWidth("320px");
        Button confirm = new Button("Turn on and continue", e -> {
            Messages.clear(Map.of("code", code));
            try {
                List<String> recovery = twoFactor.confirmAtSignIn(pending, code.getValue());
                removeAll();
                add(new H2("Your recovery codes"), new Paragraph("Each works once instead of a code, if you lose "
                        + "your phone. Keep them somewhere safe: they are not shown again."),
                        new Pre(String.join("\n", recovery)),
                        new Button("Continue", c -> SessionSupport.signIn(pending.actor())));
            } catch (RuntimeException ex) {
                Messages.show(ex, Map.of("code", code));
            }
        });
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(code, confirm, new Anchor("login", "Start over"));
    }
}
