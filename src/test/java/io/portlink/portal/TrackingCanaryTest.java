package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.organization.Logos;
import io.portlink.shipment.NoteScope;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Header;
import io.restassured.response.Response;

/**
 * The tracking page shows nothing it should not: every internal field, internal note, the customer's contact, the staff
 * reference, the uploaded photos' file names, the staff's names and another shipment of the same organisation carry a
 * unique canary value, and none of them appears in the page, its headers, its photo URLs or the photos' responses, for
 * every combination of the link's options.
 */
@QuarkusTest
class TrackingCanaryTest {

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

    private static final Pattern URL = Pattern.compile("(?:src|href|action)=\"([^\"]*)\"");

    @Test
    void noInternalValueReachesTheCustomerUnderAnyOptions() {
        String c = UUID.randomUUID().toString().substring(0, 8);
        var tenant = fixtures.tenant("GB");
        logos.upload(tenant.id(), Images.of("png", 60, 20));
        ShipmentActor staff = ShipmentActor.staff(7, "canary-staff-" + c + "@example.com");
        List<String> canaries = new ArrayList<>(List.of("CANARY-REF-" + c, "CanaryName" + c,
                "canary-mail-" + c + "@customer.example", "CANARY-FROM-" + c, "CANARY-TO-" + c, "CANARY-STK-" + c,
                "CANARYVIN" + c, "CANARY-FIELD-NOTE-" + c, "CANARY-INTERNAL-NOTE-" + c, "CANARY-FILE-" + c,
                "canary-staff-" + c, "CANARY-OTHER-TITLE-" + c, "CANARY-OTHER-NOTE-" + c, "CANARY-OTHER-REF-" + c,
                "Buyer-order-" + c));
        // numbers are checked with their separators removed, however the page's locale would write them
        List<String> numbers = List.of("91827364", "82736455", "73645546", "7700900123");

        long id = shipments.create(tenant.id(),
                new ShipmentInput("CANARY-REF-" + c, "2019 Toyota Land Cruiser 300",
                        new ShipmentInput.CustomerInput("CanaryName" + c, "canary-mail-" + c + "@customer.example",
                                "+44 7700 900123", "en"),
                        "CANARY-FROM-" + c, "CANARY-TO-" + c,
                        new ShipmentInput.InternalInput("CANARY-STK-" + c, "CANARYVIN" + c, "GBP", "918273.64",
                                "827364.55", "736455.46", "CANARY-FIELD-NOTE-" + c)),
                staff).id();
        shipments.changeStage(tenant.id(), id, "In transit", staff);
        shipments.setEstimatedArrival(tenant.id(), id, LocalDate.parse("2026-12-24"), staff);
        shipments.addNote(tenant.id(), id, NoteScope.CUSTOMER, "On the vessel", staff);
        shipments.addNote(tenant.id(), id, NoteScope.INTERNAL, "CANARY-INTERNAL-NOTE-" + c, staff);
        long hero = photos.add(tenant.id(), id, Images.of("png", 40, 40), "CANARY-FILE-" + c + "-hero.png", staff)
                .orElseThrow().photo().id();
        long a = photos.add(tenant.id(), id, Images.of("jpeg", 40, 30), "CANARY-FILE-" + c + "-a.jpg", staff)
                .orElseThrow().photo().id();
        long b = photos.add(tenant.id(), id, Images.of("png", 30, 40), "CANARY-FILE-" + c + "-b.png", staff)
                .orElseThrow().photo().id();
        photos.setHero(tenant.id(), id, hero, staff);

        // another shipment of the organisation, with its own link, notes and photos
        long other = shipments.create(tenant.id(), new ShipmentInput("CANARY-OTHER-REF-" + c, "CANARY-OTHER-TITLE-" + c,
                new ShipmentInput.CustomerInput("Other", "other@customer.example", null, "en"), null, null, null),
                staff).id();
        shipments.addNote(tenant.id(), other, NoteScope.CUSTOMER, "CANARY-OTHER-NOTE-" + c, staff);
        photos.add(tenant.id(), other, Images.of("png", 20, 20), "CANARY-FILE-" + c + "-other.png", staff);
        tracking.create(tenant.id(), other, null, staff);
        // and a vendor order of the organisation
        Fixtures.createOrderWithLink(tenant.apiKey(), "Buyer-order-" + c, "vendor@vendor.example");

        String url = tracking.create(tenant.id(), id, null, staff).orElseThrow().url();
        String link = url.substring(url.indexOf("/t/"));
        int combinations = 0;
        for (int mask = 0; mask < 16; mask++) {
            var options = new TrackingLinks.Options((mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0, (mask & 8) != 0);
            assertTrue(tracking.setOptions(tenant.id(), id, options, List.of(b, a), staff));
            Response page = given().header("User-Agent", PortalClient.BROWSER).get(link);
            assertEquals(200, page.statusCode());
            String body = page.asString();
            assertTrue(body.contains("2019 Toyota Land Cruiser 300"));
            assertClean("page " + options, body, canaries, numbers);
            assertClean("headers " + options, headers(page), canaries, numbers);
            Matcher urls = URL.matcher(body);
            int images = 0;
            while (urls.find()) {
                String u = urls.group(1);
                assertClean("url " + u, u, canaries, numbers);
                if (u.startsWith(link + "/") && !u.startsWith(link + "/seen/")) {
                    Response image = given().header("User-Agent", PortalClient.BROWSER).get(u);
                    assertEquals(200, image.statusCode(), u);
                    assertClean("image headers " + u, headers(image), canaries, numbers);
                    images++;
                }
            }
            // logo, two picked photos, and the hero when shown
            assertEquals(3 + (options.heroPhoto() ? 1 : 0), images, options.toString());
            combinations++;
        }
        assertEquals(16, combinations);
    }

    private static String headers(Response r) {
        StringBuilder all = new StringBuilder();
        for (Header h : r.getHeaders()) {
            all.append(h.getName()).append(": ").append(h.getValue()).append('\n');
        }
        return all.toString();
    }

    private static void assertClean(String where, String text, List<String> canaries, List<String> numbers) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String canary : canaries) {
            assertFalse(lower.contains(canary.toLowerCase(Locale.ROOT)), where + " shows " + canary);
        }
        String digits = text.replaceAll("[\\s.,'\u00a0\u202f+]", "");
        for (String number : numbers) {
            assertFalse(digits.contains(number), where + " shows " + number);
        }
    }
}
