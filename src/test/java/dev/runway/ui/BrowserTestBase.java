package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.common.http.TestHTTPResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Headless Debian Chromium driven by Playwright (which must not download a browser of its own). */
abstract class BrowserTestBase {

    static final Path CHROMIUM = Path.of(System.getProperty("runway.chromium", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Page.GetByLabelOptions EXACT = new Page.GetByLabelOptions().setExact(true);

    static Playwright playwright;
    static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void launch() {
        assertThat(CHROMIUM).as("Chromium for browser tests (apt-get install chromium)").exists();
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    BrowserContext newContext() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 900));
        context.setDefaultTimeout(30_000);
        return context;
    }

    Page signIn(BrowserContext context, String email) {
        Page page = context.newPage();
        page.navigate(url("login"));
        page.getByLabel("Email", EXACT).fill(email);
        page.getByLabel("Password", EXACT).fill(TenancyFixture.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        // The first page of a test class may be the first this JVM renders (dev mode warms up): not what tests time.
        assertThat(page.locator(".page-header h2")).isVisible(new LocatorAssertions.IsVisibleOptions()
                .setTimeout(15_000));
        return page;
    }

    /** Creates the sample project, then opens the New run dialog on the Runs page with {@code sample} chosen. */
    static Locator newRunOnSample(Page page, String sample) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create a sample project")).click();
        assertThat(page.locator(".page-header h2")).hasText("Sample project");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Runs")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New run")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Dataset (latest version)").click();
        page.locator("vaadin-combo-box-item").filter(new Locator.FilterOptions().setHasText(sample)).click();
        return dialog;
    }

    String url(String path) {
        return base.toString() + path;
    }

    static void screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)).setFullPage(true));
    }
}
