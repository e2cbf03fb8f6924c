package dev.runway.tenancy.ui;

import com.vaadin.flow.component.Component;
import java.util.Optional;

/**
 * A part of the Settings page that another feature contributes (API keys), so that tenancy does not depend on it.
 * Implementations are CDI beans; the page shows them by {@link #order()} below the company and account parts.
 */
public interface SettingsSection {

    int order();

    /** The section for the current user, or empty when their role may not see it. */
    Optional<Component> create();
}
