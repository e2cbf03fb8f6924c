package dev.runway.webhook.ui;

import com.vaadin.flow.component.Component;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.tenancy.ui.SettingsSection;
import dev.runway.webhook.WebhookService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** The Webhooks part of the Settings page, for those who manage settings (Owner, Admin). */
@ApplicationScoped
public class WebhooksSection implements SettingsSection {

    @Inject
    WebhookService webhooks;

    @Inject
    Access access;

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Optional<Component> create() {
        return access.can(Permission.MANAGE_SETTINGS) ? Optional.of(new WebhooksPanel(webhooks)) : Optional.empty();
    }
}
