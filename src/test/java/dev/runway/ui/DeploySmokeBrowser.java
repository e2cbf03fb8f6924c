package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The console part of deploy/smoke.sh, against the console it runs in a container (not a test of this build: its
 * name keeps it out of surefire's default includes, and it runs only when runway.smoke.url is given). A newcomer
 * signs up with the link the console logs (no SMTP server there), creates the sample project and an API key, uploads
 * a CSV through the API and saves its preparation on the dataset page: the console actions that have no REST
 * endpoint. What smoke.sh needs next is written as shell variables to runway.smoke.out.
 *
 * <pre>
 * ./mvnw -B -o test -Dtest=DeploySmokeBrowser -Drunway.smoke.url=http://127.0.0.1:18080/ \
 *     -Drunway.smoke.log-command="podman logs runway-console-pod-0-runway" -Drunway.smoke.csv=samples/digits.csv \
 *     -Drunway.smoke.out=target/smoke/console.env
 * </pre>
 */
@EnabledIfSystemProperty(named = "runway.smoke.url", matches = ".+")
class DeploySmokeBrowser extends BrowserTestBase {

    private static final String PASSWORD = "smoke-test-Passw0rd-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration LINK_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void console() throws Exception {
        String url = System.getProperty("runway.smoke.url");
        base = new URL(url.endsWith("/") ? url : url + "/");
    }

    @Test
    void a_newcomer_signs_up_creates_a_project_and_an_api_key_and_uploads_a_csv() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String company = "Smoke " + id;
        String email = "founder-" + id + "@smoke.example";
        Path csv = Path.of(System.getProperty("runway.smoke.csv", "samples/digits.csv"));
        long started = System.nanoTime();
        try (BrowserContext context = newContext()) {
            context.setDefaultTimeout(60_000);
            Page page = context.newPage();
            try {
                journey(page, id, company, email, csv, started);
            } catch (AssertionError | RuntimeException e) {
                screenshot(page, "deploy-smoke-failure.png");
                throw e;
            }
        }
    }

    private void journey(Page page, String id, String company, String email, Path csv, long started)
            throws IOException, InterruptedException {
        page.navigate(url("signup"));
        page.getByLabel("Company name", EXACT).fill(company);
        page.getByLabel("Your name", EXACT).fill("Founder " + id);
        page.getByLabel("Work email", EXACT).fill(email);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create company")).click();
        assertThat(page.getByText("Check your inbox").first()).isVisible();

        String link = signUpLink(email);
        page.navigate(link);
        page.getByLabel("Password", EXACT).fill(PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create my company")).click();
        assertThat(page.locator(".page-header h2")).hasText(company,
                new LocatorAssertions.HasTextOptions().setTimeout(60_000));
        step("signed up", started);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create a sample project")).click();
        assertThat(page.locator(".page-header h2")).hasText("Sample project");

        page.navigate(url("settings"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create API key")).first().click();
        page.getByRole(AriaRole.DIALOG).getByLabel("Name",
                new com.microsoft.playwright.Locator.GetByLabelOptions().setExact(true)).fill("smoke");
        page.getByRole(AriaRole.DIALOG).getByLabel("Role",
                new com.microsoft.playwright.Locator.GetByLabelOptions().setExact(true)).click();
        page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("Admin — Everything but making or removing owners"))
                .click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        String key = page.locator(".api-key-value input").inputValue();
        assertThat(key).startsWith("rw_");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close")).click();
        step("sample project and API key", started);

        // The upload goes through the API, like a pipeline's; the dataset's preparation is set on its page.
        JsonNode projects = api(key, HttpRequest.newBuilder(api("projects")).GET());
        long project = -1;
        for (JsonNode p : projects.path("items")) {
            if ("Sample project".equals(p.path("name").asText())) {
                project = p.path("id").asLong();
            }
        }
        assertThat(project).as("the sample project in %s", projects).isPositive();
        JsonNode version = api(key, HttpRequest.newBuilder(api("projects/" + project
                        + "/datasets/smoke-digits/versions?filename=" + csv.getFileName()))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(csv)));
        long versionId = version.path("id").asLong();
        assertThat(versionId).isPositive();
        step("CSV uploaded through the API (" + Files.size(csv) + " bytes)", started);

        page.navigate(url("datasets/versions/" + versionId));
        page.getByLabel("Target column", EXACT).fill("digit");
        page.getByLabel("Target column", EXACT).press("Enter");
        page.getByLabel("Target column", EXACT).press("Tab");
        // Choosing the target fills the features on the console (a round trip). A click on Save while the target's
        // drop-down is still closing is sometimes taken by the drop-down and saves nothing: click until saved.
        page.keyboard().press("Escape");
        for (int attempt = 1; ; attempt++) {
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save preparation")).click();
            try {
                assertThat(page.getByText("Preparation saved").first()).isVisible(
                        new LocatorAssertions.IsVisibleOptions().setTimeout(3_000));
                break;
            } catch (AssertionError e) {
                if (attempt == 5) {
                    System.out.println("smoke console: notifications "
                            + page.locator("vaadin-notification-card").allTextContents());
                    throw e;
                }
            }
        }
        step("preparation saved", started);

        Path out = Path.of(System.getProperty("runway.smoke.out", "target/smoke/console.env"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, "SMOKE_KEY=" + key + "\nSMOKE_PROJECT=" + project + "\nSMOKE_VERSION=" + versionId
                + "\nSMOKE_EMAIL=" + email + "\n", StandardCharsets.UTF_8);
    }

    /** The sign-up link the console logged for this address (InvitationMailer logs mails without an SMTP server). */
    private String signUpLink(String email) throws IOException, InterruptedException {
        List<String> command = List.of("sh", "-c", System.getProperty("runway.smoke.log-command"));
        Pattern link = Pattern.compile("Mail to " + Pattern.quote(email) + "[^\\n]*\\n(?:[^\\n]*\\n){0,6}?"
                + "[^\\n]*?(https?://\\S+/signup/confirm/\\S+)");
        long deadline = System.nanoTime() + LINK_TIMEOUT.toNanos();
        while (true) {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher matcher = link.matcher(log);
            if (matcher.find()) {
                // The console's public URL may differ from the address this machine reaches it at.
                String path = URI.create(matcher.group(1)).getPath();
                return url(path.substring(1));
            }
            assertThat(System.nanoTime()).as("the sign-up link for %s in the console's log", email)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private URI api(String path) {
        return URI.create(url("api/v1/" + path));
    }

    private JsonNode api(String key, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + key)
                .header("Accept", "application/json").timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", request.build().uri(), response.body()).isBetween(200, 299);
        return json.readTree(response.body());
    }

    private static void step(String what, long started) {
        System.out.printf("smoke console: %s after %.1f s%n", what, (System.nanoTime() - started) / 1e9);
    }
}
