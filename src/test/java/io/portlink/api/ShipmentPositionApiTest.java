package io.portlink.api;

import static io.portlink.api.ShipmentApiTest.api;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Races;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Positions through the API: a batch in, the latest on the shipment, the history newest first; repeats ignored, bad
 * points refused with their index, nothing stored from a refused batch; another organisation's shipment is a 404.
 */
@QuarkusTest
class ShipmentPositionApiTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

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

    private static Map<String, Object> point(double lat, double lon, String at) {
        return Map.of("latitude", lat, "longitude", lon, "recordedAt", at, "source", "gps");
    }

    private Response post(Object body) {
        return api(tenant.apiKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/shipments/" + reference + "/positions");
    }

    private String etag() {
        return api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().statusCode(200).extract()
                .header("ETag");
    }

    @Test
    void aBatchIsStoredTheLatestIsKeptAndARepeatChangesNothing() {
        String version = etag();
        var batch = List.of(point(51.5074, -0.1278, "2026-12-01T10:00:00Z"),
                point(51.6, -0.2, "2026-12-01T11:00:00+01:00"), point(51.7, -0.3, "2026-12-01T11:30:00Z"));
        post(batch).then().statusCode(200).body("accepted", equalTo(3)).body("duplicates", equalTo(0))
                .body("latest.recordedAt", equalTo("2026-12-01T11:30:00Z"))
                .body("latest.latitude", org.hamcrest.Matchers.hasToString(org.hamcrest.Matchers.startsWith("51.7")));
        // the same batch again (a retry): nothing new
        post(batch).then().statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(3))
                .body("latest.recordedAt", equalTo("2026-12-01T11:30:00Z"));
        // an older point and a repeat: stored once, the latest stays the newest by recorded time
        post(List.of(point(51.0, 0.0, "2026-12-01T08:00:00Z"), point(51.7, -0.3, "2026-12-01T11:30:00Z"))).then()
                .statusCode(200).body("accepted", equalTo(1)).body("duplicates", equalTo(1))
                .body("latest.recordedAt", equalTo("2026-12-01T11:30:00Z"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/positions").then().statusCode(200)
                .body("total", equalTo(4)).body("items.recordedAt", contains("2026-12-01T11:30:00Z",
                        "2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z", "2026-12-01T08:00:00Z"))
                .body("items[0].source", equalTo("gps"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/positions?page=1&size=3").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("total", equalTo(4));
        // a position is no edit: the shipment's version (what an editor's If-Match names) is unchanged
        assertEquals(version, etag());
    }

    @Test
    void badPointsAreListedByIndexAndNothingIsStored() {
        var batch = new ArrayList<Object>();
        batch.add(point(51.5, -0.1, "2026-12-01T10:00:00Z"));
        batch.add(Map.of("latitude", 91.0, "longitude", -181.5, "recordedAt", "2026-12-01T10:00:00Z"));
        batch.add(Map.of("latitude", "north", "longitude", 0.5, "recordedAt", "yesterday"));
        batch.add(Map.of("longitude", 0.5, "recordedAt", "2026-12-01T12:10:00Z", "source", "GPS device!"));
        post(batch).then().statusCode(422).body("errors.field", hasItems("[1].latitude", "[1].longitude",
                "[2].latitude", "[2].recordedAt", "[3].latitude", "[3].recordedAt", "[3].source"));
        // an unknown field is named beside every other problem, not instead of them
        batch.add(Map.of("lat", 1, "longitude", 0.5, "recordedAt", "2026-12-01T10:00:00Z"));
        post(batch).then().statusCode(422).body("errors.field", hasItems("[4].lat", "[4].latitude", "[1].latitude",
                "[1].longitude", "[2].latitude", "[2].recordedAt", "[3].latitude", "[3].recordedAt", "[3].source"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/positions").then().statusCode(200).body("total",
                equalTo(0));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().statusCode(200);
        // a device clock a minute ahead is accepted; the empty batch, a non-array and too many are refused
        post(List.of(point(51.5, -0.1, "2026-12-01T12:01:00Z"))).then().statusCode(200).body("accepted", equalTo(1));
        post(List.of()).then().statusCode(422).body("errors[0].field", equalTo("positions"));
        post(Map.of("latitude", 1)).then().statusCode(422).body("errors[0].field", equalTo("positions"));
        var many = new ArrayList<Object>();
        for (int i = 0; i < 1001; i++) {
            many.add(point(10, 10, "2026-12-01T10:00:00Z"));
        }
        post(many).then().statusCode(422).body("errors[0].message", org.hamcrest.Matchers.containsString("1000"));
    }

    /** "driver" is what a driver link's points are stored as; a system sending it would pass for the driver's phone. */
    @Test
    void theDriverSourceIsRefusedFromTheApiInAnyCase() {
        for (String source : List.of("driver", " Driver ")) {
            post(List.of(Map.of("latitude", 51.5, "longitude", -0.1, "recordedAt", "2026-12-01T10:00:00Z", "source",
                    source))).then().statusCode(422).body("errors[0].field", equalTo("[0].source"))
                            .body("errors[0].message", org.hamcrest.Matchers.containsString("driver link"));
        }
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/positions").then().statusCode(200).body("total",
                equalTo(0));
        post(List.of(Map.of("latitude", 51.5, "longitude", -0.1, "recordedAt", "2026-12-01T10:00:00Z", "source",
                "driver-app"))).then().statusCode(200).body("latest.source", equalTo("driver-app"));
    }

    @Test
    void anotherOrganisationsShipmentIsNotFound() {
        Fixtures.Tenant other = fixtures.tenant("GB");
        api(other.apiKey()).contentType(ContentType.JSON).body(List.of(point(1, 1, "2026-12-01T10:00:00Z")))
                .post("/api/v1/shipments/" + reference + "/positions").then().statusCode(404);
        api(other.apiKey()).get("/api/v1/shipments/" + reference + "/positions").then().statusCode(404);
        post(List.of(point(1, 1, "2026-12-01T10:00:00Z"))).then().statusCode(200).body("latest.source", equalTo("gps"));
        api(tenant.apiKey()).get("/api/v1/shipments/NO-SUCH/positions").then().statusCode(404);
    }

    @Test
    void aNewShipmentHasNoPositionsAndAnUnknownOneIsNotFound() {
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/positions").then().statusCode(200)
                .body("total", equalTo(0)).body("items.size()", equalTo(0));
        api(tenant.apiKey()).get("/api/v1/shipments/" + ShipmentApiTest.reference() + "/positions").then()
                .statusCode(404).body("detail", org.hamcrest.Matchers.startsWith("no shipment"));
    }

    /** The same batch sent twice at once (a retry racing the original): every point is stored once. */
    @Test
    void aBatchAndItsRetryAtOnceStoreEachPointOnce() throws Exception {
        Databases.assumePostgres(dataSource, "races are run on PostgreSQL, the production database");
        var batch = new ArrayList<Object>();
        for (int i = 0; i < 200; i++) {
            batch.add(point(50 + i / 1000.0, 1 + i / 1000.0,
                    Instant.parse("2026-12-01T09:00:00Z").plusSeconds(i * 30L).toString()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Response> answers = Races.together(pool, () -> post(batch), () -> post(batch));
            int accepted = 0;
            for (Response r : answers) {
                assertEquals(200, r.statusCode(), r.asString());
                accepted += r.jsonPath().getInt("accepted");
            }
            assertEquals(200, accepted);
        } finally {
            pool.shutdownNow();
        }
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/positions?size=1").then().statusCode(200)
                .body("total", equalTo(200));
    }

    private Response postRaw(String json) {
        return api(tenant.apiKey()).contentType(ContentType.JSON).body(json)
                .post("/api/v1/shipments/" + reference + "/positions");
    }

    private int total() {
        return api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/positions?size=1").then().statusCode(200)
                .extract().path("total");
    }

    /**
     * Points of one recorded time: each different point is stored, a repeat is not; the shipment's latest position and
     * the list's first are the same one (recordedAt, then the order they were stored), in one batch and across batches.
     */
    @Test
    void pointsOfOneTimeGiveTheSameLatestAsTheListsFirst() {
        String t = "2026-12-01T11:00:00Z";
        post(List.of(point(52.1, 5, t), point(52.2, 5, t), point(52.3, 5, t))).then().statusCode(200)
                .body("accepted", equalTo(3)).body("latest.latitude", equalTo("52.3"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/positions").then().statusCode(200)
                .body("items.latitude", contains("52.3", "52.2", "52.1"));
        post(List.of(point(52.2, 5, t))).then().statusCode(200).body("accepted", equalTo(0))
                .body("duplicates", equalTo(1)).body("latest.latitude", equalTo("52.3"));
        post(List.of(point(52.4, 5, t))).then().statusCode(200).body("accepted", equalTo(1)).body("latest.latitude",
                equalTo("52.4"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/positions").then().statusCode(200)
                .body("items[0].latitude", equalTo("52.4"));
        assertEquals("52.4", lastLatitude(), "the shipment keeps the list's first");
    }

    private String lastLatitude() {
        try (var c = dataSource.getConnection();
                var st = c.prepareStatement("select last_latitude from shipment where reference = ?")) {
            st.setString(1, reference);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1).stripTrailingZeros().toPlainString();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Numbers past a double and times the database cannot hold (or far in the past) are a 422 naming the field. */
    @Test
    void extremeNumbersAndAncientTimesAreRefusedByField() {
        postRaw("[{\"latitude\":1e999,\"longitude\":0,\"recordedAt\":\"2026-12-01T06:00:00Z\"}]").then().statusCode(422)
                .body("errors.field", contains("[0].latitude"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("between -90 and 90"));
        postRaw("[{\"latitude\":0,\"longitude\":-1e999,\"recordedAt\":\"2026-12-01T06:00:00Z\"}]").then()
                .statusCode(422).body("errors.field", contains("[0].longitude"));
        for (String at : List.of("-4714-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                "1900-01-01T00:00:00Z", "2026-10-31T11:59:00Z")) {
            post(List.of(point(51.5, -0.1, at))).then().statusCode(422).body("errors.field", contains("[0].recordedAt"))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("must be within the last 30 days"));
        }
        assertEquals(0, total(), "nothing stored");
        // 29 days back is still taken, and a coordinate of 1e-2147483647 is simply 0
        post(List.of(point(51.5, -0.1, "2026-11-02T12:00:00Z"))).then().statusCode(200).body("accepted", equalTo(1));
        postRaw("[{\"latitude\":1e-2147483647,\"longitude\":0.5,\"recordedAt\":\"2026-12-01T06:00:00Z\"}]").then()
                .statusCode(200).body("latest.latitude", equalTo("0"));
        assertEquals(2, total());
    }

    /**
     * The body is bounded before it is parsed: a huge batch of empty objects is a quick 413; 1,000 real points pass.
     */
    @Test
    void aBodyOverTheCapIsRefusedBeforeParsingAndAFullBatchStillPasses() {
        StringBuilder huge = new StringBuilder("[");
        while (huge.length() <= ShipmentPositionApi.MAX_BODY_BYTES) {
            huge.append("{},");
        }
        huge.append("{}]");
        postRaw(huge.toString()).then().statusCode(413).contentType("application/problem+json").body("detail",
                org.hamcrest.Matchers.containsString("at most 512 KB"));
        assertEquals(0, total(), "nothing stored");

        var batch = new ArrayList<Object>();
        for (int i = 0; i < 1000; i++) {
            batch.add(Map.of("latitude", 51.123456 + i / 1e6, "longitude", -0.123456 - i / 1e6, "recordedAt",
                    Instant.parse("2026-11-30T12:00:00.123456Z").plusSeconds(i * 17L).toString(), "source",
                    "telematics-unit-0123456789abcdef"));
        }
        post(batch).then().statusCode(200).body("accepted", equalTo(1000));
        assertEquals(1000, total());
    }
}
