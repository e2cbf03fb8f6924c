package dev.runway.ui;

import com.vaadin.flow.server.ServiceInitEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/** Active Vaadin sessions on this node, for Prometheus ({@code runway_vaadin_sessions_active}); signed in or not. */
@ApplicationScoped
public class SessionGauge {

    private final AtomicLong active = new AtomicLong();

    @Inject
    MeterRegistry registry;

    void onServiceInit(@Observes ServiceInitEvent event) {
        Gauge.builder("runway.vaadin.sessions.active", active, AtomicLong::get)
                .description("Vaadin sessions open on this node").register(registry);
        event.getSource().addSessionInitListener(e -> active.incrementAndGet());
        event.getSource().addSessionDestroyListener(e -> active.updateAndGet(n -> Math.max(0, n - 1)));
    }
}
