package dev.runway.tenancy.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.runway.base.ui.Messages;
import dev.runway.tenancy.AppUser;
import dev.runway.tenancy.SignUpService;
import dev.runway.tenancy.Tenant;
import jakarta.inject.Inject;
import java.util.Map;

@Route(value = "signup", autoLayout = false)
@PageTitle("Create your company · Runway")
@AnonymousAllowed
public class SignUpView extends VerticalLayout {

    private final TextField companyName = new TextField("Company name");
    private final TextField slug = new TextField("URL name");
    private final TextField name = new TextField("Your name");
    private final EmailField email = new EmailField("Work email");
    private boolean slugEdited;

    @Inject
    public SignUpView(SignUpService signUp) {
        addClassName("public-page");
        setAlignItems(Alignment.CENTER);

        companyName.setMaxLength(Tenant.NAME_MAX);
        companyName.setValueChangeMode(ValueChangeMode.LAZY);
        companyName.addValueChangeListener(e -> {
            if (!slugEdited) {
                slug.setValue(SignUpService.suggestSlug(e.getValue()));
            }
        });
        slug.setMaxLength(Tenant.SLUG_MAX);
        slug.setHelperText("Lower-case letters, digits and hyphens; it names your company in Runway");
        slug.addValueChangeListener(e -> slugEdited |= e.isFromClient());
        name.setMaxLength(AppUser.NAME_MAX);
        Map<String, HasValidation> fields = Map.of("companyName", companyName, "slug", slug, "name", name,
                "email", email);

        Button create = new Button("Create company");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickShortcut(Key.ENTER);
        create.setDisableOnClick(true);
        create.addClickListener(e -> {
            Messages.clear(fields);
            try {
                signUp.signUp(new SignUpService.SignUp(companyName.getValue(), slug.getValue(), name.getValue(),
                        email.getValue()), SessionSupport.clientAddress());
                // The same answer whether the email has an account or not.
                removeAll();
                add(new H2("Check your inbox"), new Paragraph("We sent a mail to " + email.getValue().strip()
                        + ". Open the link in it to choose your password and create your company (it works for "
                        + "24 hours)."),
                        new Anchor("login", "Back to sign in"));
            } catch (RuntimeException ex) {
                Messages.show(ex, fields);
                create.setEnabled(true);
            }
        });

        FormLayout form = new FormLayout(companyName, slug, name, email);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        form.setWidth("420px");
        form.setMaxWidth("100%");
        add(new H2("Create your company on Runway"),
                new Paragraph("You become its owner and can invite your team next."),
                form, create, new Anchor("login", "Already have an account? Sign in"));
    }
}
