package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every API answer is one organisation's data for one key, so no browser or shared cache may keep it: each carries
 * {@code Cache-Control: no-store}, the older APIs and the dropship ones alike, errors and problem answers included.
 */
@QuarkusTest
class ApiCacheHeadersTest {

    @Inject
    Fixtures fixtures;

    record Call(String what, int status, Function<RequestSpecification, Response> send) {
    }

    @Test
    void everyApiAnswerIsNeverStoredIncludingErrors() {
        String key = fixtures.tenant("GB").apiKey();
        List<Call> calls = List.of(new Call("organisation", 200, r -> r.get("/api/v1/organization")),
                new Call("purchase orders", 200, r -> r.get("/api/v1/purchase-orders")),
                new Call("CSV template", 200, r -> r.get("/api/v1/purchase-orders/import/template")),
                new Call("sales orders", 200, r -> r.get("/api/v1/sales-orders")),
                new Call("dropshipments", 200, r -> r.get("/api/v1/dropshipments")),
                new Call("unknown shipment", 404, r -> r.get("/api/v1/shipments/NO-SUCH-SHIPMENT")),
                new Call("invalid sales order", 422,
                        r -> r.contentType("application/json").body("{}").post("/api/v1/sales-orders")),
                new Call("malformed JSON", 400,
                        r -> r.contentType("application/json").body("{\"reference\":").post("/api/v1/sales-orders")),
                new Call("unknown route", 404, r -> r.get("/api/v1/no-such-thing")));
        for (Call call : calls) {
            Response answer = call.send().apply(given().header("Authorization", "Bearer " + key));
            assertEquals(call.status(), answer.statusCode(), call.what() + ": " + answer.asString());
            assertEquals("no-store", answer.header("Cache-Control"), call.what());
        }
        Response unauthorised = given().get("/api/v1/sales-orders");
        assertEquals(401, unauthorised.statusCode());
        assertEquals("application/problem+json", unauthorised.contentType().split(";")[0]);
        assertEquals("no-store", unauthorised.header("Cache-Control"), "a refused key");
        Response semicolon = given().urlEncodingEnabled(false).header("Authorization", "Bearer " + key)
                .get("/api/v1/sales-orders;x");
        assertEquals(400, semicolon.statusCode());
        assertEquals("no-store", semicolon.header("Cache-Control"), "an address refused before routing");
    }
}
