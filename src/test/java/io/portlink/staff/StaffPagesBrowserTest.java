package io.portlink.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The sign-in page and staff pages in a real Chromium under the staff CSP: the console reports no policy violation (an
 * inline style or script would be refused), and the sign-in card is a narrow column with the product name, not the
 * width of the screen. Runs when a Chromium is installed (see {@link Chromium}).
 */
@QuarkusTest
class StaffPagesBrowserTest extends ChromiumTest {

    @Inject
    Fixtures fixtures;

    @Test
    void signInAndStaffPagesRunUnderTheCspWithoutViolations() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String reference = Fixtures.uniqueReference();
        Fixtures.createOrderWithLink(tenant.apiKey(), reference, "vendor@vendor.example");
        String origin = origin();
        try (BrowserContext desk = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = desk.newPage();
            Chromium.Recording recording = Chromium.record(page);
            page.navigate(origin + "/app/login");
            assertEquals("Portlink", page.textContent("#product").strip());
            double card = page.locator("#sign-in-card").boundingBox().width;
            assertTrue(card <= 480, "the sign-in card is a narrow column on a 1280 px screen, was " + card + " px");
            assertEquals("440px", page.locator("main").evaluate("m => getComputedStyle(m).maxWidth"));

            page.fill("#email", tenant.adminEmail());
            page.fill("#password", Fixtures.PASSWORD);
            page.click("#sign-in");
            page.waitForURL(url -> url.endsWith("/app/orders"));
            for (String path : List.of("/app/orders", "/app/orders/" + reference, "/app/links", "/app/import",
                    "/app/shipments", "/app/shipments/new", "/app/sales-orders/new", "/app/admin", "/app/orders/"
                            + reference + "/links/" + Fixtures.firstLinkId(tenant.apiKey(), reference) + "/revoke",
                    "/app/no-such-page")) {
                page.navigate(origin + path);
                assertTrue(page.locator("#logout").isVisible(), path + " shows the navigation");
            }
            // the styled 404 is a page of its own under the same policy
            assertEquals("Not found", page.textContent("#problem-title").strip());
            assertEquals(List.of(), recording.cspViolations(), "no page broke the Content Security Policy");
        }
    }
}
