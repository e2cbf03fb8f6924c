package dev.runway.tenancy.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.base.ui.Messages;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Role;
import dev.runway.tenancy.TwoFactorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** "Two-factor sign-in" on the Settings page: one's own authenticator, and for owners the company's requirement. */
@ApplicationScoped
public class TwoFactorSettings implements SettingsSection {

    @Inject
    TwoFactorService twoFactor;

    @Inject
    Access access;

    @Override
    public int order() {
        return 5;
    }

    @Override
    public Optional<Component> create() {
        VerticalLayout panel = new VerticalLayout();
        panel.setPadding(false);
        panel.addClassName("two-factor");
        fill(panel);
        return Optional.of(panel);
    }

    /** The key to type into an authenticator app, and the same as a link that opens the app on a phone. */
    static Component secretBox(TwoFactorService.Enrolment enrolment) {
        TextField secret = new TextField("Key for your authenticator app", enrolment.secret(), "");
        secret.setReadOnly(true);
        secret.setWidth("420px");
        secret.setMaxWidth("100%");
        secret.addClassName("two-factor-secret");
        VerticalLayout box = new VerticalLayout(secret, new Anchor(enrolment.uri(), "Open in an authenticator app"));
        box.setPadding(false);
        return box;
    }

    private void fill(VerticalLayout panel) {
        panel.removeAll();
        panel.add(new H3("Two-factor sign-in"));
        boolean on = twoFactor.enabled();
        if (on) {
            panel.add(new Paragraph("On: every sign-in asks for a code from your authenticator app. Recovery codes "
                    + "left: " + twoFactor.recoveryCodesLeft() + "."));
            TextField code = new TextField("Current code");
            Button off = new Button("Turn off", e -> {
                try {
                    twoFactor.disable(code.getValue());
                    Messages.success("Two-factor sign-in is off");
                    fill(panel);
                } catch (RuntimeException ex) {
                    Messages.show(ex, Map.of("code", code));
                }
            });
            panel.add(code, off);
        } else {
            panel.add(new Paragraph("Off: a password alone signs you in. Turn it on to be asked for a code from an "
                    + "authenticator app as well."));
            Button setUp = new Button("Set up two-factor sign-in", e -> setUp(panel));
            setUp.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            panel.add(setUp);
        }
        if (access.currentRole().orElse(null) == Role.OWNER) {
            Checkbox require = new Checkbox("Require two-factor sign-in for everyone in this company",
                    twoFactor.requiredHere());
            require.addValueChangeListener(e -> {
                if (!e.isFromClient()) {
                    return;
                }
                try {
                    twoFactor.requireForCompany(e.getValue());
                    Messages.success(e.getValue() ? "Every member now signs in with a code"
                            : "Two-factor sign-in is no longer required");
                } catch (RuntimeException ex) {
                    Messages.show(ex);
                    require.setValue(e.getOldValue());
                }
            });
            panel.add(require);
        }
    }

    private void setUp(VerticalLayout panel) {
        TwoFactorService.Enrolment enrolment = twoFactor.begin();
        panel.removeAll();
        panel.add(new H3("Two-factor sign-in"),
                new Paragraph("Add this key to your authenticator app, then type the code it shows."),
                secretBox(enrolment));
        TextField code = new TextField("Code");
        Button confirm = new Button("Turn on", e -> {
            try {
                List<String> recovery = twoFactor.confirm(code.getValue());
                SessionSupport.secondFactorGiven();
                panel.removeAll();
                panel.add(new H3("Two-factor sign-in"), new Paragraph("On. Your recovery codes: each works once "
                        + "instead of a code, if you lose your phone. Keep them somewhere safe: they are not shown "
                        + "again."), new Pre(String.join("\n", recovery)),
                        new Button("Done", d -> fill(panel)));
            } catch (RuntimeException ex) {
                Messages.show(ex, Map.of("code", code));
            }
        });
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        panel.add(code, confirm, new Button("Cancel", e -> fill(panel)));
    }
}
