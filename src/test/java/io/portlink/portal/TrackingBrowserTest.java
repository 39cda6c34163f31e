package io.portlink.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.organization.Logos;
import io.portlink.shipment.NoteScope;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A customer on a phone (360×800, real Chromium) opens the tracking link: with photos, tracker and notes on, then the
 * same URL with them off. Runs when a Chromium is installed (see {@link Chromium}).
 */
@QuarkusTest
class TrackingBrowserTest extends ChromiumTest {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    TrackingLinks tracking;

    @Inject
    Logos logos;

    @Inject
    TestClock clock;

    /** What the customer's phone shows of the page, measured in the browser. */
    record Seen(boolean horizontalScroll, int photosShown, int photosBroken, boolean tracker, boolean notes,
            boolean eta, boolean hero, List<String> foreignRequests) {
    }

    private Seen look(String url, String screenshot) {
        try (BrowserContext context = chromium.browser.newContext(Chromium.phone().setDeviceScaleFactor(2))) {
            Page page = context.newPage();
            Chromium.Recording recording = Chromium.record(page);
            assertEquals(200, page.navigate(url).status());
            page.waitForLoadState();
            // lazy images below the fold load when scrolled to: scroll through the page as a reader would
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)");
            // polled from here: the page's CSP refuses the eval a polling waitForFunction would need
            page.waitForCondition(
                    () -> (Boolean) page.evaluate("() => Array.from(document.images).every(i => i.complete)"));
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(screenshot)).setFullPage(true));
            boolean scroll = (Boolean) page
                    .evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
            int shown = ((Number) page.evaluate("() => Array.from(document.querySelectorAll('img'))"
                    + ".filter(i => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0).length"))
                            .intValue();
            int broken = ((Number) page.evaluate(
                    "() => Array.from(document.querySelectorAll('img')).filter(i => i.naturalWidth === 0).length"))
                            .intValue();
            return new Seen(scroll, shown, broken, page.locator("#tracker").isVisible(),
                    page.locator("#notes").isVisible(), page.locator("#eta").isVisible(),
                    page.locator("#hero img").isVisible(), recording.outside(origin()));
        }
    }

    @Test
    void aCustomerOnAPhoneSeesWhatTheOptionsAllow() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        var tenant = fixtures.tenant("GB");
        logos.upload(tenant.id(), Images.of("png", 600, 200));
        ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");
        long id = shipments.create(tenant.id(), new ShipmentInput(Fixtures.uniqueReference(),
                "2019 Toyota Land Cruiser 300 GR Sport, twin-turbo V6, Precious White Pearl",
                new ShipmentInput.CustomerInput("Jane Doe", "jane@customer.example", null, "en"), null, null, null),
                anna).id();
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        shipments.setEstimatedArrival(tenant.id(), id, LocalDate.parse("2026-12-24"), anna);
        shipments.addNote(tenant.id(), id, NoteScope.CUSTOMER,
                "Loaded at Yokohama. Bill of lading: https://example.com/very/long/path/that/does/not/break/easily/at/all/0123456789",
                anna);
        long hero = photos.add(tenant.id(), id, Images.of("jpeg", 1600, 1200), "hero.jpg", anna).orElseThrow().photo()
                .id();
        long a = photos.add(tenant.id(), id, Images.of("jpeg", 1200, 1600), "a.jpg", anna).orElseThrow().photo().id();
        long b = photos.add(tenant.id(), id, Images.of("png", 900, 600), "b.png", anna).orElseThrow().photo().id();
        photos.setHero(tenant.id(), id, hero, anna);
        String url = tracking.create(tenant.id(), id, null, anna).orElseThrow().url();
        String page = origin() + url.substring(url.indexOf("/t/"));

        tracking.setOptions(tenant.id(), id, TrackingLinks.Options.DEFAULTS, List.of(a, b), anna);
        Seen on = look(page, "tracking-360-on.png");
        assertFalse(on.horizontalScroll(), "no horizontal scrolling at 360 px");
        assertEquals(0, on.photosBroken());
        assertEquals(4, on.photosShown()); // logo, hero, two picked photos
        assertTrue(on.hero());
        assertTrue(on.tracker());
        assertTrue(on.notes());
        assertTrue(on.eta());
        assertEquals(List.of(), on.foreignRequests());

        tracking.setOptions(tenant.id(), id, new TrackingLinks.Options(false, false, false, false), List.of(), anna);
        Seen off = look(page, "tracking-360-off.png");
        assertFalse(off.horizontalScroll());
        assertEquals(0, off.photosBroken());
        assertEquals(1, off.photosShown()); // the logo only
        assertFalse(off.hero());
        assertFalse(off.tracker());
        assertFalse(off.notes());
        assertFalse(off.eta());
        assertEquals(List.of(), off.foreignRequests());
    }
}
