package io.portlink.testing;

import java.net.URL;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Base of the browser tests ({@code @QuarkusTest} classes): one {@link Chromium} for the whole class, launched before
 * its first test and closed after its last (the class is skipped without a Chromium, see {@link Chromium#launch}), and
 * the running service's origin.
 */
public abstract class ChromiumTest {

    protected static Chromium chromium;

    @TestHTTPResource("/")
    protected URL base;

    @BeforeAll
    static void launchChromium() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
    }

    /** The service as the browser reaches it, scheme, host and port without a trailing slash. */
    protected String origin() {
        return base.toString().replaceAll("/$", "");
    }
}
