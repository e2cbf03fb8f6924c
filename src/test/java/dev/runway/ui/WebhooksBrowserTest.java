package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import dev.runway.tenancy.Role;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Settings → Webhooks: an owner adds an endpoint (a receiver this test starts), copies its secret, sends a test event
 * that arrives signed, reads the delivery log and redelivers a failed event; an engineer sees no webhooks.
 */
@QuarkusTest
class WebhooksBrowserTest extends BrowserTestBase {

    @Inject
    TenancyFixture fixture;

    record Received(String signature, String body) {}

    @Test
    void an_owner_adds_an_endpoint_sends_a_test_event_and_reads_the_delivery_log() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestHeaders().getFirst("Runway-Signature"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            Integer status = answers.poll();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 200 : status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String hookUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        TenancyFixture.Company company = fixture.company();
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, company.ownerEmail());
            page.navigate(url("settings"));
            assertThat(page.getByText("No webhook endpoints yet")).isVisible();

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add endpoint")).first().click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel("URL", new Locator.GetByLabelOptions().setExact(true)).fill("ftp://example.com/x");
            dialog.getByLabel("Description (optional)").fill("Deploy pipeline");
            dialog.getByText("A run finished (run.finished)").click();
            dialog.getByText("A model version changed stage (model.stage_changed)").click();
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add endpoint")).click();
            assertThat(dialog.getByText("Use an http:// or https:// URL")).isVisible();
            shoot(page, "webhook-add-refused.png");
            dialog.getByLabel("URL", new Locator.GetByLabelOptions().setExact(true)).fill(hookUrl);
            shoot(page, "webhook-add.png");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add endpoint")).click();

            assertThat(page.getByText("Endpoint added: its signing secret")).isVisible();
            String secret = page.locator(".webhook-secret input").inputValue();
            assertThat(secret).matches("whsec_[A-Za-z0-9_-]{43}");
            shoot(page, "webhook-secret.png");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();

            Locator card = page.locator(".webhook-endpoint");
            assertThat(card).containsText(hookUrl);
            assertThat(card).containsText("Deploy pipeline");
            assertThat(card).containsText("model.stage_changed");
            assertThat(card).containsText("Active");

            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Send test event")).click();
            long deadline = System.currentTimeMillis() + 15_000;
            while (received.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(received).hasSize(1);
            Received first = received.get(0);
            String t = first.signature().substring(2, first.signature().indexOf(','));
            assertThat(first.signature()).endsWith(",v1=" + hmac(secret, t + "." + first.body()));
            assertThat(first.body()).contains("\"type\":\"webhook.test\"");

            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Deliveries")).click();
            Locator log = page.locator("vaadin-grid.webhook-deliveries");
            assertThat(log).containsText("webhook.test");
            assertThat(log).containsText("Delivered");
            assertThat(log).containsText("HTTP 200");
            shoot(page, "webhook-deliveries.png");
            page.setViewportSize(390, 844);
            shoot(page, "webhook-deliveries-narrow.png");
            page.setViewportSize(1366, 900);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();

            // A failing receiver: the delivery retries, and "Redeliver" sends the same event again now.
            answers.addAll(List.of(500, 500, 500, 500, 500, 500));
            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Send test event")).click();
            deadline = System.currentTimeMillis() + 15_000;
            while (received.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Deliveries")).click();
            assertThat(log).containsText("HTTP 500");
            Locator redeliver = log.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Redeliver"));
            assertThat(redeliver).hasCount(1);
            answers.clear();
            redeliver.click();
            assertThat(page.getByText("Redelivery queued")).isVisible();
            deadline = System.currentTimeMillis() + 15_000;
            while (received.size() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(received.get(received.size() - 1).body()).isEqualTo(received.get(1).body());
            deadline = System.currentTimeMillis() + 15_000;
            do {
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Refresh")).click();
                page.waitForTimeout(300);
            } while (log.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Redeliver")).count() > 0
                    && System.currentTimeMillis() < deadline);
            assertThat(log.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Redeliver")))
                    .hasCount(0);
            log.getByText("webhook.test").first().click();
            assertThat(log).containsText("Try 1");
            shoot(page, "webhook-attempts.png");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();

            page.locator(".webhooks").scrollIntoViewIfNeeded();
            shoot(page, "webhook-settings.png");
            page.setViewportSize(390, 844);
            page.locator(".webhook-endpoint").scrollIntoViewIfNeeded();
            shoot(page, "webhook-settings-narrow.png");
        } finally {
            server.stop(0);
        }

        String engineerEmail = "engineer-" + TenancyFixture.unique() + "@example.com";
        fixture.join(company, engineerEmail, Role.ENGINEER);
        try (BrowserContext context = newContext()) {
            Page page = signIn(context, engineerEmail);
            page.navigate(url("settings"));
            assertThat(page.getByText("Your account").first()).isVisible();
            assertThat(page.getByText("Webhooks")).hasCount(0);
        }
    }

    /** After dialogs finish opening, without the notifications of earlier steps. */
    private static void shoot(Page page, String name) {
        page.waitForTimeout(500);
        page.evaluate("document.querySelectorAll('vaadin-notification-card').forEach(n => n.remove());"
                + "[...document.body.children].filter(e => /^(vaadin-dev|copilot)/i.test(e.tagName))"
                + ".forEach(e => e.remove())");
        screenshot(page, name);
    }

    private static String hmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }
}
