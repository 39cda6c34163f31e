package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Races;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Two integrations (or one retrying) at the same moment, on PostgreSQL with real threads. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShipmentRacesTest {

    private static final int ROUNDS = 5;

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    ExecutorService pool;
    Fixtures.Tenant tenant;

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
        tenant = fixtures.tenant("GB");
    }

    /** The status codes of both calls, sorted. */
    List<Integer> together(Callable<Response> a, Callable<Response> b) throws Exception {
        List<Integer> statuses = new ArrayList<>(
                Races.together(pool, a, b).stream().map(Response::statusCode).toList());
        statuses.sort(null);
        return statuses;
    }

    Response create(String reference) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .body(ShipmentApiTest.shipment(reference)).post("/api/v1/shipments");
    }

    Response patch(String reference, int version, String stage) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"" + version + "\"").body(Map.of("stage", stage))
                .patch("/api/v1/shipments/" + reference);
    }

    @Test
    void theSameCreateTwiceAtOnceIsCreatedOnceAndFoundOnce() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            String ref = ShipmentApiTest.reference();
            assertEquals(List.of(200, 201), together(() -> create(ref), () -> create(ref)));
            given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/shipments/" + ref).then()
                    .statusCode(200);
        }
    }

    @Test
    void twoChangesFromTheSameVersionAtOnceOneWinsTheOtherIsTold() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            String ref = ShipmentApiTest.reference();
            int version = create(ref).then().statusCode(201).extract().path("version");
            assertEquals(List.of(200, 412),
                    together(() -> patch(ref, version, "Dispatched"), () -> patch(ref, version, "In transit")));
            given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/shipments/" + ref).then()
                    .statusCode(200).body("stageHistory", org.hamcrest.Matchers.hasSize(2));
        }
    }
}
