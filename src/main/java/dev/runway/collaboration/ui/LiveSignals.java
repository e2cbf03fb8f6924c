package dev.runway.collaboration.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import dev.runway.collaboration.LiveBus;
import dev.runway.base.ui.LiveUpdates;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import java.util.function.BiPredicate;

/**
 * Connects a component to the {@link LiveBus} while it is attached: a signal of the member's company that
 * {@code concerns} them runs {@code refresh} inside {@code UI.access}, and Push brings the change to the browser.
 */
final class LiveSignals {

    private LiveSignals() {}

    static void follow(Component component, LiveBus bus, BiPredicate<LiveBus.Signal, Actor> concerns,
            Runnable refresh) {
        LiveBus.Subscription[] current = new LiveBus.Subscription[1];
        component.addAttachListener(attach -> {
            Actor actor = TenantContext.current().orElse(null);
            if (actor == null) {
                return;
            }
            UI ui = attach.getUI();
            if (current[0] != null) {
                current[0].close();
            }
            current[0] = bus.subscribe(actor.tenantId(), signal -> {
                if (concerns.test(signal, actor)) {
                    try {
                        LiveUpdates.access(ui, refresh::run);
                    } catch (UIDetachedException e) {
                        // The page closed between the signal and now: its detach listener unsubscribes.
                    }
                }
            });
        });
        component.addDetachListener(detach -> {
            if (current[0] != null) {
                current[0].close();
                current[0] = null;
            }
        });
    }
}
