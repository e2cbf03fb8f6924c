package dev.runway.collaboration;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.InvitationMailer;
import dev.runway.tenancy.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Notification mails, sent after the change commits through the durable queue (db-scheduler, on any node): the task
 * is scheduled in the change's transaction, so a mail goes out exactly for what committed, and a failed SMTP
 * hand-over is retried with backoff. Each notification is marked when mailed, so a retry never mails it twice.
 */
@ApplicationScoped
public class ActivityMail {

    static final String TASK = "activity-mail";
    private static final Logger LOG = Logger.getLogger(ActivityMail.class);

    /** What the task carries: ids only. */
    public record MailRef(long tenantId, long activityId) {}

    @Inject
    DataSource dataSource;

    @Inject
    InvitationMailer mailer;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @ConfigProperty(name = "runway.public-url")
    String publicUrl;

    private volatile SchedulerClient client;

    @Produces
    @Singleton
    OneTimeTask<MailRef> task() {
        return Tasks.oneTime(TASK, MailRef.class)
                .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(8,
                        new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofMinutes(1))))
                .execute((instance, context) -> send(instance.getData()));
    }

    /** In the caller's transaction; only when SMTP is configured (otherwise there is nobody to hand mails to). */
    void schedule(long tenantId, long activityId) {
        if (!mailer.configured()) {
            return;
        }
        MailRef ref = new MailRef(tenantId, activityId);
        client().scheduleIfNotExists(new TaskInstance<>(TASK, tenantId + "-" + activityId, ref), clock.instant());
    }

    private SchedulerClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    // The outbound queue's table: webhook.WebhookQueue runs this task with its own threads.
                    client = SchedulerClient.Builder.create(dataSource).tableName("webhook_tasks")
                            .serializer(new JacksonSerializer()).build();
                }
            }
        }
        return client;
    }

    private record Pending(long id, String email, String summary, String link) {}

    @ActivateRequestContext
    void send(MailRef ref) {
        List<Pending> pending = TenantContext.runAs(new Actor(0, ref.tenantId()), () -> QuarkusTransaction
                .requiringNew().call(() -> this.pending(ref)));
        int failed = 0;
        for (Pending p : pending) {
            boolean sent = mailer.sendNotification(p.email(), "Runway: " + firstLine(p.summary()),
                    p.summary() + "\n\nOpen it in Runway: " + p.link() + "\n\n"
                            + "You receive this because of your notification settings: " + base() + "/notifications\n");
            if (sent) {
                TenantContext.runAs(new Actor(0, ref.tenantId()), () -> QuarkusTransaction.requiringNew().run(() ->
                        em.createNativeQuery("update notification set emailed_at = :now where id = :id")
                                .setParameter("now", clock.instant()).setParameter("id", p.id()).executeUpdate()));
            } else {
                failed++;
            }
        }
        if (failed > 0) {
            // db-scheduler retries the task later; the notifications mailed already are marked and skipped then.
            throw new IllegalStateException(failed + " notification mail(s) of activity " + ref.activityId()
                    + " could not be handed to the SMTP server");
        }
        LOG.debugf("Mailed %d notification(s) of activity %d", pending.size(), ref.activityId());
    }

    @SuppressWarnings("unchecked")
    private List<Pending> pending(MailRef ref) {
        List<Object[]> rows = em.createNativeQuery("""
                        select n.id, u.email, a.summary, a.subject_type, a.subject_id, a.project_id
                        from notification n
                        join activity a on a.id = n.activity_id
                        join app_user u on u.id = n.recipient_id
                        where n.tenant_id = :tenant and n.activity_id = :activity and n.email_wanted
                          and n.emailed_at is null
                        order by n.id""")
                .setParameter("tenant", ref.tenantId()).setParameter("activity", ref.activityId())
                .getResultList();
        return rows.stream().map(r -> new Pending(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                base() + "/" + Links.path((String) r[3], ((Number) r[4]).longValue(),
                        r[5] == null ? null : ((Number) r[5]).longValue()))).toList();
    }

    private String base() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    private static String firstLine(String summary) {
        String line = summary.lines().findFirst().orElse("");
        return line.length() <= 120 ? line : line.substring(0, 119) + "…";
    }
}
