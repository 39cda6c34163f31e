package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A buyer in a real Chromium opens the queue's "Declined" bucket, reads what it holds, re-sources the declined order to
 * another vendor, and is back at the bucket, now empty and saying what that means. Under our CSP, no policy violation.
 * Runs when a Chromium is installed (see {@link Chromium}).
 */
@QuarkusTest
class DeclinedQueueBrowserTest extends ChromiumTest {

    @Inject
    Fixtures fixtures;

    @Test
    void theBuyerReSourcesADeclinedOrderAndTheBucketEmpties() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "declines@vendor.example"))
                .act(ref, "decline", Map.of("reason", "discontinued")).then().statusCode(303);
        createOrderWithLink(tenant.apiKey(), uniqueReference(), "instead@vendor.example");
        String origin = origin();

        try (BrowserContext desk = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = desk.newPage();
            page.navigate(origin + "/app/login");
            page.fill("#email", tenant.adminEmail());
            page.fill("#password", Fixtures.PASSWORD);
            page.click("#sign-in");
            page.waitForURL(url -> url.contains("/app/orders"));
            // the queue's pages from here on (the sign-in page is another change's)
            Chromium.Recording recording = Chromium.record(page);
            page.click("#bucket-declined");
            assertTrue(page.textContent("#bucket-explanation")
                    .startsWith("Declined: the vendor said it cannot supply the order."));
            assertEquals("1", page.textContent("#bucket-declined .count"));

            page.click("tr[data-reference='" + ref + "'] a.resource");
            page.fill("#q", "instead");
            page.click("#vendor-search button");
            page.check("text=Vendor instead@vendor.example");
            page.click("#resource-submit");

            page.waitForURL(url -> url.contains("bucket=DECLINED") && url.contains("done=resourced"));
            assertTrue(page.textContent("[role=status]").contains("Re-sourced as " + ref + "-R1"));
            assertEquals("0", page.textContent("#bucket-declined .count"));
            assertTrue(page.textContent("#empty").startsWith(
                    "No declined order needs you: every decline was" + " re-sourced, cancelled or marked handled."));
            assertEquals(0, page.locator("#orders").count(), "no empty table, the empty state instead");

            page.navigate(origin + "/app/orders/" + ref);
            page.click("#replaced-by a");
            assertTrue(page.textContent("#reference").equals(ref + "-R1"));
            assertTrue(page.textContent("#timeline").contains("re-sourced from " + ref));
            assertEquals(java.util.List.of(), recording.cspViolations());
        }
    }
}
