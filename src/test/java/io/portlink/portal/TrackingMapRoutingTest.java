package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.DriverLinks;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentEtas;
import io.portlink.shipment.ShipmentPositions;
import io.portlink.shipment.ShipmentSettings;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.RoutingEngineStub;
import io.portlink.testing.TestClock;
import io.portlink.testing.TestProfiles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * With a tile server and a routing engine configured (a local stub speaking OSRM's JSON): the page shows a fresh
 * position on a tile from that host only (and its CSP allows that host), not a stale one and not when the organisation
 * has the map off; positions take the engine's route duration as ETA, and its failure falls back to the estimate. The
 * profile also turns on tracing ({@code TracingTest}), which changes nothing asserted here.
 */
@QuarkusTest
@TestProfile(TestProfiles.Integrations.class)
class TrackingMapRoutingTest {

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
    TestClock clock;

    @Inject
    DriverLinks driverLinks;

    @Inject
    javax.sql.DataSource dataSource;

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");
    Fixtures.Tenant tenant;
    String reference;
    long id;
    String path;

    @BeforeEach
    void shipment() {
        RoutingEngineStub.reset();
        clock.set(Instant.parse("2026-12-01T09:00:00Z"));
        tenant = fixtures.tenant("GB");
        reference = Fixtures.uniqueReference();
        id = shipments.create(tenant.id(), TrackingPortalTest.input(reference, "Pallets", "en"), anna).id();
        stops.replace(tenant.id(), id,
                List.of(new ShipmentStops.StopInput(null, "Hamburg", null, "53.55", "9.99", "Europe/Berlin", null,
                        null),
                        new ShipmentStops.StopInput(null, "Berlin", null, "52.6", "13.5", "Europe/Berlin", null, null)),
                anna);
        // on its way: positions before that compute no ETA
        shipments.changeStage(tenant.id(), id, "In transit", anna);
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

    private void map(boolean on) {
        QuarkusTransaction.requiringNew()
                .run(() -> ShipmentSettings.update("mapEnabled = ?1 where organizationId = ?2", on, tenant.id()));
    }

    @Test
    void aFreshPositionIsShownOnATileFromTheConfiguredHostOnly() {
        map(true);
        position("52.52", "13.405", "2026-12-01T08:30:00Z");
        Response r = page();
        // Berlin at zoom 13: tile 4401/2686, the point 1/32 from its left and 19/32 from its top
        r.then().statusCode(200).body(containsString("<img src=\"https://tiles.example/13/4401/2686.png\""))
                .body(containsString("class=\"pin mx-1 my-19\"")).body(containsString("id=\"position-time\""));
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp.contains("img-src 'self' data: https://tiles.example;"), csp);
        assertTrue(r.header("Cache-Control").contains("no-store"));

        // stale after the organisation's 120 minutes: the time and distance, no map
        clock.advance(Duration.ofMinutes(121));
        page().then().body(not(containsString("tiles.example/"))).body(containsString("id=\"distance\""));
        clock.set(Instant.parse("2026-12-01T09:00:00Z"));
        map(false);
        page().then().body(not(containsString("tiles.example/")));
    }

    /**
     * Staff see where the vehicle is: the last position's time (the delivery stop's zone, named), source, coordinates
     * and the distance left, and the same tile as the customer's page (its host allowed by the staff CSP) while the
     * organisation's map is on; with the map off, all but the tile.
     */
    @Test
    void theStaffPageShowsTheLastPositionAndTheMapTile() {
        map(true);
        position("52.52", "13.405", "2026-12-01T08:30:00Z");
        var staff = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        Response r = given().filter(staff).get("/app/shipments/" + id);
        r.then().statusCode(200).body(containsString("id=\"position-time\">1 Dec 2026, 09:30 (Europe/Berlin)"))
                .body(containsString("id=\"position-source\">gps"))
                .body(containsString("id=\"position-coordinates\">52.520000, 13.405000"))
                // 52.52,13.405 to 52.6,13.5: 10.9 km
                .body(containsString("id=\"position-distance\">11 km"))
                .body(containsString("<img src=\"https://tiles.example/13/4401/2686.png\""));
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp.contains("img-src 'self' data: https://tiles.example;"), csp);

        map(false);
        given().filter(staff).get("/app/shipments/" + id).then().statusCode(200)
                .body(containsString("id=\"position-time\"")).body(not(containsString("tiles.example/")));
    }

    /** With a routing engine configured, the admin's live-tracking settings say it gives the ETA, not the estimate. */
    @Test
    void theAdminPageSaysTheRoutingEngineIsInUse() {
        var admin = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(admin).get("/app/admin/pipelines").then().statusCode(200)
                .body(containsString("ETA from a position: <strong>the routing engine (OSRM)</strong>"))
                .body(not(containsString("Without a routing engine"))).body(not(containsString("id=\"no-tiles\"")));
    }

    @Test
    void theRoutingEngineGivesTheEtaAndItsFailureFallsBackToTheEstimate() {
        position("52.52", "13.405", "2026-12-01T08:30:00Z");
        var eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(io.portlink.shipment.Shipment.EtaSource.ROUTE, eta.source());
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T10:00:00Z"), eta.current(),
                "now (09:00) plus the route");

        RoutingEngineStub.routeSeconds = -1;
        position("52.55", "13.45", "2026-12-01T08:40:00Z");
        eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(io.portlink.shipment.Shipment.EtaSource.ESTIMATE, eta.source());
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T10:00:00Z"), eta.planned());
        assertTrue(eta.current().isAfter(Instant.parse("2026-12-01T09:00:00Z"))
                && eta.current().isBefore(Instant.parse("2026-12-01T09:10:00Z")), eta.current().toString());
    }

    /**
     * Another transaction's update of the shipment's row, as a staff edit would do it, with a short lock timeout:
     * "updated", or why it could not.
     */
    private String updateElsewhere() {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var st = c.createStatement()) {
                st.execute("set local lock_timeout = '300ms'");
                int n = st.executeUpdate("update shipment set updated_at = updated_at where id = " + id);
                return n == 1 ? "updated" : "no row";
            } finally {
                c.rollback();
            }
        } catch (java.sql.SQLException e) {
            return e.getMessage();
        }
    }

    @Test
    void theRoutingEngineIsAskedWhileNoLockIsHeldOnTheShipment() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource,
                "row locks and lock timeouts as PostgreSQL keeps them");
        List<String> meanwhile = new java.util.concurrent.CopyOnWriteArrayList<>();
        RoutingEngineStub.whileAnswering = () -> meanwhile.add(updateElsewhere());
        // through the API
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body("[{\"latitude\": 52.52, \"longitude\": 13.405, \"recordedAt\": \"2026-12-01T08:30:00Z\"}]")
                .post("/api/v1/shipments/" + reference + "/positions").then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(List.of("updated"), meanwhile);
        var eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(Shipment.EtaSource.ROUTE, eta.source());
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T10:00:00Z"), eta.current());

        // through the driver's page
        String url = driverLinks.create(tenant.id(), id, anna).orElseThrow().url();
        String driver = url.substring(url.indexOf("/d/"));
        String html = given().header("User-Agent", PortalClient.BROWSER).get(driver).asString();
        var m = java.util.regex.Pattern.compile("data-nonce=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), html);
        given().header("User-Agent", PortalClient.BROWSER).contentType("application/x-www-form-urlencoded")
                .formParam("nonce", m.group(1)).formParam("latitude", "52.53").formParam("longitude", "13.41")
                .formParam("recordedAt", Long.toString(Instant.parse("2026-12-01T08:55:00Z").toEpochMilli()))
                .post(driver + "/positions").then().statusCode(204);
        org.junit.jupiter.api.Assertions.assertEquals(List.of("updated", "updated"), meanwhile);
        eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T10:00:00Z"), eta.current());
    }

    @Test
    void aRouteThatCameBackAfterANewerPositionOrAManualEtaIsNotApplied() {
        // a newer position arrives while the engine answers for the older one: the newer one's ETA stays
        RoutingEngineStub.whileAnswering = () -> {
            RoutingEngineStub.whileAnswering = null;
            position("52.55", "13.45", "2026-12-01T08:40:00Z");
        };
        position("52.52", "13.405", "2026-12-01T08:30:00Z");
        var eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(Shipment.EtaSource.ROUTE, eta.source());
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T10:00:00Z"), eta.current());

        // staff set the ETA while the engine answers: theirs stays
        RoutingEngineStub.whileAnswering = () -> {
            RoutingEngineStub.whileAnswering = null;
            etas.setManual(tenant.id(), id, java.time.LocalDate.parse("2026-12-03"), null, anna);
        };
        position("52.56", "13.46", "2026-12-01T08:50:00Z");
        eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(Shipment.EtaSource.MANUAL, eta.source());
        org.junit.jupiter.api.Assertions.assertTrue(eta.dateOnly());
    }

    /** Whether the suite runs on PostgreSQL, where another transaction's update with a lock timeout is the probe. */
    private boolean postgres() {
        try (var c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A moved delivery stop (edited in place) and a cleared manual ETA take the estimate under the lock and the route
     * once committed; on PostgreSQL, the shipment's row is free while the engine answers.
     */
    @Test
    void aMovedDeliveryStopAndAClearedManualEtaTakeTheRouteAfterCommitWithNoLockHeld() throws Exception {
        position("52.52", "13.405", "2026-12-01T08:30:00Z");
        List<String> meanwhile = new java.util.concurrent.CopyOnWriteArrayList<>();
        boolean probe = postgres();
        RoutingEngineStub.whileAnswering = () -> meanwhile.add(probe ? updateElsewhere() : "updated");

        RoutingEngineStub.routeSeconds = 1800;
        stops.replace(tenant.id(), id, List.of(
                new ShipmentStops.StopInput(null, "Hamburg", null, "53.55", "9.99", "Europe/Berlin", null, null),
                new ShipmentStops.StopInput(null, "Potsdam", null, "52.39", "13.06", "Europe/Berlin", null, null)),
                anna);
        org.junit.jupiter.api.Assertions.assertEquals(List.of("updated"), meanwhile);
        var eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(Shipment.EtaSource.ROUTE, eta.source());
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T09:30:00Z"), eta.current());

        etas.setManual(tenant.id(), id, java.time.LocalDate.parse("2026-12-03"), null, anna);
        RoutingEngineStub.routeSeconds = 2400;
        // cleared through the API: the answer already carries the route
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body("{\"date\": null}").put("/api/v1/shipments/" + reference + "/eta").then().statusCode(200)
                .body("source", org.hamcrest.Matchers.equalTo("ROUTE"));
        org.junit.jupiter.api.Assertions.assertEquals(List.of("updated", "updated"), meanwhile);
        eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T09:40:00Z"), eta.current());
    }
}
