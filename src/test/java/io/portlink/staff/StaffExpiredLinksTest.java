package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.link.LinkExpiry;
import io.portlink.purchasing.VendorLinkList;
import io.portlink.shipment.DriverLinks;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * Staff see when a link ended by expiry: "Expired today" (the organisation's day, London here) and "Expired" with the
 * date afterwards, on the links list (its "Expired today" filter), the order page and the shipment page (tracking and
 * driver links); the same before and after the expiry job.
 */
@QuarkusTest
class StaffExpiredLinksTest {

    @Inject
    Fixtures fixtures;

    @Inject
    VendorLinkList vendorLinks;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    DriverLinks driverLinks;

    @Inject
    Shipments shipments;

    @Inject
    LinkExpiry expiry;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    CookieFilter staff;

    @BeforeEach
    void tenant() {
        // 10:00 in London (summer time)
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        tenant = fixtures.tenant("GB");
        staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    private String page(String path) {
        return given().filter(staff).get(path).then().statusCode(200).extract().asString();
    }

    @Test
    void vendorAndTrackingLinksThatExpiredTodayShowSoAndOlderOnesTheirDate() {
        String expired = uniqueReference();
        String lasting = uniqueReference();
        String later = uniqueReference();
        createOrderWithLink(tenant.apiKey(), expired, "today@vendor.example");
        createOrderWithLink(tenant.apiKey(), lasting, "lasting@vendor.example");
        createOrderWithLink(tenant.apiKey(), later, "later@vendor.example");
        // "expires after 2 June": it stops at midnight, London time, which is 3 June
        vendorLinks.setExpiry(tenant.id(), expired, Fixtures.firstLinkId(tenant.apiKey(), expired),
                LocalDate.parse("2026-06-02"), Actor.system());
        vendorLinks.setExpiry(tenant.id(), later, Fixtures.firstLinkId(tenant.apiKey(), later),
                LocalDate.parse("2026-06-06"), Actor.system());
        long shipment = fixtures.shipment(tenant.id());
        trackingLinks.create(tenant.id(), shipment, Instant.parse("2026-06-03T05:00:00Z"), ShipmentActor.system())
                .orElseThrow();

        clock.set(Instant.parse("2026-06-03T09:00:00Z"));
        for (int run = 0; run < 2; run++) {
            String list = page("/app/links?show=EXPIRED_TODAY");
            assertTrue(list.contains(expired), list);
            assertTrue(list.contains("Expired today"), list);
            assertFalse(list.contains(lasting), "an active link is not in the bucket");
            assertFalse(list.contains(later), "a link that expires later is not in the bucket");
            assertTrue(list.contains("<option value=\"EXPIRED_TODAY\" selected>Expired today</option>"), list);
            String active = page("/app/links");
            assertFalse(active.contains(expired), "no longer among the active links");
            assertTrue(active.contains(lasting));
            assertTrue(page("/app/orders/" + expired).contains("Expired today"));
            assertFalse(page("/app/orders/" + lasting).contains("Expired"));
            String sheet = page("/app/shipments/" + shipment);
            assertTrue(
                    sheet.matches("(?s).*id=\"link-ended\">[^<]*<span[^>]*>[^<]*</span>\\) <strong class=\"expired\">"
                            + "Expired today</strong>.*"),
                    sheet);
            expiry.runOnce(); // the second round: the same after the job marked them
        }

        clock.set(Instant.parse("2026-06-04T09:00:00Z"));
        assertFalse(page("/app/links?show=EXPIRED_TODAY").contains(expired), "it expired yesterday");
        assertTrue(page("/app/orders/" + expired).contains("Expired 3 Jun 2026"));
        assertTrue(page("/app/shipments/" + shipment).contains("Expired 3 Jun 2026"));
    }

    @Test
    void aDriverLinkThatEndedWithTheDaysAfterDeliveryShowsExpiredToday() {
        long shipment = fixtures.shipment(tenant.id());
        driverLinks.create(tenant.id(), shipment, ShipmentActor.system()).orElseThrow();
        shipments.changeStage(tenant.id(), shipment, "DELIVERED", ShipmentActor.system()).orElseThrow();
        assertFalse(page("/app/shipments/" + shipment).contains("driver-link-expired"));

        // delivered 1 June 10:00 London: the link ends 30 days later, 1 July 10:00
        clock.set(Instant.parse("2026-07-01T11:00:00Z"));
        expiry.runOnce();
        String sheet = page("/app/shipments/" + shipment);
        assertTrue(
                sheet.matches("(?s).*id=\"driver-link-expired\">.*<strong class=\"expired\">Expired today</strong>.*"),
                sheet);
        assertTrue(sheet.contains("id=\"create-driver-link\""), "staff can give the driver a new link");

        clock.set(Instant.parse("2026-07-02T11:00:00Z"));
        assertTrue(page("/app/shipments/" + shipment).contains("Expired 1 Jul 2026"));
    }
}
