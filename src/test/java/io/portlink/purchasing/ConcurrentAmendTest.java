package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Races;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Two integrations amend the same revision of an order at the same moment (PostgreSQL, real threads released together):
 * exactly one wins and makes revision 2, the other gets 412 naming revision 2, never a 5xx; the order is the winner's,
 * with one revision and one timeline entry.
 */
@QuarkusTest
class ConcurrentAmendTest {

    static final int ROUNDS = Integer.getInteger("race.rounds", 8);

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    private static Map<String, Object> order(String ref, String email, String quantity) {
        return new HashMap<>(Map.of("reference", ref, "vendor", Map.of("name", "Acme Fasteners Ltd", "email", email),
                "requestedDate", "2026-07-01", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", quantity, "unit", "pcs"))));
    }

    @Test
    void twoAmendmentsOfOneRevisionAtOnceExactlyOneWins() throws Exception {
        Databases.assumePostgres(dataSource, "the race is between two PostgreSQL transactions");
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String ref = uniqueReference();
                String email = "race-" + ref.toLowerCase() + "@vendor.example";
                Fixtures.post(tenant.apiKey(), order(ref, email, "100")).statusCode(201);
                List<Response> answers = Races.together(pool, () -> put(tenant, ref, email, "150"),
                        () -> put(tenant, ref, email, "175"));
                List<Integer> statuses = new ArrayList<>(answers.stream().map(Response::statusCode).toList());
                assertTrue(statuses.contains(200) && statuses.contains(412), "one wins, one is stale: " + statuses);
                Response winner = answers.get(statuses.indexOf(200));
                Response loser = answers.get(statuses.indexOf(412));
                assertEquals(2, winner.jsonPath().getInt("revision"));
                assertEquals(2, loser.jsonPath().getInt("currentRevision"));
                assertEquals("application/problem+json", loser.contentType().split(";")[0]);

                JsonPath now = given().header("Authorization", "Bearer " + tenant.apiKey())
                        .get("/api/v1/purchase-orders/" + ref).then().statusCode(200).extract().jsonPath();
                assertEquals(2, now.getInt("revision"));
                assertEquals(winner.jsonPath().getString("changes[0].to"), now.getString("lines[0].quantity"),
                        "the order is the winner's");
                assertEquals(1, now.getList("revisions").size());
                assertEquals(1, now.getList("timeline.findAll { it.type == 'AMENDED' }").size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Response put(Fixtures.Tenant tenant, String ref, String email, String quantity) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"1\"").body(order(ref, email, quantity)).put("/api/v1/purchase-orders/" + ref);
    }
}
