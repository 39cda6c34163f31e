package io.portlink.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Geolocation;

import io.portlink.shipment.DriverLinks;
import io.portlink.shipment.ProofOfDelivery;
import io.portlink.shipment.ProofOfDeliveryImage;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPosition;
import io.portlink.shipment.ShipmentSettings;
import io.portlink.shipment.ShipmentStop;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A driver on a phone (real Chromium, geolocation granted) opens the driver link, taps "Share my location" (the
 * position arrives in the database), signs on the pad and sends the proof of delivery (the signature is stored as an
 * image). No request leaves our origin. The customer's tracking page then shows the 600 px signature on a 390 px phone
 * without a sideways scroll. Runs when a Chromium is installed (see {@link Chromium}).
 */
@QuarkusTest
class DriverBrowserTest extends ChromiumTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    DriverLinks driverLinks;

    @Inject
    TrackingLinks tracking;

    @Inject
    TestClock clock;

    @Test
    void theDriversPhoneSharesItsPositionAndSigns() throws Exception {
        // the browser stamps positions with its own clock: the server's must agree (to the millisecond, as the
        // database keeps it, so classes after this one compare stored times with the clock exactly)
        clock.set(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        var tenant = fixtures.tenant("DE");
        ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");
        long id = shipments
                .create(tenant.id(),
                        new ShipmentInput(Fixtures.uniqueReference(), "Pallets for Berlin",
                                new ShipmentInput.CustomerInput("Jane Doe", null, null, "en"), null, null, null),
                        anna)
                .id();
        QuarkusTransaction.requiringNew().run(() -> {
            ShipmentStop st = new ShipmentStop();
            st.shipment = Shipment.findById(id);
            st.position = 0;
            st.kind = ShipmentStop.Kind.DELIVERY;
            st.name = "Berlin warehouse";
            st.zone = "Europe/Berlin";
            st.persist();
        });
        String url = driverLinks.create(tenant.id(), id, anna).orElseThrow().url();
        String origin = origin();
        String page = origin + url.substring(url.indexOf("/d/"));

        try (BrowserContext context = chromium.browser.newContext(Chromium.phone().setHasTouch(true)
                .setGeolocation(new Geolocation(52.52, 13.405)).setPermissions(List.of("geolocation")))) {
            context.grantPermissions(List.of("geolocation"),
                    new BrowserContext.GrantPermissionsOptions().setOrigin(origin));
            Page p = context.newPage();
            Chromium.Recording recording = Chromium.record(p);
            assertEquals(200, p.navigate(page).status());
            p.locator("#share-location").click();
            p.waitForCondition(() -> positions(id) > 0);
            ShipmentPosition stored = QuarkusTransaction.requiringNew()
                    .call(() -> ShipmentPosition.<ShipmentPosition> find("shipment.id", id).firstResult());
            assertEquals("driver", stored.source);
            assertEquals(52.52, stored.latitude.doubleValue(), 0.0001);
            assertEquals(13.405, stored.longitude.doubleValue(), 0.0001);

            // the signature pad: a stroke across it fills the hidden field with a PNG
            // the mouse reaches only what is on the screen: the pad sits below the form's stated limits
            p.locator("#signature-pad").scrollIntoViewIfNeeded();
            var box = p.locator("#signature-pad").boundingBox();
            p.mouse().move(box.x + 20, box.y + 20);
            p.mouse().down();
            p.mouse().move(box.x + box.width / 2, box.y + box.height - 20,
                    new com.microsoft.playwright.Mouse.MoveOptions().setSteps(8));
            p.mouse().move(box.x + box.width - 20, box.y + 30,
                    new com.microsoft.playwright.Mouse.MoveOptions().setSteps(8));
            p.mouse().up();
            p.waitForCondition(() -> p.locator("#signature").inputValue().startsWith("data:image/png;base64,"));

            Path photo = Files.createTempFile("delivery", ".jpg");
            Files.write(photo, Images.of("jpeg", 64, 48));
            p.locator("#pod-photos").setInputFiles(photo);
            p.locator("#receiver-name").fill("Max Receiver");
            p.locator("#delivered-button").click();
            p.waitForCondition(() -> p.locator("#delivered").isVisible());
            assertTrue(p.locator("#receiver").textContent().contains("Max Receiver"));
            assertEquals(List.of(), recording.outside(origin), "no request leaves our origin");
            assertEquals(List.of(), recording.cspViolations(), "no CSP violation");
        }
        long signatures = QuarkusTransaction.requiringNew().call(() -> {
            ProofOfDelivery pod = ProofOfDelivery.find("shipment.id", id).firstResult();
            return ProofOfDeliveryImage.count("proof.id = ?1 and kind = ?2", pod.id,
                    ProofOfDeliveryImage.Kind.SIGNATURE);
        });
        assertEquals(1L, signatures, "the drawn signature is stored");

        // the customer's page with the proof shown: the signature fits a phone's width
        QuarkusTransaction.requiringNew().run(
                () -> ShipmentSettings.update("showProofOfDelivery = true where organizationId = ?1", tenant.id()));
        String t = tracking.create(tenant.id(), id, null, anna).orElseThrow().url();
        try (BrowserContext context = chromium.browser.newContext(Chromium.phone().setViewportSize(390, 844))) {
            Page p = context.newPage();
            assertEquals(200, p.navigate(origin + t.substring(t.indexOf("/t/"))).status());
            p.waitForCondition(() -> (Boolean) p.evaluate("() => Array.from(document.images).every(i => i.complete)"));
            assertTrue(p.locator("#delivery-signature").isVisible(), "the signature is shown");
            Number width = (Number) p.evaluate("() => document.documentElement.scrollWidth");
            assertTrue(width.intValue() <= 390, "no sideways scroll at 390 px, scrollWidth " + width);
        }
    }

    /** A title without spaces (a load number, a VIN list) wraps on a 390 px phone instead of widening the page. */
    @Test
    void aLongTitleWrapsOnAPhone() throws Exception {
        var tenant = fixtures.tenant("GB");
        ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");
        long id = shipments
                .create(tenant.id(),
                        new ShipmentInput(Fixtures.uniqueReference(),
                                "WVWZZZ1JZXW000001WVWZZZ1JZXW000002WVWZZZ1JZXW000003",
                                new ShipmentInput.CustomerInput("Jane Doe", null, null, "en"), null, null, null),
                        anna)
                .id();
        String url = driverLinks.create(tenant.id(), id, anna).orElseThrow().url();
        try (BrowserContext context = chromium.browser.newContext(Chromium.phone().setViewportSize(390, 844))) {
            Page p = context.newPage();
            assertEquals(200, p.navigate(origin() + url.substring(url.indexOf("/d/"))).status());
            Number width = (Number) p.evaluate("() => document.documentElement.scrollWidth");
            assertTrue(width.intValue() <= 390, "no sideways scroll at 390 px, scrollWidth " + width);
        }
    }

    /**
     * "Arrived at pickup", then Back and the same tap: the button in that place now reports the delivery, so the page
     * asks for a tick first and the browser sends nothing without it; ticked, the delivery is reported.
     */
    @Test
    void aSecondTapAfterArrivingAtThePickupReportsNothingUntilTicked() throws Exception {
        var tenant = fixtures.tenant("GB");
        ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");
        long id = shipments
                .create(tenant.id(),
                        new ShipmentInput(Fixtures.uniqueReference(), "Pallets for Leeds",
                                new ShipmentInput.CustomerInput("Jane Doe", null, null, "en"), null, null, null),
                        anna)
                .id();
        QuarkusTransaction.requiringNew().run(() -> {
            Shipment s = Shipment.findById(id);
            for (var kind : List.of(ShipmentStop.Kind.PICKUP, ShipmentStop.Kind.DELIVERY)) {
                ShipmentStop st = new ShipmentStop();
                st.shipment = s;
                st.position = kind == ShipmentStop.Kind.PICKUP ? 0 : 1;
                st.kind = kind;
                st.name = kind == ShipmentStop.Kind.PICKUP ? "Dover docks" : "Leeds depot";
                st.zone = "Europe/London";
                st.persist();
            }
        });
        String url = driverLinks.create(tenant.id(), id, anna).orElseThrow().url();
        try (BrowserContext context = chromium.browser.newContext(Chromium.phone().setViewportSize(390, 844))) {
            Page p = context.newPage();
            assertEquals(200, p.navigate(origin() + url.substring(url.indexOf("/d/"))).status());
            assertTrue(p.locator("#arrived").textContent().contains("Arrived at pickup (Dover docks)"));
            p.locator("#arrived").click();
            p.locator("#message").waitFor();
            assertTrue(p.locator("#message").textContent().contains("Saved: arrived at pickup"));
            p.goBack();
            p.waitForLoadState();
            // the button in the same place now names the delivery, and a tap alone sends nothing
            assertTrue(p.locator("#arrived").textContent().contains("Arrived at delivery (Leeds depot)"));
            p.locator("#arrived").click();
            assertEquals(true, p.evaluate("() => document.querySelector('#left-pickup').validity.valueMissing"));
            assertEquals(0L, arrivals(id, 1));
            p.locator("#left-pickup").check();
            p.locator("#arrived").click();
            p.locator("#message").waitFor();
            assertTrue(p.locator("#message").textContent().contains("Saved: arrived at delivery (Leeds depot)"),
                    p.locator("#message").textContent());
            assertEquals(1L, arrivals(id, 1));
        }
    }

    /** 1 when the shipment's stop at {@code position} has an arrival, else 0. */
    private static long arrivals(long shipmentId, int position) {
        return QuarkusTransaction.requiringNew().call(() -> ShipmentStop
                .count("shipment.id = ?1 and position = ?2 and arrivedAt is not null", shipmentId, position));
    }

    /**
     * A phone set to German at a British organisation: the page and the texts its script writes (a refused choice of
     * photos, the location shared) are German.
     */
    @Test
    void aGermanPhoneReadsThePageAndItsScriptInGerman() throws Exception {
        clock.set(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        var tenant = fixtures.tenant("GB");
        ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");
        long id = fixtures.shipment(tenant.id());
        String url = driverLinks.create(tenant.id(), id, anna).orElseThrow().url();
        String origin = origin();
        try (BrowserContext context = chromium.browser
                .newContext(Chromium.phone().setLocale("de-DE").setTimezoneId("America/New_York")
                        .setGeolocation(new Geolocation(52.52, 13.405)).setPermissions(List.of("geolocation")))) {
            context.grantPermissions(List.of("geolocation"),
                    new BrowserContext.GrantPermissionsOptions().setOrigin(origin));
            Page p = context.newPage();
            assertEquals(200, p.navigate(origin + url.substring(url.indexOf("/d/"))).status());
            assertEquals("de", p.locator("html").getAttribute("lang"));
            assertEquals("Abgeholt", p.locator("#picked-up").textContent().strip());

            Path[] photos = new Path[11];
            for (int i = 0; i < photos.length; i++) {
                photos[i] = Files.createTempFile("delivery", ".png");
                Files.write(photos[i], Images.of("png", 8, 8));
            }
            p.locator("#pod-photos").setInputFiles(photos);
            assertEquals("11 Fotos gewählt; höchstens 10.", p.locator("#photo-problem").textContent());
            Path large = Files.createTempFile("gross", ".jpg");
            Files.write(large, new byte[9_500_000]);
            p.locator("#pod-photos").setInputFiles(large);
            assertEquals(
                    "Foto „" + large.getFileName() + "“ ist 9,1 MB groß; jedes Foto darf höchstens 8 MB groß sein.",
                    p.locator("#photo-problem").textContent(), "the size as the server says it, in German");

            p.locator("#share-location").click();
            assertEquals("Teilen beenden", p.locator("#share-location").textContent());
            p.waitForCondition(() -> p.locator("#location-state").textContent().startsWith("Standort geteilt um "));
            // the phone's time, to the minute, named by its zone as the page names every time
            assertTrue(
                    p.locator("#location-state").textContent()
                            .matches("Standort geteilt um \\d\\d:\\d\\d \\(America/New_York\\)\\."),
                    p.locator("#location-state").textContent());
            p.locator("#share-location").click();
            assertEquals("Der Standort wird nicht mehr geteilt.", p.locator("#location-state").textContent());

            // a phone whose clock is an hour behind the server's: its positions are refused as old (422), and the
            // page says why in German instead of a status number
            clock.set(clock.instant().plus(java.time.Duration.ofHours(1)));
            p.locator("#share-location").click();
            p.waitForCondition(() -> p.locator("#location-state").textContent()
                    .startsWith("Der Standort wurde nicht angenommen: Die Uhrzeit des Telefons"));
            clock.set(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

            // a name of spaces is stopped by the browser, before the photos are sent (they would have to be chosen
            // again): the form's own check, in the page's language
            p.locator("#pod-photos").setInputFiles(photos[0]);
            p.locator("#receiver-name").fill("   ");
            assertEquals(Boolean.FALSE, p.evaluate("() => document.getElementById('receiver-name').checkValidity()"));
            assertTrue(p.locator("#receiver-name").getAttribute("title").contains("bitte ausfüllen"));
            // a proof refused by the server (a character that turns the text round, which the browser lets through):
            // the reason is in the form, focused and on the screen without scrolling, and says the photos must be
            // chosen again
            p.locator("#receiver-name").fill("Max \u202EReceiver");
            p.locator("#delivered-button").click();
            p.waitForCondition(() -> p.locator("#deliver-form #errors").count() == 1);
            assertEquals("errors", p.evaluate("() => document.activeElement.id"));
            assertTrue(p.locator("#errors").textContent().contains("Name des Empfängers: darf keine Steuerzeichen"),
                    p.locator("#errors").textContent());
            var reason = p.locator("#errors").boundingBox();
            assertTrue(reason.y >= 0 && reason.y + reason.height <= 800, "on the screen: " + reason.y);
            assertTrue(p.locator("#choose-again").textContent().startsWith("Eine Seite kann Fotos"));
        }
        // a phone that does not let the page use its location: said in German (not the browser's own English
        // message), and the button is back to "share", as every next try would fail the same way
        try (BrowserContext context = chromium.browser.newContext(Chromium.phone().setLocale("de-DE"))) {
            Page p = context.newPage();
            assertEquals(200, p.navigate(origin + url.substring(url.indexOf("/d/"))).status());
            p.locator("#share-location").click();
            p.waitForCondition(
                    () -> p.locator("#location-state").textContent().startsWith("Diese Seite darf Ihren Standort"));
            assertEquals("Meinen Standort teilen", p.locator("#share-location").textContent());
        }
    }

    private static long positions(long shipmentId) {
        return QuarkusTransaction.requiringNew().call(() -> ShipmentPosition.count("shipment.id", shipmentId));
    }
}
