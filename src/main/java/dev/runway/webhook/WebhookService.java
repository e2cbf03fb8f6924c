package dev.runway.webhook;

import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.Happened;
import dev.runway.base.NotFoundException;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.AuditLog;
import dev.runway.tenancy.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The company's webhook endpoints, managed by those who manage settings (Owner, Admin): add, change, switch on and
 * off, delete, show and rotate the secret, send a test event, read the delivery log and redeliver.
 */
@ApplicationScoped
public class WebhookService {

    /** How many deliveries the log of one endpoint shows, newest first. */
    public static final int LOG_PAGE = 100;

    /** What the add/edit form sends. */
    public record Draft(String url, String description, Collection<String> eventTypes) {}

    /** An endpoint just added, with its secret for the admin to copy. */
    public record Created(WebhookEndpoint endpoint, String secret) {}

    @Inject
    EntityManager em;

    @Inject
    Access access;

    @Inject
    AuditLog audit;

    @Inject
    WebhookOutbox outbox;

    @Inject
    WebhookQueue queue;

    @Inject
    WebhookSettings settings;

    @Inject
    Clock clock;

    @Transactional
    public List<WebhookEndpoint> list() {
        access.require(Permission.MANAGE_SETTINGS);
        return em.createQuery("select e from WebhookEndpoint e order by e.createdAt, e.id", WebhookEndpoint.class)
                .getResultList();
    }

    @Transactional
    public WebhookEndpoint get(long endpointId) {
        access.require(Permission.MANAGE_SETTINGS);
        return find(endpointId);
    }

    @Transactional
    public Created create(Draft draft) {
        Actor actor = manager();
        Valid valid = validate(draft);
        String secret = Signatures.newSecret();
        WebhookEndpoint endpoint = new WebhookEndpoint(valid.url(), valid.description(), valid.types(), secret,
                actor.userId(), clock.instant());
        em.persist(endpoint);
        audit.record("webhook.created", endpoint.getUrl(), null, String.join(", ", valid.types()));
        return new Created(endpoint, secret);
    }

    @Transactional
    public WebhookEndpoint update(long endpointId, Draft draft) {
        manager();
        WebhookEndpoint endpoint = find(endpointId);
        Valid valid = validate(draft);
        String before = endpoint.getUrl() + " → " + String.join(", ", endpoint.getEventTypes());
        endpoint.change(valid.url(), valid.description(), valid.types());
        audit.record("webhook.changed", endpoint.getUrl(), before, endpoint.getUrl() + " → "
                + String.join(", ", valid.types()));
        return endpoint;
    }

    /** The endpoint's signing secret, for the admin to copy into the receiver. */
    @Transactional
    public String secret(long endpointId) {
        manager();
        return find(endpointId).secret();
    }

    /** A new secret, used from the next try on; the old one stops working at once. */
    @Transactional
    public String rotateSecret(long endpointId) {
        manager();
        WebhookEndpoint endpoint = find(endpointId);
        String secret = Signatures.newSecret();
        endpoint.rotate(secret, clock.instant());
        audit.record("webhook.secret_rotated", endpoint.getUrl(), null, null);
        return secret;
    }

    /** Switching an endpoint back on clears its failure history; its given-up deliveries can then be redelivered. */
    @Transactional
    public WebhookEndpoint setEnabled(long endpointId, boolean enabled) {
        manager();
        WebhookEndpoint endpoint = em.find(WebhookEndpoint.class, endpointId, LockModeType.PESSIMISTIC_WRITE);
        if (endpoint == null) {
            throw new NotFoundException("Webhook endpoint");
        }
        if (enabled && !endpoint.isEnabled()) {
            Addresses.check(endpoint.getUrl(), settings.allowPrivateAddresses());
            String before = endpoint.getDisabledReason();
            endpoint.enable();
            audit.record("webhook.enabled", endpoint.getUrl(), before, "enabled");
        } else if (!enabled && endpoint.isEnabled()) {
            endpoint.disable("Switched off by a member", clock.instant());
            audit.record("webhook.disabled", endpoint.getUrl(), "enabled", "switched off by a member");
        }
        return endpoint;
    }

    /** Deletes the endpoint with its delivery log; queued tries then find nothing to send. */
    @Transactional
    public void delete(long endpointId) {
        manager();
        WebhookEndpoint endpoint = find(endpointId);
        em.remove(endpoint);
        audit.record("webhook.deleted", endpoint.getUrl(), String.join(", ", endpoint.getEventTypes()), null);
    }

    /** Queues a {@code webhook.test} event to this endpoint alone, signed and logged like any other. */
    @Transactional
    public WebhookDelivery sendTest(long endpointId) {
        Actor actor = manager();
        WebhookEndpoint endpoint = find(endpointId);
        if (!endpoint.isEnabled()) {
            throw new BadInputException(null, "Switch the endpoint on before sending a test event");
        }
        Instant now = clock.instant();
        UUID eventId = UUID.randomUUID();
        String payload = WebhookOutbox.payload(eventId, WebhookEvents.TEST, now, actor.tenantId(), null,
                actor.userId(), new Happened.Subject(Happened.Subject.Type.WEBHOOK, endpoint.getId(),
                        endpoint.getUrl()), Map.of("test", true), "A test event from Runway's Settings page");
        audit.record("webhook.test_sent", endpoint.getUrl(), null, eventId.toString());
        return outbox.queue(endpoint.getId(), eventId, WebhookEvents.TEST, payload, now);
    }

    /** The endpoint's latest deliveries, newest first. */
    @Transactional
    public List<WebhookDelivery> deliveries(long endpointId) {
        manager();
        find(endpointId);
        return em.createQuery("select d from WebhookDelivery d where d.endpointId = :endpoint "
                        + "order by d.createdAt desc, d.id desc", WebhookDelivery.class)
                .setParameter("endpoint", endpointId).setMaxResults(LOG_PAGE).getResultList();
    }

    /** Every try of one delivery, oldest first. */
    @Transactional
    public List<WebhookAttempt> attempts(long deliveryId) {
        manager();
        delivery(deliveryId);
        return em.createQuery("select a from WebhookAttempt a where a.deliveryId = :delivery "
                        + "order by a.attemptedAt, a.id", WebhookAttempt.class)
                .setParameter("delivery", deliveryId).getResultList();
    }

    /**
     * Sends a given-up (or still waiting) delivery again from now, with the same event id and body and a fresh series of
     * tries. A delivered event is never sent again: the receiver already has it.
     */
    @Transactional
    public WebhookDelivery redeliver(long deliveryId) {
        Actor actor = manager();
        WebhookDelivery delivery = em.find(WebhookDelivery.class, deliveryId, LockModeType.PESSIMISTIC_WRITE);
        if (delivery == null) {
            throw new NotFoundException("Webhook delivery");
        }
        if (delivery.getStatus() == WebhookDelivery.Status.DELIVERED) {
            throw new BadInputException(null, "This event was delivered (the receiver answered "
                    + delivery.getLastStatusCode() + "), so it is not sent again. Use “Send test event” to check the "
                    + "endpoint");
        }
        WebhookEndpoint endpoint = find(delivery.getEndpointId());
        if (!endpoint.isEnabled()) {
            throw new BadInputException(null, "Switch the endpoint on before redelivering");
        }
        Instant now = clock.instant();
        delivery.again(now);
        queue.enqueue(new DeliveryRef(actor.tenantId(), delivery.getId(), delivery.getRedeliveries()), now);
        audit.record("webhook.redelivered", endpoint.getUrl(), null, delivery.getEventType() + " "
                + delivery.getEventId());
        return delivery;
    }

    /** The retry schedule in force, for the page's explanation. */
    public WebhookSettings settings() {
        return settings;
    }

    private Actor manager() {
        Actor actor = access.require(Permission.MANAGE_SETTINGS);
        if (actor.viaApiKey()) {
            throw new AccessDeniedException("Webhooks are managed on the Settings page, not with an API key");
        }
        return actor;
    }

    private WebhookEndpoint find(long endpointId) {
        return Optional.ofNullable(em.find(WebhookEndpoint.class, endpointId))
                .orElseThrow(() -> new NotFoundException("Webhook endpoint"));
    }

    private WebhookDelivery delivery(long deliveryId) {
        return Optional.ofNullable(em.find(WebhookDelivery.class, deliveryId))
                .orElseThrow(() -> new NotFoundException("Webhook delivery"));
    }

    private record Valid(String url, String description, Set<String> types) {}

    private Valid validate(Draft draft) {
        if (draft == null) {
            throw new BadInputException("url", "URL is required");
        }
        URI uri = Addresses.check(draft.url(), settings.allowPrivateAddresses());
        String description = draft.description() == null ? "" : draft.description().strip();
        if (description.length() > WebhookEndpoint.DESCRIPTION_MAX) {
            throw new BadInputException("description", "Description must be at most "
                    + WebhookEndpoint.DESCRIPTION_MAX + " characters");
        }
        Set<String> types = new LinkedHashSet<>();
        WebhookEvents.TYPES.forEach(t -> {
            if (draft.eventTypes() != null && draft.eventTypes().contains(t.code())) {
                types.add(t.code());
            }
        });
        if (draft.eventTypes() != null) {
            draft.eventTypes().stream().filter(code -> !WebhookEvents.known(code)).findFirst().ifPresent(code -> {
                throw new BadInputException("eventTypes", "Unknown event type " + code);
            });
        }
        if (types.isEmpty()) {
            throw new BadInputException("eventTypes", "Choose at least one event to send");
        }
        return new Valid(uri.toString(), description, types);
    }
}
