package io.portlink.fulfilment;

import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A vendor on a phone (360×800, real Chromium, no script: the link page allows none) ships part of a two-line order
 * with a tracking number, then the rest: the page shows partially shipped, shipped and remaining per line, both
 * shipments, and no ship form once everything is on its way.
 */
@QuarkusTest
class VendorShipBrowserTest extends ChromiumTest {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    @Inject
    Fixtures fixtures;

    @Test
    void aVendorShipsPartThenTheRestFromAPhone() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        Map<String, Object> body = Map.of("reference", ref, "vendor",
                Map.of("name", "Acme Fasteners Ltd", "email", "phone-ship@vendor.example"), "deliveryAddress",
                "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "100", "unit", "pcs",
                        "unitPrice", "0.12", "currency", "GBP"),
                        Map.of("sku", "PAL-1", "description", "Pallet rack", "quantity", "8", "unit", "pcs",
                                "unitPrice", "950.00", "currency", "GBP")));
        String url = Fixtures.post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        String link = url.substring(url.indexOf("/v/"));

        try (BrowserContext phone = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(360, 800).setUserAgent(PortalClient.BROWSER).setJavaScriptEnabled(false))) {
            Page page = phone.newPage();
            page.navigate(origin() + link + "/orders/" + ref);
            assertEquals("Not shipped", page.textContent("#fulfilment").trim());
            assertEquals("100", page.inputValue("#quantity-1"), "prefilled with what remains");

            page.fill("#quantity-1", "40");
            page.fill("#quantity-2", "0");
            page.fill("#carrier", "DHL");
            page.fill("#tracking-number", "JD-PHONE-1");
            page.click("#ship-button");
            page.waitForURL(u -> u.endsWith("saved=SHIP"));
            assertEquals("Partially shipped", page.textContent("#fulfilment").trim());
            assertEquals("40 of 100 shipped, 60 to ship", page.textContent("#shipped-1").trim());
            assertEquals("0 of 8 shipped, 8 to ship", page.textContent("#shipped-2").trim());
            assertEquals("60", page.inputValue("#quantity-1"), "the form now offers what remains");
            assertTrue(page.content().contains("JD-PHONE-1"), "the vendor sees its shipment");
            assertTrue((Integer) page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling");

            page.fill("#tracking-number", "JD-PHONE-2");
            page.click("#ship-button");
            page.waitForURL(u -> u.endsWith("saved=SHIP"));
            assertEquals("Shipped", page.textContent("#fulfilment").trim());
            assertEquals("8 of 8 shipped, 0 to ship", page.textContent("#shipped-2").trim());
            assertEquals(0, page.locator("#ship").count(), "nothing left to ship: no ship form");
            assertTrue(page.content().contains("JD-PHONE-1") && page.content().contains("JD-PHONE-2"),
                    "both shipments are listed");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vendor-shipped-360.png"))
                    .setFullPage(true));
        }
    }
}
