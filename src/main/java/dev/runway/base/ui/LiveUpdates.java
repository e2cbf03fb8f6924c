package dev.runway.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Server-driven refresh for pages that show work in progress: while a component is attached, its refresh runs
 * every interval inside {@code UI.access} and the changes reach the browser through Vaadin Push. The state comes
 * from the database, so progress made on any worker node shows up.
 */
@ApplicationScoped
public class LiveUpdates {

    private static final Logger LOG = Logger.getLogger(LiveUpdates.class);
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "live-updates");
        t.setDaemon(true);
        return t;
    });

    /**
     * Refreshes {@code component} every {@code interval} while it is attached; {@code refresh} returns false when
     * there is nothing more to follow (the work ended).
     */
    public void follow(Component component, Duration interval, BooleanSupplier refresh) {
        component.addAttachListener(attach -> {
            UI ui = attach.getUI();
            ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
            task[0] = ticker.scheduleWithFixedDelay(() -> ui.access(() -> {
                try {
                    if (!inRequestContext(refresh)) {
                        task[0].cancel(false);
                    }
                } catch (RuntimeException e) {
                    LOG.debugf("Live update stopped: %s", e.getMessage());
                    task[0].cancel(false);
                }
            }), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            Registration[] detach = new Registration[1];
            detach[0] = component.addDetachListener(d -> {
                task[0].cancel(false);
                detach[0].remove();
            });
        });
    }

    /** Services need a request context for the tenant resolver; a background tick has none of its own. */
    private static boolean inRequestContext(BooleanSupplier refresh) {
        ManagedContext context = Arc.container().requestContext();
        boolean active = context.isActive();
        if (!active) {
            context.activate();
        }
        try {
            return refresh.getAsBoolean();
        } finally {
            if (!active) {
                context.terminate();
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        ticker.shutdownNow();
    }
}
