package dev.runway.webhook;

import dev.runway.base.BadInputException;
import dev.runway.base.Happened;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One try of one delivery, in one transaction that holds the delivery's row lock from the status check until the
 * outcome is written: a delivered event is never sent again, and two executions of the same task never send at once.
 * (A node that dies mid-request leaves no trace of the try, so the revived task sends again: receivers dedupe on the
 * event id, docs/webhooks.md.)
 */
@ApplicationScoped
public class WebhookDeliverer {

    @Inject
    EntityManager em;

    @Inject
    WebhookSender sender;

    @Inject
    WebhookSettings settings;

    @Inject
    AuditLog audit;

    @Inject
    Event<Happened> happened;

    @Inject
    Clock clock;

    /** Tries the delivery once; when it should be tried again, the time of the next try. */
    @Transactional
    public Optional<Instant> attempt(DeliveryRef ref) {
        WebhookDelivery delivery = em.find(WebhookDelivery.class, ref.deliveryId(), LockModeType.PESSIMISTIC_WRITE);
        if (delivery == null || delivery.getStatus() != WebhookDelivery.Status.PENDING
                || delivery.getRedeliveries() != ref.series()) {
            return Optional.empty();
        }
        WebhookEndpoint endpoint = em.find(WebhookEndpoint.class, delivery.getEndpointId());
        if (endpoint == null) {
            return Optional.empty();
        }
        if (!endpoint.isEnabled()) {
            delivery.giveUp("Not sent: the endpoint is switched off");
            return Optional.empty();
        }
        Instant now = clock.instant();
        WebhookSender.Outcome outcome;
        try {
            URI uri = Addresses.check(endpoint.getUrl(), settings.allowPrivateAddresses());
            outcome = sender.send(uri, Map.of(
                    "Runway-Event-Id", delivery.getEventId().toString(),
                    "Runway-Event-Type", delivery.getEventType(),
                    Signatures.HEADER, Signatures.header(endpoint.secret(), now.getEpochSecond(),
                            delivery.getPayload())), delivery.getPayload());
        } catch (BadInputException refused) {
            outcome = new WebhookSender.Outcome(null, "Not sent: " + refused.getMessage(), 0, null);
        }
        WebhookAttempt attempt = new WebhookAttempt(delivery.getId(), now, outcome.status(), outcome.error(),
                outcome.durationMs(), outcome.snippet());
        em.persist(attempt);
        delivery.attempted(attempt);
        // Locked only now: a slow receiver must not hold up edits of the endpoint while the request is under way.
        em.refresh(endpoint, LockModeType.PESSIMISTIC_WRITE);
        Instant done = clock.instant();
        if (outcome.delivered()) {
            delivery.delivered(done);
            endpoint.delivered();
            return Optional.empty();
        }
        endpoint.attemptFailed(now);
        boolean last = delivery.seriesAttempts() >= settings.tries();
        if (last) {
            delivery.giveUp(null);
            endpoint.gaveUp();
        }
        String reason = disableReason(endpoint, done, outcome);
        if (reason != null && endpoint.isEnabled()) {
            disable(endpoint, reason, done);
            if (!last) {
                delivery.giveUp(null);
            }
            return Optional.empty();
        }
        if (last) {
            return Optional.empty();
        }
        Instant next = done.plus(settings.delayAfter(delivery.seriesAttempts()));
        delivery.retryAt(next);
        return Optional.of(next);
    }

    /** Why the endpoint should be switched off now, or null while it may keep trying. */
    private String disableReason(WebhookEndpoint endpoint, Instant now, WebhookSender.Outcome last) {
        String lastError = last.error() == null ? "" : " (last: " + last.error() + ")";
        if (endpoint.getConsecutiveFailures() >= settings.disableAfterFailedDeliveries) {
            int n = endpoint.getConsecutiveFailures();
            return "Switched off after " + (n == 1 ? "a delivery" : n + " deliveries in a row") + " failed every try"
                    + lastError;
        }
        if (endpoint.getFailingSince() != null
                && !endpoint.getFailingSince().plus(settings.disableAfter).isAfter(now)) {
            return "Switched off after every attempt failed for " + hours(settings.disableAfter) + lastError;
        }
        return null;
    }

    private void disable(WebhookEndpoint endpoint, String reason, Instant now) {
        endpoint.disable(reason, now);
        audit.record("webhook.disabled", endpoint.getUrl(), "enabled", reason);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("endpointId", endpoint.getId());
        facts.put("url", endpoint.getUrl());
        facts.put("reason", reason);
        happened.fire(new Happened(TenantContext.current().orElseThrow().tenantId(), Happened.Kind.WEBHOOK_DISABLED, null,
                new Happened.Subject(Happened.Subject.Type.WEBHOOK, endpoint.getId(), endpoint.getUrl()), null,
                "Webhook endpoint " + endpoint.getUrl() + " was switched off: " + reason, admins(), facts));
    }

    /** The company's Owners and Admins: those who manage webhooks and can switch the endpoint back on. */
    @SuppressWarnings("unchecked")
    private Set<Long> admins() {
        // Names the tenant: row-level security also shows an acting user's own memberships in other tenants.
        List<Number> ids = em.createNativeQuery("select user_id from membership where role in ('OWNER', 'ADMIN') "
                        + "and tenant_id = :tenant order by user_id")
                .setParameter("tenant", TenantContext.current().orElseThrow().tenantId())
                .getResultList();
        Set<Long> result = new LinkedHashSet<>();
        ids.forEach(id -> result.add(id.longValue()));
        return result;
    }

    static String hours(Duration d) {
        if (d.toHours() >= 1) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        if (d.toMinutes() >= 1) {
            return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
        }
        return d.toSeconds() + (d.toSeconds() == 1 ? " second" : " seconds");
    }
}
