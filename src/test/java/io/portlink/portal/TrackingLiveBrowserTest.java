package io.portlink.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentPositions;
import io.portlink.shipment.ShipmentSettings;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The map is off by default: a customer's browser (real Chromium) opening a live shipment's page, with stops, a fresh
 * position and the organisation's map enabled, makes no request that leaves the service's origin.
 */
@QuarkusTest
class TrackingLiveBrowserTest extends ChromiumTest {

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

        Chromium.Recording recording;
        try (BrowserContext context = chromium.browser.newContext(Chromium.phone())) {
            Page page = context.newPage();
            recording = Chromium.record(page);
            assertEquals(200, page.navigate(url).status());
            page.waitForLoadState();
            page.waitForCondition(
                    () -> (Boolean) page.evaluate("() => Array.from(document.images).every(i => i.complete)"));
            assertTrue(page.locator("#distance").isVisible(), "the distance left instead of a map");
            assertEquals(0, page.locator("#map").count());
            assertTrue(page.locator("#destination").textContent().contains("Europe/Vienna"));
        }
        assertTrue(recording.requests().size() >= 2, "the page and its stylesheets: " + recording.requests());
        assertEquals(List.of(), recording.outside(origin()), "every request stays with " + origin());
        assertEquals(List.of(), recording.cspViolations(), "no CSP violation");
    }
}
