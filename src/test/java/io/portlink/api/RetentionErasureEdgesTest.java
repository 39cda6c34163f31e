package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Edges of {@code PUT /api/v1/organization/retention} and {@code POST /api/v1/personal-data/erasures}: a 422 names the
 * API's own fields, every one out of range at once; a string that is no number is refused, never read as null; an
 * erasure by phone also removes the person's e-mail from the notes it finds; the same erasure twice at once answers 201
 * twice.
 */
@QuarkusTest
class RetentionErasureEdgesTest {

    @Inject
    Fixtures fixtures;

    private static io.restassured.response.ValidatableResponse put(String key, String body) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .put("/api/v1/organization/retention").then();
    }

    @Test
    void aRefusedPolicyNamesEveryFieldOutOfRangeByItsApiName() {
        String key = fixtures.tenant("GB").apiKey();
        put(key, "{\"vendorLinkDays\":0,\"trackingLinkDays\":0,\"imageDays\":5,\"positionDays\":5}").statusCode(422)
                .body("errors.field", containsInAnyOrder("vendorLinkDays", "trackingLinkDays"));
        // a field left out is said to be required, not out of range
        put(key, "{\"vendorLinkDays\":10,\"imageDays\":null}").statusCode(422).body(
                "errors.find { it.field == 'trackingLinkDays' }.message",
                equalTo("is required: whole days from 1 to 3650"));
    }

    @Test
    void aStringThatIsNoNumberIsRefusedNotReadAsNull() {
        String key = fixtures.tenant("GB").apiKey();
        put(key, "{\"vendorLinkDays\":10,\"trackingLinkDays\":20,\"imageDays\":30,\"positionDays\":40}")
                .statusCode(200);
        put(key, "{\"vendorLinkDays\":\"\\u0000\",\"trackingLinkDays\":20,\"imageDays\":30,\"positionDays\":40}")
                .statusCode(422).body("errors[0].field", equalTo("vendorLinkDays"));
        given().header("Authorization", "Bearer " + key).get("/api/v1/organization/retention").then()
                .body("vendorLinkDays", equalTo(10));
    }

    private static String shipmentWithNote(String key, String email, String phone) {
        String ref = Fixtures.uniqueReference();
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("reference", ref, "title", "Crate", "customer",
                        Map.of("name", "Pat Person", "email", email, "phone", phone, "language", "en")))
                .post("/api/v1/shipments").then().statusCode(201);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("scope", "CUSTOMER", "text", "Call " + phone + " or write to " + email))
                .post("/api/v1/shipments/" + ref + "/notes").then().statusCode(201);
        return ref;
    }

    @Test
    void anErasureByPhoneAlsoRemovesTheEmailOfTheRecordsItFound() {
        String key = fixtures.tenant("GB").apiKey();
        String email = "pat-" + UUID.randomUUID().toString().substring(0, 8) + "@person.example";
        String phone = "+44 7700 900" + (100 + (int) (Math.random() * 800));
        String ref = shipmentWithNote(key, email, phone);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "includeOpen", true)).post("/api/v1/personal-data/erasures").then()
                .statusCode(201);
        given().header("Authorization", "Bearer " + key).get("/api/v1/shipments/" + ref).then().statusCode(200)
                .body("notes[0].text", not(containsString(email)));
    }

    @Test
    void theSameErasureTwiceAtOnceAnswers201Twice() throws Exception {
        String key = fixtures.tenant("GB").apiKey();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String email = "pat-" + UUID.randomUUID().toString().substring(0, 8) + "@person.example";
                Fixtures.post(key, Map.of(
                        "reference", Fixtures.uniqueReference(), "vendor", Map
                                .of("name", "Vendor", "email", "sales@company.example"),
                        "deliveryAddress", "1 Dock Road", "requestedDate", "2026-07-01", "consignee",
                        Map.of("name", "Pat Person", "email", email), "lines", List.of(Map.of("sku", "B", "description",
                                "Bolt", "quantity", "1", "unit", "pcs", "unitPrice", "1", "currency", "GBP"))))
                        .statusCode(201);
                shipmentWithNote(key, email, "+44 7700 900555");
                Callable<Integer> erase = () -> given().header("Authorization", "Bearer " + key)
                        .contentType(ContentType.JSON).body(Map.of("email", email, "includeOpen", true))
                        .post("/api/v1/personal-data/erasures").then().extract().statusCode();
                List<Future<Integer>> answers = new ArrayList<>();
                answers.add(pool.submit(erase));
                answers.add(pool.submit(erase));
                for (Future<Integer> a : answers) {
                    org.junit.jupiter.api.Assertions.assertEquals(201, a.get(), "round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
