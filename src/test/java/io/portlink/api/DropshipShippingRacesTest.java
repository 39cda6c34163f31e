package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.portlink.dropship.SupplierFixtures;
import io.portlink.testing.Databases;
import io.portlink.testing.Races;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Two shipments of the same dropship lines at the same moment (two packers, or two suppliers of one sales order), on
 * PostgreSQL with real threads: one applies, the other is told what happened, nothing ships twice, no error page.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DropshipShippingRacesTest {

    private static final int ROUNDS = 5;

    @Inject
    SupplierFixtures fx;

    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    ExecutorService pool;

    @BeforeAll
    void start() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
    }

    @BeforeEach
    void postgresOnly() throws Exception {
        Databases.assumePostgres(dataSource, "races are run on PostgreSQL, the production database");
    }

    private Response ship(String key, long id, String tracking, List<Map<String, Object>> lines) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("carrier", "DHL", "trackingNumber", tracking,
                "shipDate", LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString()));
        if (lines != null) {
            body.put("lines", lines);
        }
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/dropshipments/" + id + "/shipments");
    }

    @Test
    void twoShipmentsOfTheSameLinesAtOnceShipThemOnce() throws Exception {
        var pair = fx.pair(false, false);
        for (int round = 0; round < ROUNDS; round++) {
            var made = fx.standard(pair);
            String key = pair.supplier().apiKey();
            var results = Races.together(pool, () -> ship(key, made.id(), "A-" + made.id(), null),
                    () -> ship(key, made.id(), "B-" + made.id(), null));
            List<Integer> statuses = new ArrayList<>(results.stream().map(Response::statusCode).toList());
            statuses.sort(null);
            assertEquals(List.of(201, 409), statuses, results.get(0).asString() + results.get(1).asString());
            Response loser = results.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
            assertTrue(loser.asString().contains("already shipped in full"), loser.asString());
            assertEquals(List.of(3, 2), fx.salesOrderShipped(made.salesOrderId()));
            assertEquals(List.of(3, 2), fx.dropshipmentShipped(made.id()));
            assertEquals(1, fx.shipments(made.id()));
        }
    }

    @Test
    void partlyOverlappingShipmentsNeverShipMoreThanOrdered() throws Exception {
        var pair = fx.pair(false, false);
        for (int round = 0; round < ROUNDS; round++) {
            var made = fx.standard(pair);
            String key = pair.supplier().apiKey();
            List<Map<String, Object>> two = List.of(Map.of("position", 1, "quantity", 2));
            var results = Races.together(pool, () -> ship(key, made.id(), "A-" + made.id(), two),
                    () -> ship(key, made.id(), "B-" + made.id(), two));
            List<Integer> statuses = new ArrayList<>(results.stream().map(Response::statusCode).toList());
            statuses.sort(null);
            assertEquals(List.of(201, 422), statuses, results.get(0).asString() + results.get(1).asString());
            Response loser = results.stream().filter(r -> r.statusCode() == 422).findFirst().orElseThrow();
            assertTrue(loser.asString().contains("only 1 of 3 remain (2 shipped already, maybe meanwhile)"),
                    loser.asString());
            assertEquals(List.of(2, 0), fx.salesOrderShipped(made.salesOrderId()));
        }
    }

    @Test
    void aRetriedRequestAtTheSameMomentIsRecordedOnce() throws Exception {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        String key = pair.supplier().apiKey();
        var results = Races.together(pool, () -> ship(key, made.id(), "SAME", null),
                () -> ship(key, made.id(), "SAME", null));
        List<Integer> statuses = new ArrayList<>(results.stream().map(Response::statusCode).toList());
        statuses.sort(null);
        assertEquals(List.of(200, 201), statuses);
        assertEquals(1, fx.shipments(made.id()));
    }

    @Test
    void twoSuppliersOfOneSalesOrderShippingAtOnceLeaveItShipped() throws Exception {
        var pair = fx.pair(false, false);
        var otherSupplier = fx.connect(pair.merchant(), fx.pair(false, false).supplier(), false, false);
        for (int round = 0; round < ROUNDS; round++) {
            var first = fx.dropshipment(pair, true, List.of(new SupplierFixtures.Item("A", "SA", 2, null)),
                    List.of(new SupplierFixtures.Item("B", "SB", 4, null)));
            var second = fx.secondSupplier(first, otherSupplier);
            var results = Races.together(pool,
                    () -> ship(pair.supplier().apiKey(), first.id(), "A-" + first.id(), null),
                    () -> ship(otherSupplier.supplier().apiKey(), second.id(), "B-" + second.id(), null));
            assertEquals(List.of(201, 201), results.stream().map(Response::statusCode).toList(),
                    results.get(0).asString() + results.get(1).asString());
            assertEquals(List.of(2, 4), fx.salesOrderShipped(first.salesOrderId()));
            assertEquals(io.portlink.dropship.SalesOrder.Status.SHIPPED, fx.salesOrder(first.salesOrderId()).status);
        }
    }
}
