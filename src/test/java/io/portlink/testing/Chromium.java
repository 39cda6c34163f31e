package io.portlink.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

/**
 * The installed Chromium (PORTLINK_CHROMIUM, default /usr/bin/chromium) driven by Playwright, headless. Without one the
 * calling test class is skipped, unless PORTLINK_REQUIRE_BROWSER=true (CI), where it fails.
 */
public final class Chromium implements AutoCloseable {

    public final Playwright playwright;
    public final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Call from {@code @BeforeAll}; aborts (skips) the class when no Chromium is installed. */
    public static Chromium launch() {
        Path chromium = Paths.get(System.getenv().getOrDefault("PORTLINK_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            if ("true".equalsIgnoreCase(System.getenv("PORTLINK_REQUIRE_BROWSER"))) {
                throw new IllegalStateException(
                        "PORTLINK_REQUIRE_BROWSER is set but there is no Chromium at " + chromium);
            }
            Assumptions.abort("no Chromium at " + chromium + " (apt-get install chromium); browser test skipped");
        }
        Playwright playwright = Playwright
                .create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium()
                .launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
                        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--disable-background-networking", "--disable-component-update", "--no-first-run")));
        return new Chromium(playwright, browser);
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
