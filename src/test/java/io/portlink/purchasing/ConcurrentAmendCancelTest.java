package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * An integration amends revision 1 while another cancels it with If-Match "1", at the same moment (PostgreSQL, real
 * threads released together): never both. Either the amendment wins (revision 2) and the cancel is 412 naming revision
 * 2, the order open; or the cancel wins and the amendment is refused (422, a cancelled order), the order cancelled at
 * revision 1.
 */
@QuarkusTest
class ConcurrentAmendCancelTest {

    static final int ROUNDS = Integer.getInteger("race.rounds", 15);

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
    void anAmendmentAndACancelOfOneRevisionAtOnceNeverBothSucceed() throws Exception {
        Databases.assumePostgres(dataSource, "the race is between two PostgreSQL transactions");
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String ref = uniqueReference();
                String email = "race-" + ref.toLowerCase() + "@vendor.example";
                Fixtures.post(tenant.apiKey(), order(ref, email, "10")).statusCode(201);
                List<Response> answers = Races.together(pool,
                        () -> given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                                .header("If-Match", "\"1\"").body(order(ref, email, "50"))
                                .put("/api/v1/purchase-orders/" + ref),
                        () -> given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                                .header("If-Match", "\"1\"").body(Map.of("reason", "r"))
                                .post("/api/v1/purchase-orders/" + ref + "/cancel"));
                Response amend = answers.get(0);
                Response cancel = answers.get(1);
                JsonPath now = given().header("Authorization", "Bearer " + tenant.apiKey())
                        .get("/api/v1/purchase-orders/" + ref).then().statusCode(200).extract().jsonPath();
                String seen = "amend " + amend.statusCode() + ", cancel " + cancel.statusCode();
                if (amend.statusCode() == 200) {
                    assertEquals(412, cancel.statusCode(), "the cancel was based on revision 1: " + seen);
                    assertEquals(2, cancel.jsonPath().getInt("currentRevision"));
                    assertEquals("application/problem+json", cancel.contentType().split(";")[0]);
                    assertEquals(2, now.getInt("revision"));
                    assertEquals("50", now.getString("lines[0].quantity"));
                    assertTrue(!"CANCELLED".equals(now.getString("status")), "amended, not cancelled");
                } else {
                    assertEquals(200, cancel.statusCode(), seen);
                    assertEquals(422, amend.statusCode(), "a cancelled order cannot be amended: " + seen);
                    assertEquals("CANCELLED", now.getString("status"));
                    assertEquals(1, now.getInt("revision"));
                    assertEquals("10", now.getString("lines[0].quantity"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
