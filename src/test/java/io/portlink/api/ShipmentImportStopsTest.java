package io.portlink.api;

import static io.portlink.api.ShipmentApiTest.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasToString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The shipments CSV's optional pickup and delivery columns: stops stored with windows read in each stop's zone (the
 * organisation's when the cell is empty) and shown by the API and the tracking page; problems named by row and column
 * with nothing imported; a re-import without stop columns leaves the stops, one with them sets the pickup and delivery
 * and keeps the stops between and the recorded times.
 */
@QuarkusTest
class ShipmentImportStopsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    Fixtures.Tenant gb;

    static final String HEADER = "reference,title,pickup_name,pickup_address,pickup_zone,pickup_window_from,"
            + "pickup_window_to,delivery_name,delivery_address,delivery_latitude,delivery_longitude,delivery_zone,"
            + "delivery_window_from,delivery_window_to\n";

    @BeforeEach
    void tenant() {
        clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        gb = fixtures.tenant("GB");
    }

    private Response importCsv(String csv) {
        return api(gb.apiKey()).contentType("text/csv").body(csv).post("/api/v1/shipments/import");
    }

    private static String row(String reference, String title, String deliveryTo) {
        return reference + "," + title + ",Daikoku Pier,\"Daikoku Pier\nYokohama\",Asia/Tokyo,20/10/2027 08:00,"
                + "20/10/2027 17:00,Harbour Road depot,12 Harbour Road,50.8998,-1.4044,,20/12/2027 09:00," + deliveryTo
                + "\n";
    }

    @Test
    void stopColumnsGiveThePickupAndDeliveryThatTheApiAndTheTrackingPageShow() {
        String a = ShipmentApiTest.reference();
        String b = ShipmentApiTest.reference();
        importCsv(HEADER + row(a, "Load A", "20/12/2027 12:00") + b + ",Load B,,,,,,,,,,,,\n").then().statusCode(200)
                .body("created", equalTo(2));
        api(gb.apiKey()).get("/api/v1/shipments/" + a).then().statusCode(200).body("stops", hasSize(2))
                .body("stops[0].kind", equalTo("PICKUP")).body("stops[0].name", equalTo("Daikoku Pier"))
                .body("stops[0].address", equalTo("Daikoku Pier\nYokohama"))
                .body("stops[0].zone", equalTo("Asia/Tokyo")).body("stops[0].windowFrom", equalTo("2027-10-20T08:00"))
                // 08:00 in Tokyo is 23:00 the day before in UTC
                .body("stops[0].windowFromUtc", equalTo("2027-10-19T23:00:00Z"))
                .body("stops[1].kind", equalTo("DELIVERY"))
                // an empty zone is the organisation's (GB: Europe/London)
                .body("stops[1].zone", equalTo("Europe/London")).body("stops[1].windowTo", equalTo("2027-12-20T12:00"))
                .body("stops[1].windowToUtc", equalTo("2027-12-20T12:00:00Z"))
                .body("stops[1].latitude", hasToString("50.8998")).body("stops[1].longitude", hasToString("-1.4044"));
        api(gb.apiKey()).get("/api/v1/shipments/" + b).then().statusCode(200).body("stops", hasSize(0));

        String url = api(gb.apiKey()).post("/api/v1/shipments/" + a + "/tracking-link").then().statusCode(201).extract()
                .path("url");
        given().header("User-Agent", PortalClient.BROWSER).get(url.substring(url.indexOf("/t/"))).then().statusCode(200)
                .body(containsString("id=\"origin\"")).body(containsString("Daikoku Pier"))
                .body(containsString("20 Oct 2027, 08:00 – 17:00 ")).body(containsString("times in Asia/Tokyo"))
                .body(containsString("id=\"destination\"")).body(containsString("Harbour Road depot"))
                .body(containsString("20 Dec 2027, 09:00 – 12:00 ")).body(containsString("times in Europe/London"));
    }

    /**
     * A file whose first shipment is expected after its delivery window (late from the start) followed by another row:
     * both are imported, the first one flagged as late, as each is on its own.
     */
    @Test
    void aShipmentLateFromTheStartFollowedByAnotherRowIsImported() {
        String late = ShipmentApiTest.reference();
        String next = ShipmentApiTest.reference();
        importCsv(
                "reference,title,estimated_arrival,pickup_name,delivery_name,delivery_window_from,delivery_window_to\n"
                        + late + ",One,22/12/2026,P,D,20/12/2026 09:00,20/12/2026 12:00\n" + next + ",Two,,,,,\n")
                                .then().statusCode(200).body("created", equalTo(2));
        api(gb.apiKey()).get("/api/v1/shipments/" + late).then().statusCode(200).body("stops", hasSize(2));
        api(gb.apiKey()).get("/api/v1/shipments/" + next).then().statusCode(200);

        // again, with the late shipment's window moved (its stops change) and a new row after it
        String third = ShipmentApiTest.reference();
        importCsv("reference,title,pickup_name,delivery_name,delivery_window_from,delivery_window_to\n" + late
                + ",One,P,D,19/12/2026 09:00,19/12/2026 12:00\n" + third + ",Three,,,,\n").then().statusCode(200)
                        .body("created", equalTo(1));
        api(gb.apiKey()).get("/api/v1/shipments/" + late).then().statusCode(200).body("stops[1].windowTo",
                equalTo("2026-12-19T12:00"));
        api(gb.apiKey()).get("/api/v1/shipments/" + third).then().statusCode(200);
    }

    /**
     * A new shipment's arrival is from today where its delivery is, as when it is set later: at 02:00 in London on 8
     * Dec it is still 7 Dec in Los Angeles and already 8 Dec in Auckland.
     */
    @Test
    void aNewShipmentsArrivalIsFromTodayWhereItsDeliveryIs() {
        clock.set(Instant.parse("2026-12-08T02:00:00Z"));
        String header = "reference,title,estimated_arrival,pickup_name,delivery_name,delivery_zone\n";
        String la = ShipmentApiTest.reference();
        importCsv(header + la + ",To LA,07/12/2026,P,D,America/Los_Angeles\n").then().statusCode(200).body("created",
                equalTo(1));
        api(gb.apiKey()).get("/api/v1/shipments/" + la).then().statusCode(200)
                .body("estimatedArrival", equalTo("2026-12-07")).body("stops[1].zone", equalTo("America/Los_Angeles"));
        // the same day for Auckland (09:00 on 8 Dec there) or with no zone (London's 8 Dec) is gone by
        String auckland = ShipmentApiTest.reference();
        String london = ShipmentApiTest.reference();
        importCsv(header + auckland + ",To Auckland,07/12/2026,P,D,Pacific/Auckland\n" + london
                + ",To London,07/12/2026,P,D,\n").then().statusCode(422).body("created", equalTo(0))
                        .body("errors.find { it.row == 2 }.column", equalTo("estimated_arrival"))
                        .body("errors.find { it.row == 2 }.message",
                                containsString("is before today (2026-12-08 in Pacific/Auckland)"))
                        .body("errors.find { it.row == 3 }.message",
                                containsString("is before today (2026-12-08 in Europe/London)"));
        // a row refused for another cell is judged where its delivery is too (only its real problem named), and a zone
        // that is no zone judges no day
        String refused = ShipmentApiTest.reference();
        importCsv("reference,title,customer_email,estimated_arrival,pickup_name,delivery_name,delivery_zone\n" + refused
                + ",To LA,not-an-email,07/12/2026,P,D,America/Los_Angeles\n" + ShipmentApiTest.reference()
                + ",Nowhere,,07/12/2026,P,D,America/Los_Angelos\n").then().statusCode(422).body("errors.column",
                        equalTo(List.of("customer_email", "delivery_zone")));
    }

    /** A file saved as Latin-1: its first garbled row first, then the count of the others, nothing imported. */
    @Test
    void aFileInAnotherEncodingNamesItsFirstGarbledRowFirst() {
        String csv = "reference,title,customer_name\nLS-1,Caf\u00e9,Zo\u00eb\nLS-2,Plain,Bob\nLS-3,M\u00fcller,x\n";
        api(gb.apiKey()).contentType("text/csv").body(csv.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .post("/api/v1/shipments/import").then().statusCode(422).body("created", equalTo(0))
                .body("errors[0].row", equalTo(2)).body("errors[0].column", equalTo("title"))
                .body("errors[1].field", equalTo("file"))
                .body("errors[1].message", containsString("has 1 more row after row 2 that is not UTF-8 text"));
    }

    @Test
    void badStopsAreNamedByRowAndColumnAndNothingIsImported() {
        String good = ShipmentApiTest.reference();
        String header = "reference,title,pickup_name,pickup_latitude,pickup_longitude,pickup_zone,pickup_window_from,"
                + "pickup_window_to,delivery_name,delivery_zone,delivery_window_from,delivery_window_to\n";
        String csv = header + good + ",Good,P,,,Europe/London,,,D,Europe/Berlin,,\n" //
                + "SH-X3,T,P,,,Mars/Olympus,,,D,Europe/Berlin,,\n" //
                + "SH-X4,T,P,,,Europe/London,,,D,Europe/Berlin,20/12/2027 12:00,20/12/2027 09:00\n" //
                + "SH-X5,T,P,95,,Europe/London,,,D,,,\n" //
                + "SH-X6,T,P,,,Europe/London,tomorrow,,D,,,\n" //
                + "SH-X7,T,P,,,Europe/London,,,,,,\n" //
                // refused for its title too: the missing delivery is still named, so one upload shows both
                + "SH-X8,,P,,,Europe/London,,,,,,\n";
        importCsv(csv).then().statusCode(422).body("created", equalTo(0))
                .body("errors.findAll { it.row == 2 }", hasSize(0))
                .body("errors.find { it.row == 3 }.column", equalTo("pickup_zone"))
                .body("errors.find { it.row == 3 }.message", equalTo(
                        "must be a time zone name like Europe/Berlin or America/New_York, got \"Mars/Olympus\""))
                .body("errors.find { it.row == 4 }.column", equalTo("delivery_window_to"))
                .body("errors.find { it.row == 4 }.message",
                        equalTo("must not be before the window's start (20/12/2027 12:00), got \"20/12/2027 09:00\""))
                .body("errors.findAll { it.row == 5 }.column", equalTo(List.of("pickup_latitude", "pickup_longitude")))
                .body("errors.find { it.row == 5 }.message", equalTo("must be between -90 and 90 degrees, got \"95\""))
                .body("errors.find { it.row == 6 }.column", equalTo("pickup_window_from"))
                .body("errors.find { it.row == 6 }.message", containsString("got \"tomorrow\""))
                .body("errors.find { it.row == 7 }.column", equalTo("delivery_address"))
                .body("errors.find { it.row == 7 }.message", containsString("give both"))
                .body("errors.findAll { it.row == 8 }.column", equalTo(List.of("title", "delivery_address")))
                .body("errors", hasSize(8));
        api(gb.apiKey()).get("/api/v1/shipments/" + good).then().statusCode(404);
    }

    @Test
    void aReimportLeavesTheStopsWithoutStopColumnsAndSetsPickupAndDeliveryWithThem() {
        String a = ShipmentApiTest.reference();
        String file = HEADER + row(a, "Load A", "20/12/2027 12:00");
        importCsv(file).then().statusCode(200).body("created", equalTo(1));
        String path = "/api/v1/shipments/" + a;
        // staff add a stop between and record the pickup
        List<Map<String, Object>> stops = api(gb.apiKey()).get(path).then().extract().path("stops");
        Map<String, Object> between = new java.util.HashMap<>(
                Map.of("name", "Calais", "zone", "Europe/Paris", "windowFrom", "2027-12-19T10:00"));
        api(gb.apiKey()).contentType(ContentType.JSON).body(List.of(stops.get(0), between, stops.get(1)))
                .put(path + "/stops").then().statusCode(200);
        api(gb.apiKey()).post(path + "/stops/0/arrival").then().statusCode(200);

        importCsv("reference,title\n" + a + ",Load A\n").then().statusCode(200).body("unchanged", equalTo(1))
                .body("stopsUpdated", equalTo(0));
        importCsv(file).then().statusCode(200).body("unchanged", equalTo(1)).body("stopsUpdated", equalTo(0))
                .body("shipments[0].outcome", equalTo("UNCHANGED"));
        api(gb.apiKey()).get(path).then().body("stops", hasSize(3)).body("stops[1].name", equalTo("Calais"))
                .body("stops[0].arrivedAt", equalTo("2026-12-01T12:00:00Z"));

        // only the delivery window's end: the file's one column sets it, the rest of the stops stay as stored
        importCsv("reference,title,delivery_window_to\n" + a + ",Load A,20/12/2027 13:00\n").then().statusCode(200)
                .body("unchanged", equalTo(0)).body("stopsUpdated", equalTo(1))
                .body("shipments[0].outcome", equalTo("STOPS_UPDATED"));
        api(gb.apiKey()).get(path).then().body("stops", hasSize(3))
                .body("stops[2].windowTo", equalTo("2027-12-20T13:00"))
                .body("stops[2].name", equalTo("Harbour Road depot")).body("stops[2].zone", equalTo("Europe/London"))
                .body("stops[2].windowFrom", equalTo("2027-12-20T09:00"));

        // every stop column, the pickup cells empty: the pickup stays, the delivery is set from its cells
        importCsv(HEADER + a + ",Load A,,,,,,Harbour Road depot,,50.8998,-1.4044,,"
                + "20/12/2027 09:00,20/12/2027 15:00\n").then().statusCode(200).body("unchanged", equalTo(0))
                        .body("stopsUpdated", equalTo(1)).body("shipments[0].outcome", equalTo("STOPS_UPDATED"));
        api(gb.apiKey()).get(path).then().body("stops", hasSize(3)).body("stops[0].name", equalTo("Daikoku Pier"))
                .body("stops[0].arrivedAt", equalTo("2026-12-01T12:00:00Z")).body("stops[1].name", equalTo("Calais"))
                .body("stops[2].windowTo", equalTo("2027-12-20T15:00")).body("stops[2].address", nullValue())
                .body("stops[2].arrivedAt", nullValue());

        // another title as well: a conflict, and the stops stay as they are (all or nothing)
        importCsv(HEADER + row(a, "Load B", "20/12/2027 18:00")).then().statusCode(422).body("errors.column",
                equalTo(List.of("title")));
        assertEquals("2027-12-20T15:00", api(gb.apiKey()).get(path).then().extract().path("stops[2].windowTo"));
    }
}
