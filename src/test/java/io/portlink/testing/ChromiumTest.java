package io.portlink.testing;

import java.net.URL;

import org.junit.jupiter.api.BeforeAll;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Base of the browser tests ({@code @QuarkusTest} classes): the suite's one {@link Chromium} ({@link Chromium#shared}),
 * launched before the first browser test class and closed when the test JVM exits (the class is skipped without a
 * Chromium, see {@link Chromium#launch}), and the running service's origin. Each test opens its own browser context, so
 * no cookie, storage or cache passes from one test to another.
 */
public abstract class ChromiumTest {

    protected static Chromium chromium;

    @TestHTTPResource("/")
    protected URL base;

    @BeforeAll
    static void launchChromium() {
        chromium = Chromium.shared();
    }

    /** The service as the browser reaches it, scheme, host and port without a trailing slash. */
    protected String origin() {
        return base.toString().replaceAll("/$", "");
    }
}
