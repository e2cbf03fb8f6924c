package dev.runway.testing;

import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.function.Supplier;

/**
 * Running test code as a member: in the caller's context, in a new transaction, or on a thread of a test's own pool.
 */
public final class Acting {

    private Acting() {}

    public static <T> T as(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, work);
    }

    public static void as(Actor actor, Runnable work) {
        TenantContext.runAs(actor, work);
    }

    /** {@code work} as {@code actor} in a transaction of its own. */
    public static <T> T tx(Actor actor, Supplier<T> work) {
        return TenantContext.runAs(actor, () -> QuarkusTransaction.requiringNew().call(work::get));
    }

    /** For a test's own threads, which have no request context (the entity manager needs one). */
    public static <T> T inRequestContext(Supplier<T> work) {
        ManagedContext context = Arc.container().requestContext();
        context.activate();
        try {
            return work.get();
        } finally {
            context.terminate();
        }
    }
}
