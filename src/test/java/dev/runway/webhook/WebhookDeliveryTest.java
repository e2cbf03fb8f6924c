package dev.runway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runway.base.AccessDeniedException;
import dev.runway.base.BadInputException;
import dev.runway.base.Happened;
import dev.runway.base.Json;
import dev.runway.base.NotFoundException;
import dev.runway.tenancy.Actor;
import dev.runway.tenancy.Role;
import dev.runway.testing.Acting;
import dev.runway.testing.HappenedRecorder;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.Run;
import dev.runway.training.RunFixture;
import dev.runway.training.RunService;
import dev.runway.training.engine.Hyperparameters;
import dev.runway.training.engine.Template;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end against a local HTTP receiver the test starts: signed deliveries through the durable queue,
 * retries, no second sending, no redirects, the address checks, permissions and tenant isolation.
 */
@QuarkusTest
class WebhookDeliveryTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    TenancyFixture tenancy;

    @Inject
    RunFixture runs;

    @Inject
    RunService runService;

    @Inject
    WebhookService webhooks;

    @Inject
    WebhookDeliverer deliverer;

    @Inject
    WebhookSettings settings;

    @Inject
    HappenedRecorder recorder;

    @Inject
    Event<Happened> happened;

    @Inject
    jakarta.persistence.EntityManager em;

    Receiver receiver;

    @BeforeEach
    void receive() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void a_finished_run_reaches_the_receiver_signed_with_the_endpoints_secret() throws Exception {
        RunFixture.Setup setup = runs.linear();
        Actor owner = setup.company().owner();
        WebhookService.Created created = Acting.as(owner, () -> webhooks.create(new WebhookService.Draft(
                receiver.url("/hooks"), "CI", List.of("run.finished", "run.failed"))));
        assertThat(created.secret()).startsWith("whsec_");

        long runId = Acting.as(owner, () -> runService.submit(new RunService.Submission(setup.versionId(),
                Hyperparameters.defaults(Template.LINEAR_REGRESSION), "auto", 50)).getId());

        Receiver.Request request = receiver.await("/hooks", 1, Duration.ofSeconds(60)).get(0);
        JsonNode body = Json.tree(request.body());
        assertThat(body.get("type").asText()).isEqualTo("run.finished");
        assertThat(body.get("companyId").asLong()).isEqualTo(owner.tenantId());
        assertThat(body.at("/subject/type").asText()).isEqualTo("run");
        assertThat(body.at("/subject/id").asLong()).isEqualTo(runId);
        assertThat(body.at("/subject/label").asText()).isEqualTo("Training run #" + runId);
        assertThat(body.at("/subject/status").asText()).isEqualTo(Run.Status.SUCCEEDED.name());
        assertThat(body.get("summary").asText()).contains("finished");
        assertThat(Instant.parse(body.get("time").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(request.header("Runway-Event-Id")).isEqualTo(body.get("id").asText());
        assertThat(request.header("Runway-Event-Type")).isEqualTo("run.finished");
        assertThat(request.header("Content-Type")).startsWith("application/json");

        // What a receiver does (docs/webhooks.md): recompute the HMAC over "<t>.<body>" and check the time.
        String signature = request.header("Runway-Signature");
        assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
        long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
        String v1 = signature.substring(signature.indexOf("v1=") + 3);
        assertThat(v1).isEqualTo(hmacSha256Hex(created.secret(), t + "." + request.body()));
        assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThan(300);
        assertThat(v1).isNotEqualTo(hmacSha256Hex(created.secret() + "x", t + "." + request.body()));

        WebhookDelivery delivery = awaitStatus(owner, created.endpoint().getId(), WebhookDelivery.Status.DELIVERED);
        assertThat(delivery.getEventId().toString()).isEqualTo(body.get("id").asText());
        assertThat(delivery.getAttempts()).isEqualTo(1);
        assertThat(delivery.getLastStatusCode()).isEqualTo(200);
        // The answer's first KB, control characters blanked.
        assertThat(delivery.getLastResponse()).startsWith("answer 200").hasSizeLessThanOrEqualTo(1024)
                .doesNotContain("\u0007", "\u001b");
    }

    @Test
    void a_receiver_that_fails_twice_gets_the_event_on_the_third_try_and_never_again() throws Exception {
        TenancyFixture.Company company = tenancy.company();
        Actor owner = company.owner();
        long endpoint = endpoint(owner, "/flaky", "budget.threshold");
        receiver.answer("/flaky", 500, 503);

        fire(owner, Happened.Kind.BUDGET_THRESHOLD);

        List<Receiver.Request> requests = receiver.await("/flaky", 3, WAIT);
        assertThat(requests).extracting(Receiver.Request::body).containsOnly(requests.get(0).body());
        assertThat(requests).extracting(r -> r.header("Runway-Event-Id")).containsOnly(
                requests.get(0).header("Runway-Event-Id"));
        WebhookDelivery delivery = awaitStatus(owner, endpoint, WebhookDelivery.Status.DELIVERED);
        assertThat(delivery.getAttempts()).isEqualTo(3);
        List<WebhookAttempt> attempts = Acting.as(owner, () -> webhooks.attempts(delivery.getId()));
        assertThat(attempts).extracting(WebhookAttempt::getStatusCode).containsExactly(500, 503, 200);
        assertThat(attempts).allSatisfy(a -> assertThat(a.getDurationMs()).isBetween(0, 10_000));
        assertThat(attempts.get(0).getError()).isEqualTo("HTTP 500");

        // A second execution of the task (a revived or duplicated one) finds the delivery delivered: nothing is sent.
        DeliveryRef ref = new DeliveryRef(owner.tenantId(), delivery.getId(), delivery.getRedeliveries());
        assertThat(Acting.as(owner, () -> deliverer.attempt(ref))).isEmpty();
        // Redeliver refuses a delivered event.
        assertThatThrownBy(() -> Acting.as(owner, () -> webhooks.redeliver(delivery.getId())))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not sent again");
        Thread.sleep(1500);
        assertThat(receiver.requests("/flaky")).hasSize(3);
        assertThat(Acting.as(owner, () -> webhooks.get(endpoint)).getConsecutiveFailures()).isZero();
        assertThat(Acting.as(owner, () -> webhooks.get(endpoint)).getFailingSince()).isNull();
    }

    @Test
    void a_given_up_delivery_is_redelivered_with_the_same_event_and_a_stale_task_does_nothing() throws Exception {
        Actor owner = tenancy.company().owner();
        long endpoint = endpoint(owner, "/down", "invoice.finalised");
        receiver.answer("/down", 500, 500, 500, 500);
        fire(owner, Happened.Kind.INVOICE_FINALISED);

        WebhookDelivery failed = awaitStatus(owner, endpoint, WebhookDelivery.Status.FAILED);
        assertThat(failed.getAttempts()).isEqualTo(settings.tries()).isEqualTo(4);
        assertThat(receiver.requests("/down")).hasSize(4);

        Acting.as(owner, () -> webhooks.redeliver(failed.getId()));
        WebhookDelivery delivered = awaitStatus(owner, endpoint, WebhookDelivery.Status.DELIVERED);
        assertThat(delivered.getRedeliveries()).isEqualTo(1);
        assertThat(delivered.getAttempts()).isEqualTo(5);
        assertThat(delivered.seriesAttempts()).isEqualTo(1);
        assertThat(receiver.requests("/down")).hasSize(5).extracting(r -> r.header("Runway-Event-Id"))
                .containsOnly(failed.getEventId().toString());
        // The task of the first series is stale.
        assertThat(Acting.as(owner, () -> deliverer.attempt(new DeliveryRef(owner.tenantId(), failed.getId(), 0))))
                .isEmpty();
        assertThat(receiver.requests("/down")).hasSize(5);
    }

    @Test
    void a_redirect_is_not_followed_and_counts_as_a_failure() throws Exception {
        Actor owner = tenancy.company().owner();
        long endpoint = endpoint(owner, "/moved", "run.failed");
        receiver.answer("/moved", 302, 302, 302, 302);
        Acting.as(owner, () -> webhooks.sendTest(endpoint));

        receiver.await("/moved", 1, WAIT);
        WebhookDelivery delivery = awaitAttempts(owner, endpoint, 1);
        assertThat(delivery.getLastStatusCode()).isEqualTo(302);
        assertThat(delivery.getLastError()).contains("not followed");
        assertThat(delivery.getEventType()).isEqualTo(WebhookEvents.TEST);
        assertThat(receiver.requests("/target")).isEmpty();
    }

    @Test
    void an_endpoint_on_a_private_address_is_refused_at_save_and_before_each_try_when_the_setting_is_off()
            throws Exception {
        Actor owner = tenancy.company().owner();
        long endpoint = endpoint(owner, "/private", "run.finished");
        settings.allowPrivateAddresses = false;
        try {
            assertThatThrownBy(() -> Acting.as(owner, () -> webhooks.create(new WebhookService.Draft(
                    receiver.url("/private"), "", List.of("run.finished")))))
                    .isInstanceOfSatisfying(BadInputException.class, e -> {
                        assertThat(e.field()).isEqualTo("url");
                        assertThat(e.getMessage()).isEqualTo("The host 127.0.0.1 is at 127.0.0.1, a loopback address."
                                + " Runway sends webhooks to public internet addresses only");
                    });
            assertThatThrownBy(() -> Acting.as(owner, () -> webhooks.update(endpoint, new WebhookService.Draft(
                    "http://169.254.169.254/latest/meta-data/", "", List.of("run.finished")))))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("link-local");
            assertThatThrownBy(() -> Acting.as(owner, () -> webhooks.create(new WebhookService.Draft(
                    "ftp://example.com/hooks", "", List.of("run.finished")))))
                    .isInstanceOf(BadInputException.class).hasMessageStartingWith("Use an http:// or https:// URL");

            // Saved while allowed, the endpoint is checked again before the try: nothing reaches the address.
            Acting.as(owner, () -> webhooks.sendTest(endpoint));
            WebhookDelivery delivery = awaitAttempts(owner, endpoint, 1);
            assertThat(delivery.getLastStatusCode()).isNull();
            assertThat(delivery.getLastError()).startsWith("Not sent: The host 127.0.0.1 is at 127.0.0.1, a loopback");
            assertThat(receiver.requests("/private")).isEmpty();
        } finally {
            settings.allowPrivateAddresses = true;
        }
    }

    @Test
    void an_endpoint_that_keeps_failing_is_switched_off_and_the_owners_and_admins_hear_of_it() throws Exception {
        TenancyFixture.Company company = tenancy.company();
        Actor owner = company.owner();
        Actor admin = tenancy.member(company, Role.ADMIN);
        tenancy.member(company, Role.ENGINEER);
        long endpoint = endpoint(owner, "/broken", "budget.threshold");
        receiver.answer("/broken", 500, 500, 500, 500, 500, 500, 500, 500);
        int before = settings.disableAfterFailedDeliveries;
        settings.disableAfterFailedDeliveries = 1;
        try {
            fire(owner, Happened.Kind.BUDGET_THRESHOLD);
            awaitStatus(owner, endpoint, WebhookDelivery.Status.FAILED);
        } finally {
            settings.disableAfterFailedDeliveries = before;
        }
        WebhookEndpoint off = Acting.as(owner, () -> webhooks.get(endpoint));
        assertThat(off.isEnabled()).isFalse();
        assertThat(off.getDisabledReason()).isEqualTo("Switched off after a delivery failed every try (last: HTTP 500)");
        List<Happened> told = recorder.of(Happened.Kind.WEBHOOK_DISABLED, owner.tenantId());
        assertThat(told).hasSize(1);
        assertThat(told.get(0).addressed()).containsExactlyInAnyOrder(owner.userId(), admin.userId());
        assertThat(told.get(0).subject().id()).isEqualTo(endpoint);

        // Switched off, it receives nothing; switched on again, it starts afresh.
        fire(owner, Happened.Kind.BUDGET_THRESHOLD);
        assertThat(Acting.as(owner, () -> webhooks.deliveries(endpoint))).hasSize(1);
        assertThatThrownBy(() -> Acting.as(owner, () -> webhooks.sendTest(endpoint)))
                .isInstanceOf(BadInputException.class);
        WebhookEndpoint on = Acting.as(owner, () -> webhooks.setEnabled(endpoint, true));
        assertThat(on.isEnabled()).isTrue();
        assertThat(on.getConsecutiveFailures()).isZero();
        assertThat(on.getDisabledReason()).isNull();
    }

    @Test
    void an_endpoint_failing_for_the_set_time_is_switched_off_before_its_delivery_runs_out_of_tries()
            throws Exception {
        Actor owner = tenancy.company().owner();
        long endpoint = endpoint(owner, "/slow-death", "budget.threshold");
        receiver.answer("/slow-death", 500, 500, 500, 500);
        Duration before = settings.disableAfter;
        settings.disableAfter = Duration.ofMillis(1500);
        try {
            fire(owner, Happened.Kind.BUDGET_THRESHOLD);
            WebhookDelivery failed = awaitStatus(owner, endpoint, WebhookDelivery.Status.FAILED);
            assertThat(failed.getAttempts()).isLessThan(settings.tries());
        } finally {
            settings.disableAfter = before;
        }
        WebhookEndpoint off = Acting.as(owner, () -> webhooks.get(endpoint));
        assertThat(off.isEnabled()).isFalse();
        assertThat(off.getDisabledReason()).startsWith("Switched off after every attempt failed for 1 second");
        assertThat(recorder.of(Happened.Kind.WEBHOOK_DISABLED, owner.tenantId())).hasSize(1);
    }

    @Test
    void a_rolled_back_change_sends_nothing_and_events_not_subscribed_to_are_not_sent() throws Exception {
        Actor owner = tenancy.company().owner();
        long endpoint = endpoint(owner, "/outbox", "run.failed");
        assertThatThrownBy(() -> Acting.tx(owner, () -> {
            happened.fire(event(owner, Happened.Kind.RUN_FAILED));
            throw new IllegalStateException("the change failed");
        })).hasMessage("the change failed");
        fire(owner, Happened.Kind.RUN_FINISHED);
        fire(owner, Happened.Kind.RUN_STARTED);
        Thread.sleep(1500);
        assertThat(receiver.requests("/outbox")).isEmpty();
        assertThat(Acting.as(owner, () -> webhooks.deliveries(endpoint))).isEmpty();
    }

    @Test
    void an_engineer_cannot_manage_webhooks() {
        TenancyFixture.Company company = tenancy.company();
        long endpoint = endpoint(company.owner(), "/team", "run.finished");
        Actor engineer = tenancy.member(company, Role.ENGINEER);
        assertThatThrownBy(() -> Acting.as(engineer, () -> webhooks.list())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> Acting.as(engineer, () -> webhooks.create(new WebhookService.Draft(
                receiver.url("/x"), "", List.of("run.finished"))))).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> Acting.as(engineer, () -> webhooks.secret(endpoint)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> Acting.as(engineer, () -> webhooks.sendTest(endpoint)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> Acting.as(engineer, () -> webhooks.delete(endpoint)))
                .isInstanceOf(AccessDeniedException.class);
        Actor admin = tenancy.member(company, Role.ADMIN);
        assertThat(Acting.as(admin, () -> webhooks.list())).extracting(WebhookEndpoint::getId).containsExactly(endpoint);
    }

    @Test
    void another_company_neither_sees_nor_receives_an_endpoints_events() throws Exception {
        Actor a = tenancy.company().owner();
        Actor b = tenancy.company().owner();
        long endpoint = endpoint(a, "/a", "budget.threshold");
        fire(a, Happened.Kind.BUDGET_THRESHOLD);
        WebhookDelivery delivery = awaitStatus(a, endpoint, WebhookDelivery.Status.DELIVERED);

        assertThat(Acting.as(b, () -> webhooks.list())).isEmpty();
        assertThatThrownBy(() -> Acting.as(b, () -> webhooks.get(endpoint))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> Acting.as(b, () -> webhooks.secret(endpoint))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> Acting.as(b, () -> webhooks.deliveries(endpoint)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> Acting.as(b, () -> webhooks.attempts(delivery.getId())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> Acting.as(b, () -> webhooks.redeliver(delivery.getId())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> Acting.as(b, () -> webhooks.delete(endpoint))).isInstanceOf(NotFoundException.class);
        // Company B's event does not reach company A's endpoint, and B's try of A's delivery finds nothing.
        fire(b, Happened.Kind.BUDGET_THRESHOLD);
        assertThat(Acting.as(b, () -> deliverer.attempt(new DeliveryRef(b.tenantId(), delivery.getId(), 0))))
                .isEmpty();
        Thread.sleep(1000);
        assertThat(receiver.requests("/a")).hasSize(1);
        // The database's wall: native SQL as B, or with no company set, sees none of A's rows.
        for (String table : List.of("webhook_endpoint", "webhook_delivery", "webhook_attempt")) {
            Number asB = Acting.tx(b, () -> (Number) em.createNativeQuery("select count(*) from " + table
                    + " where tenant_id <> :b").setParameter("b", b.tenantId()).getSingleResult());
            Number asNobody = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                    (Number) em.createNativeQuery("select count(*) from " + table).getSingleResult());
            assertThat(asB.longValue()).as(table).isZero();
            assertThat(asNobody.longValue()).as(table).isZero();
        }
    }

    @Test
    void the_secret_rotates_and_signs_the_next_delivery() throws Exception {
        Actor owner = tenancy.company().owner();
        long endpoint = endpoint(owner, "/rotate", "run.finished");
        String old = Acting.as(owner, () -> webhooks.secret(endpoint));
        String fresh = Acting.as(owner, () -> webhooks.rotateSecret(endpoint));
        assertThat(fresh).isNotEqualTo(old).startsWith("whsec_");
        assertThat(Acting.as(owner, () -> webhooks.secret(endpoint))).isEqualTo(fresh);
        Acting.as(owner, () -> webhooks.sendTest(endpoint));
        Receiver.Request request = receiver.await("/rotate", 1, WAIT).get(0);
        String signature = request.header("Runway-Signature");
        long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
        assertThat(signature).endsWith("v1=" + hmacSha256Hex(fresh, t + "." + request.body()));
        assertThat(Json.tree(request.body()).get("type").asText()).isEqualTo("webhook.test");

        // Deleting it takes its delivery log along.
        awaitStatus(owner, endpoint, WebhookDelivery.Status.DELIVERED);
        Acting.as(owner, () -> webhooks.delete(endpoint));
        assertThat(Acting.as(owner, () -> webhooks.list())).isEmpty();
        assertThatThrownBy(() -> Acting.as(owner, () -> webhooks.deliveries(endpoint)))
                .isInstanceOf(NotFoundException.class);
        assertThat(Acting.tx(owner, () -> (Number) em.createNativeQuery("select count(*) from webhook_delivery")
                .getSingleResult()).longValue()).isZero();
    }

    @Test
    void the_form_refuses_what_it_cannot_save_with_a_message_at_the_field() {
        Actor owner = tenancy.company().owner();
        assertThatThrownBy(() -> Acting.as(owner, () -> webhooks.create(new WebhookService.Draft(
                receiver.url("/x"), "", List.of())))).isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.field()).isEqualTo("eventTypes"));
        assertThatThrownBy(() -> Acting.as(owner, () -> webhooks.create(new WebhookService.Draft(
                "not a url", "", List.of("run.finished"))))).isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.field()).isEqualTo("url"));
        assertThatThrownBy(() -> Acting.as(owner, () -> webhooks.create(new WebhookService.Draft(
                "https://user:secret@example.com/hooks", "", List.of("run.finished")))))
                .hasMessageStartingWith("Put no user name or password in the URL");
    }

    @Test
    void a_company_without_endpoints_pays_one_small_query_per_transaction() {
        Actor owner = tenancy.company().owner();
        int n = 300;
        long[] skipped = new long[1];
        long[] queried = new long[1];
        for (int round = 0; round < 4; round++) {
            // Both kinds in a transaction that already holds its connection, as a run's end does; the first round warms.
            long a = timeFiring(owner, Happened.Kind.RUN_STARTED, n);
            long b = timeFiring(owner, Happened.Kind.RUN_FINISHED, n);
            if (round > 0) {
                skipped[0] += a;
                queried[0] += b;
            }
        }
        double perSkipped = skipped[0] / 1e6 / (3.0 * n);
        double perQueried = queried[0] / 1e6 / (3.0 * n);
        System.out.printf("Webhook outbox, company without endpoints: transaction with a kind webhooks do not carry "
                + "%.3f ms, with run.finished %.3f ms: the outbox adds %.3f ms%n", perSkipped, perQueried,
                perQueried - perSkipped);
        assertThat(Acting.as(owner, () -> webhooks.list())).isEmpty();
    }

    private long timeFiring(Actor owner, Happened.Kind kind, int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Acting.tx(owner, () -> {
                em.createNativeQuery("select 1").getSingleResult();
                happened.fire(event(owner, kind));
                return null;
            });
        }
        return System.nanoTime() - start;
    }

    private long endpoint(Actor owner, String path, String... types) {
        return Acting.as(owner, () -> webhooks.create(new WebhookService.Draft(receiver.url(path), "test",
                List.of(types)))).endpoint().getId();
    }

    private void fire(Actor actor, Happened.Kind kind) {
        Acting.tx(actor, () -> {
            happened.fire(event(actor, kind));
            return null;
        });
    }

    private static Happened event(Actor actor, Happened.Kind kind) {
        return new Happened(actor.tenantId(), kind, null, new Happened.Subject(Happened.Subject.Type.BUDGET, 7,
                "Company compute budget"), null, "Company compute budget reached 80 %", Set.of(),
                Map.of("threshold", 80, "currency", "EUR"));
    }

    private WebhookDelivery awaitStatus(Actor owner, long endpoint, WebhookDelivery.Status status)
            throws InterruptedException {
        Receiver.await(() -> Acting.as(owner, () -> webhooks.deliveries(endpoint)).stream()
                .anyMatch(d -> d.getStatus() == status) ? 1 : 0, 1, WAIT);
        return Acting.as(owner, () -> webhooks.deliveries(endpoint)).stream()
                .filter(d -> d.getStatus() == status).findFirst()
                .orElseThrow(() -> new AssertionError("no delivery reached " + status));
    }

    private WebhookDelivery awaitAttempts(Actor owner, long endpoint, int attempts) throws InterruptedException {
        Receiver.await(() -> Acting.as(owner, () -> webhooks.deliveries(endpoint)).stream()
                .mapToInt(WebhookDelivery::getAttempts).max().orElse(0), attempts, WAIT);
        return Acting.as(owner, () -> webhooks.deliveries(endpoint)).get(0);
    }

    static String hmacSha256Hex(String secret, String message) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
    }
}
