package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        pool = Executors.newFixedThreadPool(4);
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

    /**
     * Creates of a shipment racing its deletion: each create answers as the shipment stood (created, the same, or
     * deleted meanwhile with a 404 saying so), never a 500; a tracking link made racing the deletion likewise.
     */
    @Test
    void aCreateRacingADeleteIsAnsweredNeverA500() throws Exception {
        for (int i = 0; i < 20; i++) {
            String ref = ShipmentApiTest.reference();
            create(ref).then().statusCode(201);
            Callable<Response> again = () -> create(ref);
            Callable<Response> delete = () -> given().header("Authorization", "Bearer " + tenant.apiKey())
                    .delete("/api/v1/shipments/" + ref);
            for (Response r : Races.together(pool, again, again, again, delete)) {
                assertTrue(List.of(200, 201, 204, 404).contains(r.statusCode()), r.statusCode() + " " + r.asString());
                if (r.statusCode() == 404) {
                    assertTrue(r.asString().contains("was deleted by another request while this one ran"),
                            r.asString());
                }
            }

            String linked = ShipmentApiTest.reference();
            create(linked).then().statusCode(201);
            Callable<Response> link = () -> given().header("Authorization", "Bearer " + tenant.apiKey())
                    .post("/api/v1/shipments/" + linked + "/tracking-link");
            Callable<Response> drop = () -> given().header("Authorization", "Bearer " + tenant.apiKey())
                    .delete("/api/v1/shipments/" + linked);
            for (Response r : Races.together(pool, link, link, drop)) {
                // 409: the other create made the link first
                assertTrue(List.of(201, 204, 404, 409).contains(r.statusCode()), r.statusCode() + " " + r.asString());
            }
        }
    }

    /**
     * Regenerates of one tracking link at once: each answer's hint is that of the url it carries (the last one issued
     * is the link that opens; the others were replaced meanwhile).
     */
    @Test
    void regeneratesAtOnceEachAnswerTheirOwnLinksHint() throws Exception {
        String ref = ShipmentApiTest.reference();
        create(ref).then().statusCode(201);
        given().header("Authorization", "Bearer " + tenant.apiKey()).post("/api/v1/shipments/" + ref + "/tracking-link")
                .then().statusCode(201);
        Callable<Response> regenerate = () -> given().header("Authorization", "Bearer " + tenant.apiKey())
                .post("/api/v1/shipments/" + ref + "/tracking-link/regenerate");
        for (int i = 0; i < 5; i++) {
            for (Response r : Races.together(pool, regenerate, regenerate, regenerate, regenerate)) {
                assertEquals(201, r.statusCode(), r.asString());
                String url = r.path("url");
                String token = url.substring(url.indexOf("/t/") + 3);
                assertEquals(token.substring(0, 6) + "…", r.path("hint"), r.asString());
            }
        }
    }
}
