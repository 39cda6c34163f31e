package io.portlink.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentPositions;
import io.portlink.shipment.ShipmentSettings;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Chromium;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The map is off by default: a customer's browser (real Chromium) opening a live shipment's page, with stops, a fresh
 * position and the organisation's map enabled, makes no request that leaves the service's origin.
 */
@QuarkusTest
class TrackingLiveBrowserTest {

    static Chromium chromium;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentStops stops;

    @Inject
    ShipmentPositions positions;

    @Inject
    TrackingLinks tracking;

    @Inject
    TestClock clock;

    @BeforeAll
    static void launch() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void close() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void thePageMakesNoRequestOutsideTheServiceWithTheMapOff() {
        clock.set(Instant.parse("2026-12-01T09:00:00Z"));
        var tenant = fixtures.tenant("DE");
        ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");
        long id = shipments
                .create(tenant.id(), TrackingPortalTest.input(Fixtures.uniqueReference(), "Pallets", "de"), anna).id();
        stops.replace(tenant.id(), id,
                List.of(new ShipmentStops.StopInput(null, "Hamburg", null, "53.55", "9.99", "Europe/Berlin",
                        "2026-12-01T08:00", "2026-12-01T10:00"),
                        new ShipmentStops.StopInput(null, "Wien", null, "48.21", "16.37", "Europe/Vienna",
                                "2026-12-02T08:00", "2026-12-02T17:00")),
                anna);
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        QuarkusTransaction.requiringNew()
                .run(() -> ShipmentSettings.update("mapEnabled = true where organizationId = ?1", tenant.id()));
        positions.add(tenant.id(), id, List.of(new ShipmentPositions.PositionInput(new BigDecimal("51.05"), null,
                new BigDecimal("13.74"), null, "2026-12-01T08:55:00Z", "gps")));
        String url = tracking.create(tenant.id(), id, null, anna).orElseThrow().url();

        String origin = base.toString().replaceAll("/$", "");
        List<String> requests = new ArrayList<>();
        try (BrowserContext context = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(360, 800).setIsMobile(true))) {
            Page page = context.newPage();
            page.onRequest(r -> requests.add(r.url()));
            assertEquals(200, page.navigate(url).status());
            page.waitForLoadState();
            page.waitForCondition(
                    () -> (Boolean) page.evaluate("() => Array.from(document.images).every(i => i.complete)"));
            assertTrue(page.locator("#distance").isVisible(), "the distance left instead of a map");
            assertEquals(0, page.locator("#map").count());
            assertTrue(page.locator("#destination").textContent().contains("Europe/Vienna"));
        }
        assertTrue(requests.size() >= 2, "the page and its stylesheets: " + requests);
        List<String> foreign = requests.stream().filter(u -> !u.startsWith(origin + "/")).toList();
        assertEquals(List.of(), foreign, "every request stays with " + origin);
    }
}
