package dev.runway.tenancy;

import com.vaadin.flow.server.VaadinSession;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The actor of the current unit of work. Background threads pass it explicitly with {@link #runAs}; in the UI it is
 * the signed-in user's session. It is read by the connection interceptor that sets
 * {@code app.tenant_id} for row-level security and by the {@link TenantGuard} on every tenant-owned entity.
 */
public final class TenantContext {

    private static final ThreadLocal<Actor> EXPLICIT = new ThreadLocal<>();

    private TenantContext() {}

    public static Optional<Actor> current() {
        Actor explicit = EXPLICIT.get();
        if (explicit != null) {
            return Optional.of(explicit);
        }
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? Optional.empty() : Optional.ofNullable(session.getAttribute(Actor.class));
    }

    /** Runs {@code work} as {@code actor}; the service's transaction must start inside it. */
    public static <T> T runAs(Actor actor, Supplier<T> work) {
        Actor previous = EXPLICIT.get();
        EXPLICIT.set(actor);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                EXPLICIT.remove();
            } else {
                EXPLICIT.set(previous);
            }
        }
    }

    public static void runAs(Actor actor, Runnable work) {
        runAs(actor, () -> {
            work.run();
            return null;
        });
    }
}
