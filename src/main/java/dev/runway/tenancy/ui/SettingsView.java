package dev.runway.tenancy.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.PageHeader;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.AppUser;
import dev.runway.tenancy.AuthService;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.RequiresPermission;
import dev.runway.tenancy.Tenant;
import dev.runway.tenancy.TenantService;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.Map;

@Route("settings")
@PageTitle("Settings · Runway")
@RequiresPermission(Permission.READ)
public class SettingsView extends VerticalLayout {

    @Inject
    public SettingsView(TenantService tenants, AuthService auth, Access access, Instance<SettingsSection> sections) {
        Tenant tenant = tenants.current();
        boolean canManage = access.can(Permission.MANAGE_SETTINGS);
        TextField name = new TextField("Company name", tenant.getName(), "");
        name.setMaxLength(Tenant.NAME_MAX);
        name.setReadOnly(!canManage);
        TextField slug = new TextField("URL name", tenant.getSlug(), "");
        slug.setReadOnly(true);
        slug.setHelperText("Fixed once the company is created");
        Button save = new Button("Save", e -> {
            Messages.clear(Map.of("companyName", name));
            try {
                tenants.rename(name.getValue());
                Messages.success("Company name saved");
            } catch (RuntimeException ex) {
                Messages.show(ex, Map.<String, HasValidation>of("companyName", name));
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setVisible(canManage);

        AppUser me = auth.currentUser();
        TextField myName = new TextField("Your name", me.getDisplayName(), "");
        myName.setReadOnly(true);
        TextField myEmail = new TextField("Your email", me.getEmail(), "");
        myEmail.setReadOnly(true);
        TextField myRole = new TextField("Your role here", access.currentRole().map(r -> r.label()).orElse(""), "");
        myRole.setReadOnly(true);

        FormLayout company = new FormLayout(name, slug);
        FormLayout account = new FormLayout(myName, myEmail, myRole);
        add(new PageHeader("Settings"), new H3("Company"), company, save, new H3("Your account"), account);
        sections.stream().sorted(Comparator.comparingInt(SettingsSection::order))
                .forEach(section -> section.create().ifPresent(this::add));
    }
}
