package io.portlink.api;

import static io.portlink.api.ShipmentApiTest.api;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * What the shipments API does with bodies it cannot take as they are: unknown fields, an ETA body that names nothing,
 * numbers no number holds, JSON that is no JSON.
 */
@QuarkusTest
class ShipmentApiInputTest {

    @Inject
    Fixtures fixtures;

    @Inject
    io.portlink.testing.TestClock clock;

    Fixtures.Tenant tenant;
    String reference;

    @BeforeEach
    void shipment() {
        tenant = fixtures.tenant("GB");
        reference = ShipmentApiTest.reference();
        api(tenant.apiKey()).contentType(ContentType.JSON).body(ShipmentApiTest.shipment(reference))
                .post("/api/v1/shipments").then().statusCode(201);
    }

    private Response send(String method, String path, Object body) {
        var request = api(tenant.apiKey()).contentType(ContentType.JSON).body(body);
        return request.request(method, "/api/v1/shipments/" + reference + path);
    }

    private String eta() {
        return api(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().statusCode(200).extract()
                .path("estimatedArrival");
    }

    /** Every shipment endpoint that takes JSON names an unknown field in a 422, and stores nothing. */
    @Test
    void anUnknownFieldIsA422NamingItOnEveryShipmentEndpoint() {
        var body = ShipmentApiTest.shipment(ShipmentApiTest.reference());
        body.put("bogusField", 1);
        api(tenant.apiKey()).contentType(ContentType.JSON).body(body).post("/api/v1/shipments").then().statusCode(422)
                .body("errors.field", contains("bogusField"))
                .body("errors[0].message", allOf(containsString("not a field"), containsString("reference")));
        api(tenant.apiKey()).get("/api/v1/shipments/" + body.get("reference")).then().statusCode(404);

        var nested = ShipmentApiTest.shipment(ShipmentApiTest.reference());
        nested.put("customer", Map.of("name", "Alex", "emial", "alex@example.com"));
        api(tenant.apiKey()).contentType(ContentType.JSON).body(nested).post("/api/v1/shipments").then().statusCode(422)
                .body("errors.field", contains("customer.emial"));

        send("POST", "/notes", Map.of("scope", "CUSTOMER", "text", "Hello", "colour", "red")).then().statusCode(422)
                .body("errors.field", contains("colour"));
        send("POST", "/exceptions", Map.of("kind", "DELAY", "severity", "high")).then().statusCode(422)
                .body("errors.field", contains("severity"));
        send("PUT", "/stops",
                List.of(Map.of("kind", "PICKUP", "name", "Yard", "zone", "Europe/London", "colour", "red"))).then()
                        .statusCode(422).body("errors.field", contains("stops[0].colour"));
        send("POST", "/positions",
                List.of(Map.of("latitude", 52, "longitude", 5, "recordedAt", clock.instant().toString(), "speed", 80)))
                        .then().statusCode(422).body("errors.field", contains("[0].speed"));
        send("PUT", "/eta", Map.of("date", "2030-12-24", "zone", "UTC")).then().statusCode(422).body("errors.field",
                hasItem("zone"));
        send("PATCH", "", Map.of("bogusField", 1)).then().statusCode(422).body("errors.field", contains("bogusField"));
    }

    /** Clearing the manual ETA must be said ({date: null}); an empty or misspelt body is a 422 and keeps it. */
    @Test
    void anEtaBodyThatNamesNoFieldIsRefusedAndKeepsTheManualEta() {
        send("PUT", "/eta", Map.of("date", "2030-12-24")).then().statusCode(200);
        assertEquals("2030-12-24", eta());
        send("PUT", "/eta", Map.of("Date", "2026-12-06")).then().statusCode(422).body("errors.field", hasItem("Date"));
        // written rightly but not a day of the calendar: said so, not "must be written YYYY-MM-DD"
        send("PUT", "/eta", Map.of("date", "2031-02-30")).then().statusCode(422).body("errors[0].message",
                containsString("is not a date in the calendar"));
        send("PUT", "/eta", Map.of("date", "30.02.2031")).then().statusCode(422).body("errors[0].message",
                containsString("must be a date written YYYY-MM-DD"));
        send("PUT", "/eta", Map.of()).then().statusCode(422).body("errors.field", contains("body"))
                .body("errors[0].message", containsString("{\"date\": null}"));
        assertEquals("2030-12-24", eta(), "the manual ETA is kept");
        send("PUT", "/eta", "{\"date\": null}").then().statusCode(200);
        assertEquals(null, eta(), "cleared when said");
    }

    /**
     * A date and time written rightly but naming a day the calendar lacks or an hour no clock shows is told so, on
     * every endpoint that takes one, not "must be an ISO-8601 date and time"; a wrong shape still gets the shape's
     * example.
     */
    @Test
    void aDateAndTimeOnNoDayOfTheCalendarIsToldSoOnEveryEndpoint() {
        String calendar = "is not a date in the calendar";
        api(tenant.apiKey()).queryParam("updatedSince", "2026-02-30T10:00:00Z").get("/api/v1/shipments").then()
                .statusCode(422).body("errors.field", contains("updatedSince"))
                .body("errors[0].message", containsString(calendar));
        api(tenant.apiKey()).queryParam("updatedSince", "2026-12-01T24:30:00Z").get("/api/v1/shipments").then()
                .statusCode(422).body("errors[0].message", containsString("is not a time of day"));
        api(tenant.apiKey()).queryParam("updatedSince", "yesterday").get("/api/v1/shipments").then().statusCode(422)
                .body("errors[0].message", containsString("like 2026-12-01T00:00:00Z"));
        send("POST", "/tracking-link", Map.of("expiresAt", "2027-02-29T18:00:00Z")).then().statusCode(422)
                .body("errors.field", contains("expiresAt")).body("errors[0].message", containsString(calendar));
        api(tenant.apiKey()).get("/api/v1/shipments/" + reference + "/tracking-link").then().statusCode(404);
        send("POST", "/positions",
                List.of(Map.of("latitude", 52, "longitude", 5, "recordedAt", "2026-11-31T09:30:00Z"))).then()
                        .statusCode(422).body("errors.field", contains("[0].recordedAt"))
                        .body("errors[0].message", containsString(calendar));
        send("PUT", "/stops",
                List.of(Map.of("kind", "PICKUP", "name", "Yard", "zone", "Europe/London", "windowFrom",
                        "2027-04-31T09:00"), Map.of("kind", "DELIVERY", "name", "Home", "zone", "Europe/London")))
                                .then().statusCode(422).body("errors.field", contains("stops[0].windowFrom"))
                                .body("errors[0].message", containsString(calendar));
    }

    /** A number no number holds (1e-2147483648) is a 422 naming its field, in typed and field-by-field bodies. */
    @Test
    void aNumberOutOfRangeIsA422NamingItsField() {
        String now = java.time.Instant.now().minusSeconds(60).toString();
        send("POST", "/positions", "[{\"latitude\":52,\"longitude\":1e-2147483648,\"recordedAt\":\"" + now + "\"}]")
                .then().statusCode(422).body("errors.field", contains("[0].longitude"))
                .body("errors[0].message", containsString("out of range"));
        send("PATCH", "", "{\"internal\":{\"currency\":\"GBP\",\"cost\":1e999}}").then().statusCode(422)
                .body("errors.field", contains("internal.cost"));
        // a typed body: a dropshipped product's unit cost is a decimal
        api(tenant.apiKey()).contentType(ContentType.JSON)
                .body("{\"supplier\":\"S\",\"supplierSku\":\"A\",\"unitCost\":1e-2147483648}")
                .put("/api/v1/products/SKU-1/dropship").then().statusCode(422)
                .body("errors.field", contains("unitCost"));
    }

    /** A body that is no JSON gets a plain 400: what and where, no parser class or feature names. */
    @Test
    void malformedJsonIsExplainedInPlainWords() {
        for (String body : List.of("{\"title\": NaN}", "[".repeat(1200) + "]".repeat(1200), "{\"title\": 'x'}",
                "{\"title\": tru}", "{\"title\": \"x\"")) {
            String detail = send("PATCH", "", body).then().statusCode(400).extract().path("detail");
            org.junit.jupiter.api.Assertions.assertTrue(detail.startsWith("the body is not valid JSON: ")
                    // a limit (the nesting depth) is reported by the parser without a place
                    && (body.startsWith("[") || detail.matches("(?s).* at line \\d+ column \\d+")), detail);
            org.junit.jupiter.api.Assertions.assertFalse(detail.contains("was expecting"), detail);
            for (String internal : List.of("`", "JsonReadFeature", "StreamReadConstraints", "ALLOW_", "get",
                    "com.fasterxml", "Source")) {
                org.junit.jupiter.api.Assertions.assertFalse(detail.contains(internal), detail);
            }
        }
    }
}
