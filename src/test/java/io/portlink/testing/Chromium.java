package io.portlink.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * The installed Chromium (PORTLINK_CHROMIUM, default /usr/bin/chromium) driven by Playwright, headless, never
 * downloading a browser of its own. Without one the calling test class is skipped, unless PORTLINK_REQUIRE_BROWSER=true
 * (CI), where it fails. Test classes get one through {@link ChromiumTest}.
 */
public final class Chromium implements AutoCloseable {

    public final Playwright playwright;
    public final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    private static Chromium shared;

    /**
     * The one Chromium of this test JVM (of this class loader), launched on the first call and closed when the JVM
     * exits: starting Playwright's driver and a browser for each test class cost seconds each. Call from
     * {@code @BeforeAll}; aborts (skips) the class when no Chromium is installed, as {@link #launch} does.
     */
    public static synchronized Chromium shared() {
        if (shared == null) {
            Chromium launched = launch();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> launched.closeWithin(10_000), "chromium-close"));
            shared = launched;
        }
        return shared;
    }

    /** A new Playwright driver and Chromium; aborts (skips) the calling class when no Chromium is installed. */
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

    /** A phone's screen: 360 × 800 CSS pixels, mobile viewport; add touch, scale or permissions as a test needs. */
    public static Browser.NewContextOptions phone() {
        return new Browser.NewContextOptions().setViewportSize(360, 800).setIsMobile(true);
    }

    /** Starts recording what {@code page} asks for and what its Content Security Policy refuses, from now on. */
    public static Recording record(Page page) {
        Recording recording = new Recording();
        page.onRequest(r -> recording.requests.add(r.url()));
        page.onConsoleMessage(m -> {
            if (m.text().contains("Content Security Policy")) {
                recording.cspViolations.add(m.text());
            }
        });
        return recording;
    }

    /**
     * What a page did while recorded: every URL it requested, in order, and every console message about a Content
     * Security Policy violation. Playwright delivers the events on the test's thread, during its calls.
     */
    public static final class Recording {

        private final List<String> requests = new ArrayList<>();
        private final List<String> cspViolations = new ArrayList<>();

        /** Every URL requested so far. */
        public List<String> requests() {
            return List.copyOf(requests);
        }

        /** The URLs requested so far that left {@code origin} (scheme, host and port, without a trailing slash). */
        public List<String> outside(String origin) {
            return requests.stream().filter(u -> !u.startsWith(origin + "/")).toList();
        }

        /** The policy violations the console reported so far. */
        public List<String> cspViolations() {
            return List.copyOf(cspViolations);
        }
    }

    /** Closes as {@link #close} does, waiting at most {@code millis} ms for it (a JVM exit must not hang on it). */
    void closeWithin(long millis) {
        Thread closing = new Thread(this::close, "chromium-closing");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
