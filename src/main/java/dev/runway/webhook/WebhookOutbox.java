package dev.runway.webhook;

import dev.runway.base.Happened;
import dev.runway.base.Json;
import dev.runway.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns a {@link Happened} of a webhook event type into one delivery per enabled endpoint that receives it, in the
 * transaction of the change: a rolled-back change sends nothing, a committed one is never lost. Cheap for the many
 * companies without endpoints: kinds webhooks do not carry return at once, the others cost one small indexed query per
 * transaction (its answer is kept for the rest of the transaction).
 */
@ApplicationScoped
public class WebhookOutbox {

    private static final Logger LOG = Logger.getLogger(WebhookOutbox.class);

    /** An endpoint as the outbox needs it. */
    private record Target(long id, String eventTypes) {

        boolean receives(String code) {
            for (String type : eventTypes.split(",")) {
                if (type.equals(code)) {
                    return true;
                }
            }
            return false;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    WebhookQueue queue;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    Clock clock;

    /** Runs in the firing transaction (every feature fires {@link Happened} inside one). */
    void on(@Observes Happened event) {
        if (!WebhookEvents.carried(event.kind())) {
            return;
        }
        long tenant = TenantContext.current().map(a -> a.tenantId()).orElse(-1L);
        if (tenant != event.tenantId()) {
            // Row-level security follows the transaction's tenant; another company's event cannot be written here.
            LOG.errorf("A %s event of company %d was fired in a transaction of company %d; no webhook was queued",
                    event.kind().code(), event.tenantId(), tenant);
            return;
        }
        List<Target> targets = targets(tenant).stream().filter(t -> t.receives(event.kind().code())).toList();
        if (targets.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        UUID eventId = UUID.randomUUID();
        String payload = payload(eventId, event.kind().code(), now, event.tenantId(), event.projectId(),
                event.actorId(), event.subject(), event.facts(), event.summary());
        for (Target target : targets) {
            queue(target.id(), eventId, event.kind().code(), payload, now);
        }
    }

    /** Writes a delivery and queues its first try, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    WebhookDelivery queue(long endpointId, UUID eventId, String type, String payload, Instant now) {
        WebhookDelivery delivery = new WebhookDelivery(endpointId, eventId, type, payload, now);
        em.persist(delivery);
        queue.enqueue(new DeliveryRef(TenantContext.current().orElseThrow().tenantId(), delivery.getId(),
                delivery.getRedeliveries()), now);
        return delivery;
    }

    /** The company's enabled endpoints, read once per transaction. */
    @SuppressWarnings("unchecked")
    private List<Target> targets(long tenant) {
        String key = "webhook-targets-" + tenant;
        List<Target> cached = (List<Target>) transactions.getResource(key);
        if (cached != null) {
            return cached;
        }
        List<Object[]> rows = em.createNativeQuery(
                        "select id, event_types from webhook_endpoint where tenant_id = :tenant and enabled")
                .setParameter("tenant", tenant).getResultList();
        List<Target> targets = new ArrayList<>(rows.size());
        rows.forEach(r -> targets.add(new Target(((Number) r[0]).longValue(), (String) r[1])));
        transactions.putResource(key, targets);
        return targets;
    }

    /**
     * The body: {@code id, type, time, companyId, projectId, actorId, subject {type, id, label, …facts}, summary}.
     * Written once and stored as sent, so every try and every redelivery carries the same bytes.
     */
    static String payload(UUID eventId, String type, Instant time, long companyId, Long projectId, Long actorId,
            Happened.Subject what, Map<String, Object> facts, String summary) {
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("type", what.type().name().toLowerCase(Locale.ROOT));
        subject.put("id", what.id());
        subject.put("label", what.label());
        new TreeMap<>(facts).forEach(subject::putIfAbsent);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", eventId.toString());
        body.put("type", type);
        body.put("time", time.truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("companyId", companyId);
        body.put("projectId", projectId);
        body.put("actorId", actorId);
        body.put("subject", subject);
        body.put("summary", summary);
        return Json.write(body);
    }
}
