package dev.runway.api.ui;

import com.vaadin.flow.component.Component;
import dev.runway.api.ApiKeyService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.ui.SettingsSection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** The API keys part of the Settings page, for those who manage settings. */
@ApplicationScoped
public class ApiKeysSection implements SettingsSection {

    @Inject
    ApiKeyService keys;

    @Inject
    Access access;

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Optional<Component> create() {
        return access.can(Permission.MANAGE_SETTINGS) ? Optional.of(new ApiKeysPanel(keys)) : Optional.empty();
    }
}
