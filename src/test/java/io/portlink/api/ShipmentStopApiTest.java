package io.portlink.api;

import static io.portlink.api.ShipmentApiTest.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.EtaEvents;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Stops and ETA through the API: stops validated all or nothing by index and field, windows entered and answered in the
 * stop's zone, arrival and departure kept once; a manual ETA stays, clearing it goes back to the one computed from the
 * latest position (great-circle × detour ÷ speed with the injected clock); the planned ETA is kept.
 */
@QuarkusTest
class ShipmentStopApiTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    EtaEvents events;

    @Inject
    Shipments shipments;

    Fixtures.Tenant tenant;
    String reference;

    @BeforeEach
    void shipment() {
        clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        tenant = fixtures.tenant("GB");
        reference = ShipmentApiTest.reference();
        api(tenant.apiKey()).contentType(ContentType.JSON).body(ShipmentApiTest.shipment(reference))
                .post("/api/v1/shipments").then().statusCode(201);
    }

    static Map<String, Object> stop(String kind, Double lat, Double lon, String zone, String from, String to) {
        Map<String, Object> m = new HashMap<>();
        m.put("kind", kind);
        m.put("name", kind + " place");
        m.put("address", "1 " + kind + " Street");
        m.put("latitude", lat);
        m.put("longitude", lon);
        m.put("zone", zone);
        m.put("windowFrom", from);
        m.put("windowTo", to);
        return m;
    }

    private Response put(Object body) {
        return api(tenant.apiKey()).contentType(ContentType.JSON).body(body)
                .put("/api/v1/shipments/" + reference + "/stops");
    }

    private long id() {
        return shipments.idOf(tenant.id(), reference).orElseThrow();
    }

    @Test
    void stopsAreStoredWithWindowsInTheirZoneAndAnsweredInTheShipment() {
        put(List.of(stop("PICKUP", 51.5074, -0.1278, "Europe/London", "2026-12-01T08:00", "2026-12-01T10:00"),
                stop(null, 50.9, 1.8, "Europe/Paris", null, null),
                stop("DELIVERY", 52.52, 13.405, "Europe/Berlin", "2026-12-02 09:00", "2026-12-02T12:30"))).then()
                        .statusCode(200).body("", hasSize(3)).body("[1].kind", equalTo("STOP"))
                        .body("[2].windowFrom", equalTo("2026-12-02T09:00"))
                        .body("[2].windowFromUtc", equalTo("2026-12-02T08:00:00Z"))
                        .body("[0].windowToUtc", equalTo("2026-12-01T10:00:00Z"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().statusCode(200).body("stops", hasSize(3))
                .body("stops[2].zone", equalTo("Europe/Berlin")).body("stops[2].windowTo", equalTo("2026-12-02T12:30"));
    }

    @Test
    void badStopsAreRefusedByIndexAndFieldAndNothingIsStored() {
        put(List.of(stop("PICKUP", 51.5, -0.1, "Europe/London", null, null),
                stop("DELIVERY", 52.5, 13.4, "Europe/Berlin", null, null))).then().statusCode(200);
        put(List.of(stop("DELIVERY", 95.0, -0.1, "Mars/Olympus", "2026-12-01T10:00", "2026-12-01T09:00"),
                stop("PICKUP", 52.5, 13.4, "Europe/Berlin", "tomorrow", null))).then().statusCode(422)
                        .body("errors.field", hasItem("stops[0].kind"))
                        .body("errors.field", hasItem("stops[0].latitude"))
                        .body("errors.field", hasItem("stops[0].zone")).body("errors.field", hasItem("stops[1].kind"))
                        .body("errors.field", hasItem("stops[1].windowFrom"));
        put(List.of(stop("PICKUP", 51.5, -0.1, "Europe/London", "2026-12-01T10:00", "2026-12-01T09:00"),
                stop("DELIVERY", 52.5, null, "Europe/Berlin", null, null))).then().statusCode(422)
                        .body("errors.field", hasItem("stops[0].windowTo"))
                        .body("errors.field", hasItem("stops[1].longitude"));
        put(List.of(stop("PICKUP", 51.5, -0.1, "Europe/London", null, null))).then().statusCode(422)
                .body("errors.field", hasItem("stops"));
        List<Map<String, Object>> many = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) {
            many.add(stop(null, null, null, "UTC", null, null));
        }
        put(many).then().statusCode(422).body("errors.field", hasItem("stops"));
        // the first, valid list is still there
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("stops", hasSize(2))
                .body("stops[0].latitude", org.hamcrest.Matchers.hasToString(org.hamcrest.Matchers.startsWith("51.5")));
    }

    /** A window is to the minute: seconds are a 422 saying how to write it, never dropped; ":00" seconds are none. */
    @Test
    void aWindowWithSecondsIsRefusedNotRounded() {
        put(List.of(stop("PICKUP", 51.5, -0.1, "Europe/London", "2026-12-02T09:00:00", null),
                stop("DELIVERY", 52.5, 13.4, "Europe/Berlin", "2026-12-10T09:00", "2026-12-10T10:00:30"))).then()
                        .statusCode(422).body("errors.field", hasItem("stops[1].windowTo"))
                        .body("errors.find { it.field == 'stops[1].windowTo' }.message",
                                org.hamcrest.Matchers.startsWith(
                                        "is to the minute: write it without seconds, like 2026-12-10T10:00"))
                        .body("errors.field", org.hamcrest.Matchers.not(hasItem("stops[0].windowFrom")));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("stops", hasSize(0));
    }

    /** A coordinate written with a decimal comma is told how to write it; a longitude's example is a longitude. */
    @Test
    void aCoordinateWithADecimalCommaIsToldHowToWriteIt() {
        Map<String, Object> delivery = stop("DELIVERY", null, null, "Europe/Berlin", null, null);
        delivery.put("latitude", "52,52");
        delivery.put("longitude", "east");
        put(List.of(stop("PICKUP", 51.5, -0.1, "Europe/London", null, null), delivery)).then().statusCode(422)
                .body("errors.find { it.field == 'stops[1].latitude' }.message",
                        org.hamcrest.Matchers.startsWith(
                                "is written with a decimal comma; degrees take a decimal point: write 52.52"))
                .body("errors.find { it.field == 'stops[1].longitude' }.message",
                        org.hamcrest.Matchers.startsWith("must be a number of degrees, like 13.404954"));
    }

    /** Window ends the database cannot store, or in a year nobody plans in, are a 422 naming the stop's field. */
    @Test
    void windowsOutsideTheYears2000To2099AreRefusedByField() {
        for (String from : List.of("+999999999-12-31T23:59", "-4714-12-31T23:59", "+99999-01-01T00:00",
                "0001-01-01T00:00", "1999-12-31T23:59", "2100-01-01T00:00")) {
            put(List.of(stop("PICKUP", 51.5, -0.1, "Europe/London", from, null),
                    stop("DELIVERY", 52.5, 13.4, "Europe/Berlin", null, from))).then().statusCode(422)
                            .body("errors.field", hasItem("stops[0].windowFrom"))
                            .body("errors.field", hasItem("stops[1].windowTo"))
                            .body("errors[0].message", org.hamcrest.Matchers.containsString("years 2000 to 2099"));
        }
        // a coordinate is a plain decimal: an exponent past two digits is no number of degrees (never a 500)
        Map<String, Object> odd = stop("PICKUP", null, null, "Europe/London", null, null);
        odd.put("latitude", "1e-2147483647");
        odd.put("longitude", "0");
        put(List.of(odd, stop("DELIVERY", 52.5, 13.4, "Europe/Berlin", "2099-12-31T23:59", null))).then()
                .statusCode(422).body("errors.field", org.hamcrest.Matchers.contains("stops[0].latitude"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("stops", hasSize(0));
    }

    @Test
    void arrivalAndDepartureAreRecordedOnce() {
        put(List.of(stop("PICKUP", null, null, "Europe/London", null, null),
                stop("DELIVERY", null, null, "Europe/Berlin", null, null))).then().statusCode(200);
        String base = "/api/v1/shipments/" + reference + "/stops/";
        api(tenant.apiKey()).post(base + "0/arrival").then().statusCode(200).body("arrivedAt",
                equalTo("2026-12-01T12:00:00Z"));
        clock.advance(Duration.ofMinutes(30));
        api(tenant.apiKey()).post(base + "0/arrival").then().statusCode(200).body("arrivedAt",
                equalTo("2026-12-01T12:00:00Z"));
        api(tenant.apiKey()).post(base + "0/departure").then().statusCode(200).body("departedAt",
                equalTo("2026-12-01T12:30:00Z"));
        api(tenant.apiKey()).post(base + "1/departure").then().statusCode(200).body("arrivedAt",
                equalTo("2026-12-01T12:30:00Z"));
        api(tenant.apiKey()).post(base + "5/arrival").then().statusCode(422).body("errors[0].field",
                equalTo("position"));
        api(tenant.apiKey()).post("/api/v1/shipments/NOPE-1/stops/0/arrival").then().statusCode(404);
        // the same stops again keep the times
        put(List.of(stop("PICKUP", null, null, "Europe/London", null, null),
                stop("DELIVERY", null, null, "Europe/Berlin", null, null))).then().statusCode(200)
                        .body("[0].departedAt", equalTo("2026-12-01T12:30:00Z"));
        // the stops as read, sent back as they are: fine; an arrival of another time is not set here, and says where
        Object stops = api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().extract().jsonPath()
                .get("stops");
        put(stops).then().statusCode(200).body("[0].arrivedAt", equalTo("2026-12-01T12:00:00Z"));
        Map<String, Object> pickup = new java.util.HashMap<>(stop("PICKUP", null, null, "Europe/London", null, null));
        pickup.put("arrivedAt", "2026-12-01T09:00:00Z");
        put(List.of(pickup, stop("DELIVERY", null, null, "Europe/Berlin", null, null))).then().statusCode(422)
                .body("errors[0].field", equalTo("stops[0].arrivedAt"))
                .body("errors[0].message", containsString("/stops/0/arrival"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("stops[0].arrivedAt",
                equalTo("2026-12-01T12:00:00Z"));
    }

    /**
     * A recorded arrival belongs to its place: a delivery redirected to another place starts unvisited (the customer
     * must not read "arrived" at a door the goods never reached), a stop moved in the order or with one inserted before
     * it keeps its own, and a pin set more exactly (under 1 km) or a corrected name keeps it.
     */
    @Test
    void anArrivalStaysWithItsPlaceWhenStopsAreRedirectedOrReordered() {
        String base = "/api/v1/shipments/" + reference + "/stops/";
        put(List.of(stop("PICKUP", 51.5074, -0.1278, "Europe/London", null, null),
                stop("STOP", 50.95, 1.85, "Europe/Paris", null, null),
                stop("DELIVERY", 52.52, 13.405, "Europe/Berlin", null, null))).then().statusCode(200);
        api(tenant.apiKey()).post(base + "1/arrival").then().statusCode(200);
        clock.advance(Duration.ofHours(5));
        api(tenant.apiKey()).post(base + "2/arrival").then().statusCode(200);

        // a stop inserted before Calais: Calais keeps its arrival at its new position, the new stop has none
        Map<String, Object> dover = stop("STOP", 51.13, 1.31, "Europe/London", null, null);
        dover.put("name", "Dover");
        Map<String, Object> berlin = stop("DELIVERY", 52.5205, 13.4055, "Europe/Berlin", null, null);
        put(List.of(stop("PICKUP", 51.5074, -0.1278, "Europe/London", null, null), dover,
                stop("STOP", 50.95, 1.85, "Europe/Paris", null, null), berlin)).then().statusCode(200)
                        .body("[1].arrivedAt", nullValue()).body("[2].arrivedAt", equalTo("2026-12-01T12:00:00Z"))
                        .body("[3].arrivedAt", equalTo("2026-12-01T17:00:00Z"));

        // the delivery redirected to Hamburg: not arrived there
        Map<String, Object> hamburg = stop("DELIVERY", 53.55, 10.0, "Europe/Berlin", null, null);
        hamburg.put("name", "Hamburg depot");
        hamburg.put("address", "2 Hafenstraße");
        put(List.of(stop("PICKUP", 51.5074, -0.1278, "Europe/London", null, null), dover,
                stop("STOP", 50.95, 1.85, "Europe/Paris", null, null), hamburg)).then().statusCode(200)
                        .body("[3].arrivedAt", nullValue()).body("[2].arrivedAt", equalTo("2026-12-01T12:00:00Z"));

        // without coordinates a place is its name or address: a corrected name keeps the address's arrival
        put(List.of(stop("PICKUP", null, null, "Europe/London", null, null),
                stop("DELIVERY", null, null, "Europe/Berlin", null, null))).then().statusCode(200);
        api(tenant.apiKey()).post(base + "1/arrival").then().statusCode(200);
        Map<String, Object> renamed = stop("DELIVERY", null, null, "Europe/Berlin", null, null);
        renamed.put("name", "DELIVERY  Place GmbH");
        put(List.of(stop("PICKUP", null, null, "Europe/London", null, null), renamed)).then().statusCode(200)
                .body("[1].arrivedAt", equalTo("2026-12-01T17:00:00Z"));
        Map<String, Object> elsewhere = stop("DELIVERY", null, null, "Europe/Berlin", null, null);
        elsewhere.put("name", "Other customer");
        elsewhere.put("address", "9 Other Street");
        put(List.of(stop("PICKUP", null, null, "Europe/London", null, null), elsewhere)).then().statusCode(200)
                .body("[1].arrivedAt", nullValue());

        // two warehouses 550 m apart swapped in the order: each keeps its own, by name and address
        Map<String, Object> north = stop("STOP", 51.500, -0.100, "Europe/London", null, null);
        north.put("name", "Warehouse North");
        north.put("address", "1 North Rd");
        Map<String, Object> south = stop("STOP", 51.495, -0.100, "Europe/London", null, null);
        south.put("name", "Warehouse South");
        south.put("address", "9 South Rd");
        Map<String, Object> pickup = stop("PICKUP", null, null, "Europe/London", null, null);
        Map<String, Object> delivery = stop("DELIVERY", null, null, "Europe/London", null, null);
        put(List.of(pickup, north, south, delivery)).then().statusCode(200);
        String northArrived = api(tenant.apiKey()).post(base + "1/arrival").then().statusCode(200).extract()
                .path("arrivedAt");
        put(List.of(pickup, south, north, delivery)).then().statusCode(200).body("[1].arrivedAt", nullValue())
                .body("[2].arrivedAt", equalTo(northArrived));

        // one place twice (a depot visited on the way out and back): one arrival is one stop's, never both
        put(List.of(pickup, north, north, delivery)).then().statusCode(200).body("[1].arrivedAt", equalTo(northArrived))
                .body("[2].arrivedAt", nullValue());
    }

    /**
     * An arrival date given before the stops (a file's row) is that day where the goods arrive once the delivery stop
     * names its zone: the planned ETA, the first known, moves with it and stays the same day as the current one.
     */
    @Test
    void aDateGivenBeforeTheStopsIsPlannedOnThatDayInTheDeliveryZone() {
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("estimatedArrival", "2026-12-20"))
                .patch("/api/v1/shipments/" + reference).then().statusCode(200);
        put(List.of(stop("PICKUP", 51.5, -0.1278, "Europe/London", null, null),
                stop("DELIVERY", 52.52, 13.405, "Europe/Berlin", null, null))).then().statusCode(200);
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then()
                .body("eta.current", equalTo("2026-12-20T22:59:59Z"))
                .body("eta.planned", equalTo("2026-12-20T22:59:59Z"));
        // the date moved before the zone did: the planned one is still the first date, on its day
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("estimatedArrival", "2026-12-22"))
                .patch("/api/v1/shipments/" + reference).then().statusCode(200);
        put(List.of(stop("PICKUP", 51.5, -0.1278, "Europe/London", null, null),
                stop("DELIVERY", -36.85, 174.76, "Pacific/Auckland", null, null))).then().statusCode(200);
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then()
                .body("eta.current", equalTo("2026-12-22T10:59:59Z"))
                .body("eta.planned", equalTo("2026-12-20T10:59:59Z"));
    }

    /**
     * Before the goods are on their way (stage Booked, pickup not left), a position is where the truck happens to be:
     * no ETA, and no planned ETA fixed on it. Once the pickup is left, the next position computes both.
     */
    @Test
    void positionsBeforeThePickupGiveNoEta() {
        put(List.of(stop("PICKUP", 51.0, -0.1278, "Europe/London", null, null),
                stop("DELIVERY", 52.5074, -0.1278, "Europe/London", "2026-12-01T12:00", "2026-12-03T16:00"))).then()
                        .statusCode(200);
        positions(List.of(point(52.4, -0.1278, "2026-12-01T11:30:00Z")));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("eta.current", nullValue())
                .body("eta.planned", nullValue());

        api(tenant.apiKey()).post("/api/v1/shipments/" + reference + "/stops/0/departure").then().statusCode(200);
        positions(List.of(point(51.5074, -0.1278, "2026-12-01T11:45:00Z")));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("eta.source", equalTo("ESTIMATE"))
                .body("eta.current", equalTo("2026-12-01T14:24:33Z"))
                .body("eta.planned", equalTo("2026-12-01T14:24:33Z"));
    }

    @Test
    void positionsComputeTheEtaAManualOneStaysAndClearingGoesBack() {
        // delivery one degree of latitude north of the position: 111.195 km × 1.30 ÷ 60 km/h = 2 h 24 min 33 s, from
        // now
        // (12:00), not from the position's time (11:00)
        put(List.of(stop("PICKUP", 51.0, -0.1278, "Europe/London", null, null),
                stop("DELIVERY", 52.5074, -0.1278, "Europe/London", "2026-12-01T12:00", "2026-12-01T16:00"))).then()
                        .statusCode(200);
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("stage", "In transit"))
                .patch("/api/v1/shipments/" + reference).then().statusCode(200);
        long id = id();
        long before = events.count(id);
        positions(
                List.of(point(51.5074, -0.1278, "2026-12-01T11:00:00Z"), point(51.4, -0.1278, "2026-12-01T10:00:00Z")));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("eta.source", equalTo("ESTIMATE"))
                .body("eta.current", equalTo("2026-12-01T14:24:33Z"))
                .body("eta.planned", equalTo("2026-12-01T14:24:33Z"));
        assertEquals(before + 1, events.count(id), "one event per batch, from its newest point");

        // halfway there an hour later: the current ETA moves, the planned one stays
        clock.advance(Duration.ofHours(1));
        positions(List.of(point(52.0074, -0.1278, "2026-12-01T12:30:00Z")));
        String version = api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then()
                .body("eta.current", equalTo("2026-12-01T14:12:17Z"))
                .body("eta.planned", equalTo("2026-12-01T14:24:33Z")).extract().header("ETag");

        // manual with a time, in the delivery stop's zone
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-12-01", "time", "17:15"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(200).body("source", equalTo("MANUAL"))
                .body("current", equalTo("2026-12-01T17:15:00Z")).body("dateOnly", equalTo(false));
        positions(List.of(point(52.2, -0.1278, "2026-12-01T12:50:00Z")));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("eta.source", equalTo("MANUAL"))
                .body("eta.current", equalTo("2026-12-01T17:15:00Z")).body("estimatedArrival", equalTo("2026-12-01"));

        // cleared: computed again from the latest position (52.2: 34.2 km × 1.3 ÷ 60 = 44 min 26 s)
        api(tenant.apiKey()).contentType(ContentType.JSON).body("{\"date\": null}")
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(200)
                .body("source", equalTo("ESTIMATE")).body("current", equalTo("2026-12-01T13:44:26Z"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("estimatedArrival", nullValue());
        org.junit.jupiter.api.Assertions.assertNotNull(version);
    }

    @Test
    void theEstimatedArrivalDateIsAManualEtaAtTheEndOfThatDay() {
        put(List.of(stop("PICKUP", 51.0, -0.1, "Europe/London", null, null),
                stop("DELIVERY", 52.5, 13.4, "Europe/Berlin", null, null))).then().statusCode(200);
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("estimatedArrival", "2026-12-05"))
                .patch("/api/v1/shipments/" + reference).then().statusCode(200)
                .body("estimatedArrival", equalTo("2026-12-05")).body("eta.source", equalTo("MANUAL"))
                .body("eta.dateOnly", equalTo(true)).body("eta.current", equalTo("2026-12-05T22:59:59Z"));
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-13-01", "time", "25:00"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(422)
                .body("errors.field", hasItem("date")).body("errors.field", hasItem("time"));
        // hours and minutes as the message says: a one-digit hour is fine, seconds are refused rather than dropped
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-12-05", "time", "23:59:59"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(422)
                .body("errors[0].field", equalTo("time"));
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-12-05", "time", "9:00"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(200)
                .body("current", equalTo("2026-12-05T08:00:00Z"));
        // a day gone by at the delivery is refused for a shipment still to arrive; the ETA stays
        String yesterday = clock.instant().atZone(java.time.ZoneId.of("Europe/Berlin")).toLocalDate().minusDays(1)
                .toString();
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", yesterday))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(422)
                .body("errors[0].field", equalTo("estimatedArrival"))
                .body("errors[0].message", containsString(yesterday))
                .body("errors[0].message", containsString("a shipment not yet delivered arrives today or later"));
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("estimatedArrival", yesterday))
                .patch("/api/v1/shipments/" + reference).then().statusCode(422);
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().body("estimatedArrival",
                equalTo("2026-12-05"));
    }

    /**
     * The day an ETA names is the delivery's: today where the delivery stop is decides which days are gone by, not the
     * sender's today nor any other zone's.
     */
    @Test
    void anEstimatedArrivalIsFromTodayWhereTheDeliveryIs() {
        // 20:00 in London on 7 Dec is 09:00 on 8 Dec in Auckland
        clock.set(Instant.parse("2026-12-07T20:00:00Z"));
        put(List.of(stop("PICKUP", 51.5, -0.1, "Europe/London", null, null),
                stop("DELIVERY", -36.85, 174.76, "Pacific/Auckland", null, null))).then().statusCode(200);
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-12-07"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(422)
                .body("errors[0].field", equalTo("estimatedArrival"))
                .body("errors[0].message", containsString("2026-12-08 in Pacific/Auckland"));
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("estimatedArrival", "2026-12-07"))
                .patch("/api/v1/shipments/" + reference).then().statusCode(422);
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-12-08"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(200);
        // two days on, that day is gone by: sent back alone it changes nothing, with a time added it is a new ETA in
        // the past
        clock.set(Instant.parse("2026-12-09T20:00:00Z"));
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-12-08"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(200);
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-12-08", "time", "10:00"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(422)
                .body("errors[0].message", containsString("2026-12-10 in Pacific/Auckland"));
        clock.set(Instant.parse("2026-12-07T20:00:00Z"));
        // delivered in Los Angeles, where it is 12:00 on 7 Dec: that day is still to come there
        put(List.of(stop("PICKUP", 51.5, -0.1, "Europe/London", null, null),
                stop("DELIVERY", 34.05, -118.24, "America/Los_Angeles", null, null))).then().statusCode(200);
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-12-07"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(200);
        api(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("date", "2026-12-06"))
                .put("/api/v1/shipments/" + reference + "/eta").then().statusCode(422)
                .body("errors[0].message", containsString("2026-12-07 in America/Los_Angeles"));
    }

    private static Map<String, Object> point(double lat, double lon, String at) {
        return Map.of("latitude", lat, "longitude", lon, "recordedAt", at);
    }

    private void positions(Object batch) {
        api(tenant.apiKey()).contentType(ContentType.JSON).body(batch)
                .post("/api/v1/shipments/" + reference + "/positions").then().statusCode(200);
    }
}
