package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentEtas;
import io.portlink.shipment.ShipmentExceptions;
import io.portlink.shipment.ShipmentPositions;
import io.portlink.shipment.ShipmentSettings;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The tracking page's live parts (H2 and PostgreSQL): origin and destination with windows in each stop's zone, the
 * history of customer-visible updates with their times, the current ETA (hidden while a problem is open and once
 * delivered), the last position as distance and time with the map off (the default: no other host on the page, none in
 * its CSP, even with the organisation's map enabled), never a position after delivery, and no caching.
 */
@QuarkusTest
class TrackingLiveTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentStops stops;

    @Inject
    ShipmentEtas etas;

    @Inject
    ShipmentPositions positions;

    @Inject
    TrackingLinks tracking;

    @Inject
    ShipmentExceptions exceptions;

    @Inject
    TestClock clock;

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");

    Fixtures.Tenant tenant;
    long id;
    String path;

    @BeforeEach
    void shipment() {
        clock.set(Instant.parse("2026-12-01T09:00:00Z"));
        tenant = fixtures.tenant("GB");
        id = shipments.create(tenant.id(), TrackingPortalTest.input(Fixtures.uniqueReference(), "Pallets", "en"), anna)
                .id();
        stops.replace(tenant.id(), id,
                List.of(new ShipmentStops.StopInput("PICKUP", "Tilbury depot", "Dock Road\nTilbury", "51.4623",
                        "0.3576", "Europe/London", "2026-12-01T08:00", "2026-12-01T10:00"),
                        new ShipmentStops.StopInput("DELIVERY", "Berlin warehouse", "Hauptstraße 1\nBerlin", "52.52",
                                "13.405", "Europe/Berlin", "2026-12-03T09:00", "2026-12-03T12:00")),
                anna);
        String url = tracking.create(tenant.id(), id, null, anna).orElseThrow().url();
        path = url.substring(url.indexOf("/t/"));
    }

    private Response page() {
        return given().header("User-Agent", PortalClient.BROWSER).get(path);
    }

    private void position(String lat, String lon, String at) {
        positions.add(tenant.id(), id, List.of(
                new ShipmentPositions.PositionInput(new BigDecimal(lat), lat, new BigDecimal(lon), lon, at, "gps")));
    }

    @Test
    void originDestinationWindowsInTheirZoneAndHistory() {
        shipments.changeStage(tenant.id(), id, "Dispatched", anna);
        clock.set(Instant.parse("2026-12-01T09:30:00Z"));
        stops.mark(tenant.id(), id, 0, ShipmentStops.StopEvent.DEPARTURE, anna);
        Response r = page();
        r.then().statusCode(200).header("Cache-Control", equalTo("no-store")).body(containsString("Tilbury depot"))
                .body(containsString("Berlin warehouse")).body(containsString("Hauptstraße 1"))
                // 09:00–12:00 Berlin time, said as such (08:00–11:00 UTC)
                .body(containsString("3 Dec 2026, 09:00 – 12:00 ")).body(not(containsString("– 3 Dec 2026")))
                .body(containsString("times in Europe/Berlin")).body(containsString("times in Europe/London"))
                .body(containsString("id=\"history\"")).body(containsString("Picked up, on the way"))
                .body(containsString("Status: Dispatched"));
        String html = r.asString();
        assertTrue(html.indexOf("Picked up, on the way") < html.indexOf("Status: Dispatched"), "newest first");

        // a status change shows on the next load
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        page().then().body(containsString("Status: In transit"));
    }

    @Test
    void theEtaShowsAndIsHiddenWhileAProblemIsOpenAndOnceDelivered() {
        etas.setManual(tenant.id(), id, LocalDate.parse("2026-12-03"), LocalTime.parse("11:15"), anna);
        page().then().body(containsString("id=\"eta\">3 Dec 2026, 11:15 (Europe/Berlin)"))
                .body(containsString("New estimated arrival: 3 Dec 2026, 11:15"));

        QuarkusTransaction.requiringNew().run(() -> Shipment.update("openExceptions = 1 where id = ?1", id));
        page().then().body(not(containsString("id=\"eta\""))).body(not(containsString("New estimated arrival")));
        QuarkusTransaction.requiringNew().run(() -> Shipment.update("openExceptions = 0 where id = ?1", id));
        page().then().body(containsString("id=\"eta\""));

        shipments.changeStage(tenant.id(), id, "In transit", anna);
        position("51.0", "7.0", "2026-12-01T08:55:00Z");
        page().then().body(containsString("id=\"position\""));
        shipments.changeStage(tenant.id(), id, "Delivered", anna);
        page().then().body(not(containsString("id=\"eta\""))).body(not(containsString("id=\"position\"")))
                .body(not(containsString("id=\"distance\"")));
    }

    /**
     * Once the driver (or staff) marks the arrival at the delivery stop, the page says "Arrived" with its time instead
     * of the ETA, the distance and the last position, before anyone records the delivery.
     */
    @Test
    void anArrivalAtTheDeliveryStopReplacesTheEtaAndTheLastPosition() {
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        etas.setManual(tenant.id(), id, LocalDate.parse("2026-12-03"), LocalTime.parse("14:17"), anna);
        position("52.0", "13.0", "2026-12-01T08:55:00Z");
        page().then().body(containsString("id=\"eta\"")).body(containsString("id=\"distance\""));

        clock.set(Instant.parse("2026-12-01T13:05:00Z"));
        stops.mark(tenant.id(), id, 1, ShipmentStops.StopEvent.ARRIVAL, anna);
        page().then().statusCode(200).body(not(containsString("id=\"eta\"")))
                .body(not(containsString("id=\"position\""))).body(not(containsString("id=\"distance\"")))
                .body(not(containsString("14:17")))
                .body(containsString("<dt>Arrived</dt><dd id=\"arrived-at\">1 Dec 2026, 14:05 (Europe/Berlin)</dd>"));
    }

    @Test
    void theEtaStartsFromNowAndAStalePositionGivesNone() {
        deliverWithin("Europe/Berlin", null, null); // no window to wait for
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        // 29 days old, inside what the API accepts: arriving "2 Nov" would be a date in the past on 1 Dec
        position("52.52", "12.405", "2026-11-02T08:00:00Z");
        page().then().statusCode(200).body(not(containsString("id=\"eta\"")));
        ShipmentEtas.EtaView none = etas.of(tenant.id(), id).orElseThrow();
        assertEquals(null, none.current(), "no ETA from a stale position");
        assertEquals(null, none.planned(), "the planned ETA is never taken from a stale position");

        // 30 minutes old and fresh (the default freshness is 120 minutes): now plus the drive of 67.7 km
        ShipmentSettings settings = ShipmentSettings.of(tenant.id());
        Instant now = Instant.parse("2026-12-01T09:00:00Z");
        position("52.52", "12.405", "2026-12-01T08:30:00Z");
        Instant expected = now.plus(ShipmentEtas.estimate(ShipmentEtas.haversineKm(52.52, 12.405, 52.52, 13.405),
                settings.detourFactor, settings.averageSpeedKmh));
        ShipmentEtas.EtaView fresh = etas.of(tenant.id(), id).orElseThrow();
        assertEquals(expected, fresh.current());
        assertEquals(expected, fresh.planned());
        assertTrue(fresh.current().isAfter(now), "the arrival is ahead, not behind");

        // the driver goes quiet for 3 hours: a newer but stale position leaves the ETA it had
        clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        position("52.52", "12.9", "2026-12-01T09:30:00Z");
        assertEquals(expected, etas.of(tenant.id(), id).orElseThrow().current());
    }

    @Test
    void reportedProblemsShowInTheHistoryInTheCustomersLanguageWithASharedNoteOnly() {
        clock.set(Instant.parse("2026-12-01T10:00:00Z"));
        long damage = exceptions.report(tenant.id(), id, "DAMAGE", "forklift hit pallet 3", false, anna).orElseThrow()
                .id();
        clock.set(Instant.parse("2026-12-01T11:00:00Z"));
        exceptions.report(tenant.id(), id, "DELAY", "Ferry cancelled, next sailing tomorrow", true, anna);
        Response r = page();
        r.then().statusCode(200).body(containsString("Damage reported"))
                .body(containsString("Delayed: Ferry cancelled, next sailing tomorrow"))
                .body(containsString("1 Dec 2026, 11:00 (Europe/Berlin)")).body(not(containsString("forklift")));
        String html = r.asString();
        assertTrue(html.indexOf("Delayed:") < html.indexOf("Damage reported"), "newest first");
        // resolving is staff's own record: the report stays in the customer's history, the note stays internal
        exceptions.resolve(tenant.id(), id, damage, anna);
        page().then().body(containsString("Damage reported")).body(not(containsString("forklift")));

        // a German customer reads the same in German
        long de = shipments
                .create(tenant.id(), TrackingPortalTest.input(Fixtures.uniqueReference(), "Paletten", "de"), anna).id();
        String url = tracking.create(tenant.id(), de, null, anna).orElseThrow().url();
        exceptions.report(tenant.id(), de, "DAMAGE", "Gabelstapler", false, anna);
        exceptions.report(tenant.id(), de, "REFUSED", null, false, anna);
        exceptions.report(tenant.id(), de, "DELAY", "Stau auf der A2", true, anna);
        given().header("User-Agent", PortalClient.BROWSER).get(url.substring(url.indexOf("/t/"))).then().statusCode(200)
                .body(containsString("id=\"history\"")).body(containsString("Schaden gemeldet"))
                .body(containsString("Annahme verweigert")).body(containsString("Verspätet: Stau auf der A2"))
                .body(not(containsString("Damage reported"))).body(not(containsString("Gabelstapler")));
    }

    @Test
    void withTheMapOffThePageShowsDistanceAndTimeAndNamesNoOtherHost() {
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        // the organisation enables the map, but no tile server is configured: still no map
        QuarkusTransaction.requiringNew().run(() -> assertEquals(1,
                ShipmentSettings.update("mapEnabled = true where organizationId = ?1", tenant.id())));
        // 52.52,12.405 is one degree of longitude west of the delivery stop: 67.7 km
        position("52.52", "12.405", "2026-12-01T08:50:00Z");
        Response r = page();
        r.then().statusCode(200).body(containsString("id=\"distance\">68 km to go"))
                // the delivery stop's zone, named: 09:50 in Berlin
                .body(containsString("1 Dec 2026, 09:50 (Europe/Berlin)")).body(not(containsString("id=\"map\"")));
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp.contains("img-src 'self' data:;"), csp);
        assertFalse(r.asString().matches("(?s).*(src|href)=\"(https?:)?//.*"), "no absolute URL in the page");
    }

    @Test
    void aPositionBeforeThePickupIsNotShownUntilThePickupIsLeft() {
        // still Booked, the pickup not left: where the driver is now is another job's, the depot or home
        position("52.52", "12.405", "2026-12-01T08:50:00Z");
        page().then().statusCode(200).body(not(containsString("id=\"position\"")))
                .body(not(containsString("id=\"distance\""))).body(not(containsString("km to go")));

        // the driver leaves the pickup: the goods are on their way, and where they are is shown
        stops.mark(tenant.id(), id, 0, ShipmentStops.StopEvent.ARRIVAL, anna);
        stops.mark(tenant.id(), id, 0, ShipmentStops.StopEvent.DEPARTURE, anna);
        page().then().statusCode(200).body(containsString("id=\"distance\">68 km to go"))
                // and when they left it, in the pickup's zone
                .body(containsString("id=\"origin-departed\">Left: 1 Dec 2026, 09:00 (Europe/London)"));
    }

    /**
     * A truck two days early does not make the goods come two days early: the computed ETA is never before the delivery
     * window booked with the customer opens. One after the window has closed is "Later than expected" at once, as staff
     * see the shipment Late by that window; a window moved earlier recomputes it.
     */
    @Test
    void aComputedEtaWaitsForTheDeliveryWindowAndOneAfterItIsLate() {
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        position("52.52", "12.405", "2026-12-01T08:30:00Z"); // 68 km away, on the 1st; the window is on the 3rd
        ShipmentEtas.EtaView eta = etas.of(tenant.id(), id).orElseThrow();
        assertEquals(Instant.parse("2026-12-03T08:00:00Z"), eta.current(), "09:00 in Berlin, when the window opens");
        assertEquals(eta.current(), eta.planned());
        page().then().statusCode(200).body(containsString("id=\"eta\">3 Dec 2026, 09:00 (Europe/Berlin)"))
                .body(not(containsString("eta-late")));

        // the slot moved to this morning, already past: the drive from the position decides, after the window
        deliverWithin("Europe/Berlin", "2026-12-01T08:00", "2026-12-01T10:00");
        ShipmentSettings settings = ShipmentSettings.of(tenant.id());
        Instant drive = clock.instant()
                .plus(ShipmentEtas.estimate(ShipmentEtas.haversineKm(52.52, 12.405, 52.52, 13.405),
                        settings.detourFactor, settings.averageSpeedKmh));
        assertEquals(drive, etas.of(tenant.id(), id).orElseThrow().current());
        page().then().statusCode(200).body(containsString("<strong id=\"eta-late\">Later than expected</strong>"));

        // the driver has gone quiet (no fresh position) and the slot moves to the 5th: the ETA moves up to it
        clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        deliverWithin("Europe/Berlin", "2026-12-05T09:00", "2026-12-05T12:00");
        assertEquals(Instant.parse("2026-12-05T08:00:00Z"), etas.of(tenant.id(), id).orElseThrow().current());
    }

    /**
     * The staff list's "Estimated arrival" is the ETA the shipment's page shows: a computed one with its time (it was
     * empty), a date given alone as that date; its times are in the organisation's zone, which the list names.
     */
    @Test
    void theStaffListShowsTheEtaThePageShows() {
        String reference = QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(id).reference);
        var staff = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        position("52.52", "12.405", "2026-12-01T08:30:00Z");
        given().filter(staff).get("/app/shipments?q=" + reference).then().statusCode(200)
                .body(containsString("<td class=\"opt eta\" data-label=\"Estimated arrival\">3 Dec 2026, 08:00</td>"))
                .body(containsString("times in Europe/London"));
        etas.setManual(tenant.id(), id, LocalDate.parse("2026-12-04"), null, anna);
        given().filter(staff).get("/app/shipments?q=" + reference).then().statusCode(200)
                .body(containsString("<td class=\"opt eta\" data-label=\"Estimated arrival\">4 Dec 2026</td>"));
    }

    @Test
    void anEtaTheClockHasPassedSaysItIsLaterThanExpected() {
        deliverWithin("Europe/Berlin", "2026-12-03T09:00", "2026-12-06T18:00"); // a window both ETAs fall in
        // 14:17 in Berlin, the delivery stop's zone: 13:17 UTC
        etas.setManual(tenant.id(), id, LocalDate.parse("2026-12-03"), LocalTime.parse("14:17"), anna);
        clock.set(Instant.parse("2026-12-03T13:10:00Z"));
        page().then().statusCode(200).body(containsString("id=\"eta\"")).body(not(containsString("eta-late")));
        clock.set(Instant.parse("2026-12-03T13:30:00Z"));
        page().then().statusCode(200).body(containsString("14:17"))
                .body(containsString("<strong id=\"eta-late\">Later than expected</strong>"));

        // a date alone is late once its day is over where the goods are delivered, not in UTC
        etas.setManual(tenant.id(), id, LocalDate.parse("2026-12-04"), null, anna);
        clock.set(Instant.parse("2026-12-04T22:30:00Z")); // 23:30 in Berlin
        page().then().statusCode(200).body(containsString("id=\"eta\"")).body(not(containsString("eta-late")));
        clock.set(Instant.parse("2026-12-04T23:30:00Z")); // 00:30 on the 5th in Berlin
        page().then().statusCode(200).body(containsString("eta-late"));

        // once arrived, neither the ETA nor the lateness
        stops.mark(tenant.id(), id, 1, ShipmentStops.StopEvent.ARRIVAL, anna);
        page().then().statusCode(200).body(not(containsString("eta-late"))).body(not(containsString("id=\"eta\"")));
    }

    private void deliverTo(String zone) {
        deliverWithin(zone, "2026-12-03T09:00", "2026-12-06T18:00");
    }

    private void deliverWithin(String zone, String windowFrom, String windowTo) {
        stops.replace(tenant.id(), id,
                List.of(new ShipmentStops.StopInput("PICKUP", "Tilbury depot", "Dock Road\nTilbury", "51.4623",
                        "0.3576", "Europe/London", "2026-12-01T08:00", "2026-12-01T10:00"),
                        new ShipmentStops.StopInput("DELIVERY", "Berlin warehouse", "Hauptstraße 1\nBerlin", "52.52",
                                "13.405", zone, windowFrom, windowTo)),
                anna);
    }

    @Test
    void anEtaKeepsItsMomentAndADateItsDayWhenTheDeliveryZoneChanges() {
        // 11:15 in Berlin is 05:15 in New York: the headline and the history name the same moment
        etas.setManual(tenant.id(), id, LocalDate.parse("2026-12-03"), LocalTime.parse("11:15"), anna);
        deliverTo("America/New_York");
        page().then().statusCode(200).body(containsString("id=\"eta\">3 Dec 2026, 05:15 (America/New_York)"))
                .body(containsString("New estimated arrival: 3 Dec 2026, 05:15 (America/New_York)"))
                .body(not(containsString("11:15")));

        // a date alone stays that date where the goods arrive, for staff as for the customer, and is late once that
        // day is over there
        etas.setManual(tenant.id(), id, LocalDate.parse("2026-12-04"), null, anna);
        deliverTo("Asia/Tokyo");
        page().then().statusCode(200).body(containsString("id=\"eta\">4 Dec 2026"));
        var staff = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get("/app/shipments/" + id).then().statusCode(200)
                .body(containsString("id=\"eta\">4 Dec 2026 <span"));
        clock.set(Instant.parse("2026-12-04T14:30:00Z")); // 23:30 in Tokyo
        page().then().statusCode(200).body(not(containsString("eta-late")));
        clock.set(Instant.parse("2026-12-04T15:30:00Z")); // 00:30 on the 5th in Tokyo
        page().then().statusCode(200).body(containsString("eta-late"));
    }
}
