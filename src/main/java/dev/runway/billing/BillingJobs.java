package dev.runway.billing;

import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Hourly, on every node, for every tenant: meter the last days' storage, finalise the invoices of past months, and
 * set the executor quota to the plan in force. Each step is idempotent (ledger keys, one live invoice per month,
 * locked rows), so several nodes doing it at once change nothing twice.
 */
@ApplicationScoped
public class BillingJobs {

    private static final Logger LOG = Logger.getLogger(BillingJobs.class);
    static final int STORAGE_CATCH_UP_DAYS = 3;

    @Inject
    EntityManager em;

    @Inject
    StorageMeter storage;

    @Inject
    InvoiceService invoices;

    @Inject
    PlanService plans;

    @Inject
    Clock clock;

    @ConfigProperty(name = "runway.billing.jobs.enabled", defaultValue = "true")
    boolean enabled;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runway-billing");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::runSafely, 1, 60, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void runSafely() {
        try {
            runAll();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Billing job failed; it runs again in an hour");
        }
    }

    /** One pass over every tenant. */
    @ActivateRequestContext
    public void runAll() {
        List<Long> tenants = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from tenant order by id", Long.class).getResultList());
        for (long tenantId : tenants) {
            try {
                runFor(tenantId);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Billing job failed for tenant %d", tenantId);
            }
        }
    }

    /** Meters storage up to yesterday, finalises past months and applies the plan's concurrency for one tenant. */
    @ActivateRequestContext
    public void runFor(long tenantId) {
        TenantContext.runAs(new Actor(0, tenantId), () -> QuarkusTransaction.requiringNew().run(() -> {
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            for (int back = STORAGE_CATCH_UP_DAYS; back >= 1; back--) {
                storage.meter(tenantId, today.minusDays(back));
            }
            invoices.finaliseDue();
            plans.applyConcurrency(tenantId, clock.instant());
        }));
    }
}
