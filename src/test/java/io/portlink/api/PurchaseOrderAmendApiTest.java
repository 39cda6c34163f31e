package io.portlink.api;

import static io.portlink.testing.Fixtures.order;
import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * {@code PUT /api/v1/purchase-orders/{reference}}: the same body as creating the order, based on a revision named by
 * If-Match (the ETag of GET) or a revision field; 428 without, 412 when stale. And {@code POST .../cancel} with a
 * reason. The idempotent POST create stays as it was.
 */
@QuarkusTest
class PurchaseOrderAmendApiTest {

    @Inject
    Fixtures fixtures;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    private RequestSpecification api() {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON);
    }

    /** The fixture's order with 250 bolts instead of 100. */
    private static Map<String, Object> moreBolts(String ref, String email) {
        Map<String, Object> body = new HashMap<>(order(ref, email));
        body.put("lines", List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "250", "unit",
                "pcs", "unitPrice", "0.12", "currency", "GBP")));
        return body;
    }

    @Test
    void getGivesTheRevisionAsETagAndPutWithIfMatchMakesTheNext() {
        String ref = uniqueReference();
        String email = "put-" + tenant.id() + "@vendor.example";
        post(tenant.apiKey(), order(ref, email)).statusCode(201);
        api().get("/api/v1/purchase-orders/" + ref).then().statusCode(200).header("ETag", "\"1\"")
                .body("revision", equalTo(1)).body("changeAcknowledged", equalTo(true)).body("revisions", hasSize(0));

        api().header("If-Match", "\"1\"").body(moreBolts(ref, email)).put("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).header("ETag", "\"2\"").body("revision", equalTo(2)).body("changed", equalTo(true))
                .body("changes[0].field", equalTo("QUANTITY")).body("changes[0].from", equalTo("100"))
                .body("changes[0].to", equalTo("250"));
        api().get("/api/v1/purchase-orders/" + ref).then().statusCode(200).header("ETag", "\"2\"")
                .body("revision", equalTo(2)).body("lines[0].quantity", equalTo("250"))
                .body("revisions[0].revision", equalTo(2)).body("timeline.type", hasItem("AMENDED"));

        // the amended order POSTed again is "unchanged" (200); the original content is now a conflict
        post(tenant.apiKey(), moreBolts(ref, email)).statusCode(200);
        post(tenant.apiKey(), order(ref, email)).statusCode(409);
    }

    @Test
    void aStaleRevisionIs412WithTheCurrentOneAndNoneIs428() {
        String ref = uniqueReference();
        String email = "stale-" + tenant.id() + "@vendor.example";
        post(tenant.apiKey(), order(ref, email)).statusCode(201);
        api().body(moreBolts(ref, email)).put("/api/v1/purchase-orders/" + ref).then().statusCode(428)
                .contentType("application/problem+json").body("detail", containsString("If-Match"));

        Map<String, Object> withRevision = new HashMap<>(moreBolts(ref, email));
        withRevision.put("revision", 1);
        api().body(withRevision).put("/api/v1/purchase-orders/" + ref).then().statusCode(200).body("revision",
                equalTo(2));

        Map<String, Object> other = new HashMap<>(order(ref, email));
        other.put("requestedDate", "2026-08-01");
        api().header("If-Match", "\"1\"").body(other).put("/api/v1/purchase-orders/" + ref).then().statusCode(412)
                .contentType("application/problem+json").header("ETag", "\"2\"").body("currentRevision", equalTo(2))
                .body("detail", containsString("is at revision 2, not 1"));
        api().get("/api/v1/purchase-orders/" + ref).then().body("requestedDate", equalTo("2026-07-01"));

        api().header("If-Match", "*").body(other).put("/api/v1/purchase-orders/" + ref).then().statusCode(422)
                .body("errors[0].field", equalTo("If-Match"));
        Map<String, Object> disagreeing = new HashMap<>(other);
        disagreeing.put("revision", 1);
        api().header("If-Match", "\"2\"").body(disagreeing).put("/api/v1/purchase-orders/" + ref).then().statusCode(422)
                .body("errors[0].field", equalTo("revision"));
        api().header("If-Match", "\"1\"").body(moreBolts("PO-NONE", email)).put("/api/v1/purchase-orders/PO-NONE")
                .then().statusCode(404);
    }

    /** A revision beyond int (or below 1) is the revision field's 422, as the README promises, not a malformed body. */
    @Test
    void aRevisionOutOfRangeIs422NamingTheField() {
        String ref = uniqueReference();
        String email = "range-" + tenant.id() + "@vendor.example";
        post(tenant.apiKey(), order(ref, email)).statusCode(201);
        for (long revision : new long[] { 1099511627776L, 2147483648L, 0L, -1L }) {
            Map<String, Object> body = new HashMap<>(moreBolts(ref, email));
            body.put("revision", revision);
            api().body(body).put("/api/v1/purchase-orders/" + ref).then().statusCode(422)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("revision"));
        }
        api().get("/api/v1/purchase-orders/" + ref).then().body("revision", equalTo(1)).body("lines[0].quantity",
                equalTo("100"));
    }

    @Test
    void theSamePutRepeatedChangesNothingMore() {
        String ref = uniqueReference();
        String email = "repeat-" + tenant.id() + "@vendor.example";
        post(tenant.apiKey(), order(ref, email)).statusCode(201);
        for (int i = 0; i < 2; i++) {
            // the second is a retry of the first (its answer lost): same If-Match, same body
            api().header("If-Match", "\"1\"").body(moreBolts(ref, email)).put("/api/v1/purchase-orders/" + ref).then()
                    .statusCode(200).header("ETag", "\"2\"").body("revision", equalTo(2))
                    .body("changed", equalTo(i == 0));
        }
        // with the current revision, the same body is no change either
        api().header("If-Match", "W/\"2\"").body(moreBolts(ref, email)).put("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).body("revision", equalTo(2)).body("changed", equalTo(false))
                .body("changes", hasSize(0));
        api().get("/api/v1/purchase-orders/" + ref).then().body("revisions", hasSize(1))
                .body("timeline.findAll { it.type == 'AMENDED' }.size()", equalTo(1));
    }

    @Test
    void invalidBodiesAreRefusedLikeCreate() {
        String ref = uniqueReference();
        String email = "invalid-" + tenant.id() + "@vendor.example";
        post(tenant.apiKey(), order(ref, email)).statusCode(201);
        Map<String, Object> bad = new HashMap<>(order(ref, email));
        bad.put("lines", List.of(Map.of("sku", "BOLT-8", "quantity", "-3")));
        bad.put("requestedDate", "31.02.2026");
        api().header("If-Match", "\"1\"").body(bad).put("/api/v1/purchase-orders/" + ref).then().statusCode(422)
                .body("errors.field", hasItem("lines[0].quantity")).body("errors.field", hasItem("requestedDate"));
        Map<String, Object> otherVendor = new HashMap<>(order(ref, "someone-else@vendor.example"));
        api().header("If-Match", "\"1\"").body(otherVendor).put("/api/v1/purchase-orders/" + ref).then().statusCode(422)
                .body("errors[0].field", equalTo("vendor"));
        api().get("/api/v1/purchase-orders/" + ref).then().body("revision", equalTo(1));
    }

    @Test
    void cancelNeedsAReasonIsOnceAndClosedOrdersAreNotAmended() {
        String ref = uniqueReference();
        String email = "cancel-" + tenant.id() + "@vendor.example";
        post(tenant.apiKey(), order(ref, email)).statusCode(201);
        api().body(Map.of()).post("/api/v1/purchase-orders/" + ref + "/cancel").then().statusCode(422)
                .body("errors[0].field", equalTo("reason"));
        // a reason that only looks written (a no-break space, zero-width spaces) tells the vendor nothing either
        for (String blank : java.util.List.of("\u00A0", " \u200B\u200B ", "\u2007\u202F", "\u3164", "\u180E")) {
            api().body(Map.of("reason", blank)).post("/api/v1/purchase-orders/" + ref + "/cancel").then()
                    .statusCode(422).body("errors[0].field", equalTo("reason"));
        }
        api().body(Map.of("reason", "The project was stopped")).post("/api/v1/purchase-orders/" + ref + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED"))
                .body("cancelReason", equalTo("The project was stopped")).body("cancelAcknowledgedAt", notNullValue()); // never
                                                                                                                        // sent:
                                                                                                                        // nothing
                                                                                                                        // for
                                                                                                                        // the
                                                                                                                        // vendor
                                                                                                                        // to
                                                                                                                        // acknowledge
        api().body(Map.of("reason", "again")).post("/api/v1/purchase-orders/" + ref + "/cancel").then().statusCode(200)
                .body("cancelReason", equalTo("The project was stopped"))
                .body("timeline.findAll { it.type == 'CANCELLED' }.size()", equalTo(1));
        api().header("If-Match", "\"1\"").body(moreBolts(ref, email)).put("/api/v1/purchase-orders/" + ref).then()
                .statusCode(422).body("errors[0].field", equalTo("status"))
                .body("errors[0].message", containsString("a cancelled order cannot be amended"));
        api().body(Map.of("reason", "x")).post("/api/v1/purchase-orders/PO-NONE/cancel").then().statusCode(404);
    }
}
