package dev.runway.api.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import dev.runway.api.ApiKey;
import dev.runway.api.ApiKeyService;
import dev.runway.base.ui.EmptyState;
import dev.runway.base.ui.FormDialog;
import dev.runway.base.ui.Formats;
import dev.runway.base.ui.Messages;
import dev.runway.base.ui.SecretField;
import dev.runway.tenancy.Role;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Create an API key (shown once, with a copy button), see the company's keys and revoke one. Only the key's
 * fingerprint is stored, so a lost key is replaced, never shown again.
 */
class ApiKeysPanel extends VerticalLayout {

    private final ApiKeyService keys;
    private final Grid<ApiKey> grid = new Grid<>(ApiKey.class, false);
    private final EmptyState empty;

    ApiKeysPanel(ApiKeyService keys) {
        this.keys = keys;
        setPadding(false);
        addClassName("api-keys");
        Button create = new Button("Create API key", VaadinIcon.PLUS.create(), e -> openCreateDialog());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout header = new HorizontalLayout(new H3("API keys"), create);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.setWidthFull();
        header.expand(header.getComponentAt(0));

        empty = new EmptyState("No API keys yet", "An API key lets a CI job or a script use Runway's REST API "
                + "(/api/v1) for this company: list projects, upload dataset versions, start runs and follow them. "
                + "Each key acts with the role you give it.", new Button("Create API key", e -> openCreateDialog()));

        grid.addColumn(ApiKey::getName).setHeader("Name").setSortable(true).setAutoWidth(true);
        grid.addColumn(k -> k.getRole().label()).setHeader("Role").setAutoWidth(true);
        grid.addColumn(k -> ApiKeyService.KEY_START + k.getPrefix() + "_…").setHeader("Key").setAutoWidth(true);
        grid.addColumn(k -> Formats.date(k.getCreatedAt())).setHeader("Created").setAutoWidth(true);
        grid.addColumn(k -> k.getExpiresAt() == null ? "Never" : Formats.dateTime(k.getExpiresAt()))
                .setHeader("Expires").setAutoWidth(true);
        grid.addColumn(k -> k.getLastUsedAt() == null ? "Never" : Formats.dateTime(k.getLastUsedAt()))
                .setHeader("Last used").setAutoWidth(true);
        grid.addComponentColumn(this::statusOrRevoke).setHeader("").setAutoWidth(true).setFlexGrow(0);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        add(header, empty, grid);
        refresh();
    }

    private com.vaadin.flow.component.Component statusOrRevoke(ApiKey key) {
        if (key.isRevoked()) {
            return new Span("Revoked " + Formats.date(key.getRevokedAt()));
        }
        if (keys.expired(key)) {
            return new Span("Expired");
        }
        Button revoke = new Button("Revoke", e -> {
            ConfirmDialog confirm = new ConfirmDialog("Revoke “" + key.getName() + "”?",
                    "Requests with this key are refused from now on. This cannot be undone: create a new key to "
                            + "replace it.", "Revoke", ok -> {
                        try {
                            keys.revoke(key.getId());
                            Messages.success("API key “" + key.getName() + "” revoked");
                        } catch (RuntimeException ex) {
                            Messages.show(ex);
                        }
                        refresh();
                    });
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        revoke.setAriaLabel("Revoke " + key.getName());
        return revoke;
    }

    private void openCreateDialog() {
        FormDialog dialog = new FormDialog("Create an API key", "Create key", "Close");
        TextField name = new TextField("Name");
        name.setMaxLength(ApiKey.NAME_MAX);
        name.setPlaceholder("e.g. GitHub Actions");
        name.setWidthFull();
        ComboBox<Role> role = new ComboBox<>("Role");
        List<Role> roles = keys.grantableRoles();
        role.setItems(roles);
        role.setItemLabelGenerator(r -> r.label() + " — " + r.summary());
        role.setValue(roles.contains(Role.VIEWER) ? Role.VIEWER : null);
        role.setHelperText("What the key may do; never more than your own role");
        role.setWidthFull();
        DatePicker expires = new DatePicker("Valid until (optional)");
        expires.setHelperText("The key stops working after this day; leave empty for no expiry");
        expires.setMin(LocalDate.now(Formats.zone()));
        expires.setClearButtonVisible(true);
        expires.setWidthFull();
        VerticalLayout body = new VerticalLayout(name, role, expires);
        body.setPadding(false);
        dialog.add(body);
        dialog.onSubmit(Map.of("name", name, "role", role, "expiresAt", expires), () -> {
            Instant until = expires.getValue() == null ? null
                    : expires.getValue().plusDays(1).atStartOfDay(Formats.zone()).toInstant();
            ApiKeyService.CreatedKey created = keys.create(name.getValue(), role.getValue(), until);
            showOnce(body, created);
            dialog.hideSubmit();
            refresh();
        });
        dialog.open();
        name.focus();
    }

    private void showOnce(VerticalLayout body, ApiKeyService.CreatedKey created) {
        body.removeAll();
        body.add(new Paragraph("Copy “" + created.apiKey().getName() + "” now: it is shown only this once. Runway "
                        + "keeps only a fingerprint of it, so a lost key is revoked and replaced."),
                new SecretField("Your new API key", created.key(), "Key", "api-key-value"),
                new Paragraph("Use it as: Authorization: Bearer " + ApiKeyService.KEY_START
                        + created.apiKey().getPrefix() + "_…  (see docs/api.md)"));
    }

    private void refresh() {
        List<ApiKey> all = keys.list();
        grid.setItems(all);
        grid.setVisible(!all.isEmpty());
        empty.setVisible(all.isEmpty());
    }
}
