package dev.runway.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.Command;
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
     * there is nothing more to follow (the work ended). Following a component again replaces what it followed
     * before, and starts at once when it is already attached: Vaadin reuses a view for another route parameter
     * (run 7 → run 8) without detaching it, so no attach event would ever come. Callers subscribe first and render
     * the state they read after that, so that nothing that happens in between is missed.
     */
    public Registration follow(Component component, Duration interval, BooleanSupplier refresh) {
        Following previous = ComponentUtil.getData(component, Following.class);
        if (previous != null) {
            previous.remove();
        }
        Following following = new Following(interval, refresh);
        ComponentUtil.setData(component, Following.class, following);
        following.attach = component.addAttachListener(attach -> following.start(attach.getUI()));
        following.detach = component.addDetachListener(detach -> following.stop());
        component.getUI().ifPresent(following::start);
        return () -> {
            following.remove();
            if (ComponentUtil.getData(component, Following.class) == following) {
                ComponentUtil.setData(component, Following.class, null);
            }
        };
    }

    /** One component's subscription: at most one scheduled refresh at a time. */
    private final class Following {

        private final Duration interval;
        private final BooleanSupplier refresh;
        private Registration attach;
        private Registration detach;
        private ScheduledFuture<?> task;

        Following(Duration interval, BooleanSupplier refresh) {
            this.interval = interval;
            this.refresh = refresh;
        }

        synchronized void start(UI ui) {
            stop();
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            self[0] = ticker.scheduleWithFixedDelay(() -> access(ui, () -> {
                try {
                    if (!refresh.getAsBoolean()) {
                        self[0].cancel(false);
                    }
                } catch (RuntimeException e) {
                    LOG.debugf("Live update stopped: %s", e.getMessage());
                    self[0].cancel(false);
                }
            }), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            task = self[0];
        }

        synchronized void stop() {
            if (task != null) {
                task.cancel(false);
                task = null;
            }
        }

        void remove() {
            stop();
            attach.remove();
            detach.remove();
        }
    }

    /**
     * {@code UI.access} from a background thread. The request context surrounds the whole call, not only the task:
     * unlocking the session runs every access task queued by then, whoever queued it (an upload's refresh, say), on
     * this thread, and their services need a request context for the tenant resolver as much as this task does.
     */
    public static void access(UI ui, Command task) {
        inRequestContext(() -> {
            ui.access(() -> inRequestContext(() -> {
                task.execute();
                return true;
            }));
            return true;
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
