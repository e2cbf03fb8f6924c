package dev.runway.webhook;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.TenantContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The durable queue of deliveries: db-scheduler on its own table ({@code webhook_tasks}) with its own threads, so
 * deliveries never wait behind training runs. A delivery's task is written in the transaction that wrote the delivery
 * (both commit or neither), and the handler decides after each try whether and when it runs again.
 */
@ApplicationScoped
public class WebhookQueue {

    static final String TASK = "webhook-delivery";
    private static final Logger LOG = Logger.getLogger(WebhookQueue.class);

    @Inject
    DataSource dataSource;

    @Inject
    WebhookDeliverer deliverer;

    @Inject
    WebhookSettings settings;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    Clock clock;

    /**
     * Other features' tasks that send to the outside world (notification mails, `collaboration.ActivityMail`): they
     * share this queue's table and threads, on every node, and so never wait behind a training run.
     */
    @Inject
    @Any
    Instance<Task<?>> outbound;

    private CustomTask<DeliveryRef> task;
    private Scheduler scheduler;

    void start(@Observes @Priority(1100) StartupEvent event) {
        task = Tasks.custom(TASK, DeliveryRef.class)
                .onDeadExecutionRevive()
                .execute((instance, context) -> attempt(instance.getData()));
        Clock time = clock;
        List<Task<?>> tasks = new ArrayList<>(List.of(task));
        outbound.forEach(tasks::add);
        // The scheduler keeps the application's clock, so that "due" means the same to it as to the deliveries' rows.
        scheduler = new SchedulerBuilder(dataSource, tasks) {
            {
                this.clock = time::instant;
            }
        }
                .tableName("webhook_tasks")
                .threads(Math.max(1, settings.threads))
                .schedulerName(new SchedulerName.Fixed("webhooks-" + ProcessHandle.current().pid()))
                .serializer(new JacksonSerializer())
                .pollUsingLockAndFetch(0.5, 1.0)
                .pollingInterval(Duration.ofSeconds(1))
                .heartbeatInterval(Duration.ofSeconds(5))
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
        if (settings.enabled) {
            scheduler.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    /** Queues the delivery's next try at {@code at}, in the caller's transaction; wakes the senders once it commits. */
    void enqueue(DeliveryRef ref, Instant at) {
        scheduler.schedule(task.instance(ref.instanceId(), ref), at);
        wakeAfterCommit();
    }

    @ActivateRequestContext
    CompletionHandler<DeliveryRef> attempt(DeliveryRef ref) {
        Optional<Instant> next;
        try {
            next = TenantContext.runAs(new Actor(0, ref.tenantId()), () -> deliverer.attempt(ref));
        } catch (RuntimeException e) {
            // A database failure, not the receiver's: nothing was recorded, so the same try runs again soon.
            LOG.warnf(e, "Webhook delivery %d could not be tried", ref.deliveryId());
            next = Optional.of(clock.instant().plus(Duration.ofMinutes(1)));
        }
        return next.<CompletionHandler<DeliveryRef>>map(at -> (complete, ops) -> ops.reschedule(complete, at))
                .orElse((complete, ops) -> ops.remove());
    }

    private void wakeAfterCommit() {
        if (transactions.getResource(WebhookQueue.class) != null) {
            return;
        }
        transactions.putResource(WebhookQueue.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED && settings.enabled) {
                    scheduler.triggerCheckForDueExecutions();
                }
            }
        });
    }
}
