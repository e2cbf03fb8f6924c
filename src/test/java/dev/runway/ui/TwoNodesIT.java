package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.EmbeddedDatabase;
import dev.runway.testing.Ports;
import dev.runway.testing.TenancyFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two console nodes of the packaged application (java -jar target/quarkus-app/quarkus-run.jar, built with
 * -Pproduction) on one PostgreSQL, as behind a load balancer: what a member does on one node appears live on a page
 * open on the other, through LISTEN/NOTIFY. Run by failsafe: ./mvnw verify -Pproduction -DskipTests.
 */
class TwoNodesIT extends BrowserTestBase {

    private static final Pattern SIGN_UP_LINK = Pattern.compile("(https?://\\S+/signup/confirm/\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static EmbeddedDatabase database;
    static final List<Node> NODES = new ArrayList<>();

    record Node(String name, int port, Process process, Path log) {
        String url(String path) {
            return "http://localhost:" + port + "/" + path;
        }
    }

    @BeforeAll
    static void twoNodes() throws Exception {
        Path folder = Files.createTempDirectory("runway-two-nodes-");
        database = EmbeddedDatabase.start(folder.resolve("postgres"), true, true);
        // One node first: it migrates the schema; the second then finds it done.
        NODES.add(start("node-a", folder));
        NODES.add(start("node-b", folder));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Node node : NODES) {
            node.process().destroy();
            if (!node.process().waitFor(20, TimeUnit.SECONDS)) {
                node.process().destroyForcibly();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    private static Node start(String name, Path folder) throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged application (./mvnw verify -Pproduction)").exists();
        int port = Ports.free();
        // Health and metrics listen on a management port of their own: each node needs a free one too.
        int management = Ports.free();
        Path log = folder.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (Map.Entry<String, String> setting : database.quarkusSettings().entrySet()) {
            command.add("-D" + setting.getKey() + "=" + setting.getValue());
        }
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management,
                "-Drunway.node.name=" + name,
                "-Drunway.public-url=http://localhost:" + port,
                "-Drunway.session.secure-cookie=false",
                "-Drunway.storage.root=" + folder.resolve("storage"),
                "-Drunway.data.dir=" + folder.resolve(name),
                "-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Node node = new Node(name, port, process, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as(name + " is running (see " + log + ")").isTrue();
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(node.url("login"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return node;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not start within 90 s; see " + log);
    }

    @Test
    void what_a_member_does_on_one_node_appears_live_on_a_page_open_on_the_other() throws Exception {
        Node a = NODES.get(0);
        Node b = NODES.get(1);
        String id = TenancyFixture.unique();
        String email = "founder-" + id + "@example.com";
        try (BrowserContext onA = newContext(); BrowserContext onB = newContext()) {
            // Sign up on node A (with no SMTP server the link is in the node's log).
            Page pageA = onA.newPage();
            pageA.navigate(a.url("signup"));
            pageA.getByLabel("Company name", EXACT).fill("Two nodes " + id);
            pageA.getByLabel("Your name", EXACT).fill("Founder " + id);
            pageA.getByLabel("Work email", EXACT).fill(email);
            pageA.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create company")).click();
            assertThat(pageA.getByText("Check your inbox").first()).isVisible();
            pageA.navigate(signUpLink(a, email));
            pageA.getByLabel("Password", EXACT).fill(TenancyFixture.PASSWORD);
            pageA.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create my company")).click();
            assertThat(pageA.locator(".page-header h2")).hasText("Two nodes " + id);

            // The same member signs in on node B and opens the company's activity there.
            Page pageB = onB.newPage();
            pageB.navigate(b.url("login"));
            pageB.getByLabel("Email", EXACT).fill(email);
            pageB.getByLabel("Password", EXACT).fill(TenancyFixture.PASSWORD);
            pageB.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
            assertThat(pageB.locator(".page-header h2")).isVisible();
            pageB.navigate(b.url("activity"));
            assertThat(pageB.locator(".activity-feed")).containsText("Nothing has happened here yet");

            // An action on node A: the sample project uploads its data sets there.
            pageA.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create a sample project")).click();
            long clicked = System.nanoTime();
            Locator entries = pageB.locator(".activity-entry");
            assertThat(entries.first()).containsText("uploaded",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(10_000));
            System.out.printf("Two nodes: an upload on %s appeared on %s's open activity page %d ms after the click "
                    + "(the click includes uploading and profiling the sample data sets)%n", a.name(), b.name(),
                    (System.nanoTime() - clicked) / 1_000_000);
            assertThat(entries).hasCount(4, new LocatorAssertions.HasCountOptions().setTimeout(10_000));
            assertThat(pageA.locator(".page-header h2")).hasText("Sample project");
            screenshot(pageB, "two-nodes-activity.png");

            // A run started on node A ends on whichever node's executor took it: its owner's bell on node B counts it.
            Locator bell = pageB.locator(".notification-bell .notification-count");
            assertThat(bell).isHidden();
            pageA.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Runs")).click();
            pageA.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New run")).click();
            pageA.getByRole(AriaRole.DIALOG).getByLabel("Dataset (latest version)").click();
            pageA.locator("vaadin-combo-box-item").filter(new Locator.FilterOptions().setHasText("linear v1")).click();
            pageA.getByRole(AriaRole.DIALOG).getByLabel("Template", new Locator.GetByLabelOptions().setExact(true))
                    .click();
            pageA.locator("vaadin-select-item").filter(new Locator.FilterOptions().setHasText("Linear regression"))
                    .click();
            pageA.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start run")).click();
            assertThat(pageA.locator(".page-header h2")).containsText("Linear regression");
            assertThat(bell).hasText("1", new LocatorAssertions.HasTextOptions().setTimeout(120_000));
            assertThat(entries.first()).containsText("finished");
            assertThat(pageA.locator(".page-header")).containsText("succeeded");
            screenshot(pageB, "two-nodes-bell.png");
        }
    }

    private static String signUpLink(Node node, String email) throws Exception {
        for (int i = 0; i < 100; i++) {
            String log = Files.readString(node.log());
            int at = log.indexOf("Mail to " + email);
            if (at >= 0) {
                Matcher m = SIGN_UP_LINK.matcher(log.substring(at));
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no sign-up link for " + email + " in " + node.log());
    }

}
