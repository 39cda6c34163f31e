package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentEtas;
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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * With a tile server and a routing engine configured (a local stub speaking OSRM's JSON): the page shows a fresh
 * position on a tile from that host only (and its CSP allows that host), not a stale one and not when the organisation
 * has the map off; positions take the engine's route duration as ETA, and its failure falls back to the estimate.
 */
@QuarkusTest
@TestProfile(TrackingMapRoutingTest.Configured.class)
class TrackingMapRoutingTest {

    /** The stub routing engine: answers the duration set here, or 500 when negative. */
    static volatile double routeSeconds = 3600;
    static final HttpServer ENGINE = engine();

    private static HttpServer engine() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/route/v1/driving/", exchange -> {
                double seconds = routeSeconds;
                String body = seconds < 0 ? "{\"code\":\"Error\"}"
                        : "{\"code\":\"Ok\",\"routes\":[{\"duration\":" + seconds + ",\"distance\":1000}]}";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(seconds < 0 ? 500 : 200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portlink.map.tile-url", "https://tiles.example/{z}/{x}/{y}.png", "portlink.routing.osrm-url",
                    "http://127.0.0.1:" + ENGINE.getAddress().getPort(), "portlink.routing.timeout", "1s");
        }
    }

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

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");
    Fixtures.Tenant tenant;
    long id;
    String path;

    @BeforeEach
    void shipment() {
        routeSeconds = 3600;
        clock.set(Instant.parse("2026-12-01T09:00:00Z"));
        tenant = fixtures.tenant("GB");
        id = shipments.create(tenant.id(), TrackingPortalTest.input(Fixtures.uniqueReference(), "Pallets", "en"), anna)
                .id();
        stops.replace(tenant.id(), id,
                List.of(new ShipmentStops.StopInput(null, "Hamburg", null, "53.55", "9.99", "Europe/Berlin", null,
                        null),
                        new ShipmentStops.StopInput(null, "Berlin", null, "52.6", "13.5", "Europe/Berlin", null, null)),
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

    @Test
    void theRoutingEngineGivesTheEtaAndItsFailureFallsBackToTheEstimate() {
        position("52.52", "13.405", "2026-12-01T08:30:00Z");
        var eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(io.portlink.shipment.Shipment.EtaSource.ROUTE, eta.source());
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T09:30:00Z"), eta.current());

        routeSeconds = -1;
        position("52.55", "13.45", "2026-12-01T08:40:00Z");
        eta = etas.of(tenant.id(), id).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(io.portlink.shipment.Shipment.EtaSource.ESTIMATE, eta.source());
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-12-01T09:30:00Z"), eta.planned());
        assertTrue(eta.current().isAfter(Instant.parse("2026-12-01T08:40:00Z"))
                && eta.current().isBefore(Instant.parse("2026-12-01T08:50:00Z")), eta.current().toString());
    }
}
