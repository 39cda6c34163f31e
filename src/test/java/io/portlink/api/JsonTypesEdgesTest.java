package io.portlink.api;

import static io.portlink.api.JsonTypesApiTest.refused;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.SupplierFixtures;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The strict JSON reading at its edges: the README's own example bodies still work as written, a whole number beyond
 * what its field holds is a 422 naming its path in a list, a choice written in another case is named, and null is still
 * "not given".
 */
@QuarkusTest
class JsonTypesEdgesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SupplierFixtures fx;

    @Inject
    TestClock clock;

    private static RequestSpecification as(String key) {
        return JsonTypesApiTest.as(key);
    }

    /** The README's curl bodies of a purchase order, a shipment, its PATCH, its tracking link, and a cancel. */
    @Test
    void theReadmeExampleBodiesStillWork() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String po = Fixtures.uniqueReference();
        as(t.apiKey())
                .body("""
                        {
                            "reference": "%s",
                            "vendor": {"name": "Northwind", "email": "orders@northwind.example", "phone": "+44 20 7946 0001", "language": "en"},
                            "deliveryAddress": "Unit 4, Dockside Road\\nLondon",
                            "requestedDate": "2026-12-01",
                            "lines": [{"sku": "BR-1", "description": "Bracket", "quantity": 10, "unit": "pcs", "unitPrice": "2.35", "currency": "GBP"}],
                            "consignee": {"name": "Harbour Works", "email": "goods-in@harbour.example", "phone": "+44 20 7946 0100", "language": "en"},
                            "send": "PO_AND_LINK"}"""
                        .formatted(po))
                .post("/api/v1/purchase-orders").then().statusCode(201).body("status", equalTo("PENDING"));
        as(t.apiKey()).body("{\"reason\": \"The project was stopped\"}")
                .post("/api/v1/purchase-orders/" + po + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"));

        String sh = Fixtures.uniqueReference();
        String etag = as(t.apiKey())
                .body("""
                        {
                            "reference": "%s", "title": "2019 Toyota Land Cruiser 300",
                            "customer": {"name": "Alex Buyer", "email": "alex@customer.example", "phone": "+44 20 7946 0001", "language": "en"},
                            "shipFrom": "Yokohama port", "shipTo": "12 Harbour Road\\nSouthampton",
                            "internal": {"stockNumber": "STK-1", "vinSerial": "JTMHV05J604123456", "currency": "GBP", "cost": "41250.50"},
                            "stage": "In transit", "estimatedArrival": "2027-01-15"}"""
                        .formatted(sh))
                .post("/api/v1/shipments").then().statusCode(201).extract().header("ETag");
        as(t.apiKey()).header("If-Match", etag).body("{\"stage\": \"DELIVERED\", \"estimatedArrival\": null}")
                .patch("/api/v1/shipments/" + sh).then().statusCode(200);
        as(t.apiKey()).body("{\"expiresAt\": \"2027-01-31T18:00:00+00:00\"}")
                .post("/api/v1/shipments/" + sh + "/tracking-link").then().statusCode(201);
        as(t.apiKey()).body("""
                {"showHeroPhoto": true, "showEstimatedArrival": true,
                    "showProgress": true, "showCustomerNotes": false, "photos": []}""")
                .put("/api/v1/shipments/" + sh + "/tracking-link/options").then().statusCode(200);
    }

    /** 2147483648 for an int: a 422 naming the field by its path in the list, never a 400 or a 500. */
    @Test
    void aWholeNumberBeyondItsFieldIsNamedByItsPath() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        String path = "/api/v1/dropshipments/" + made.id() + "/shipments";
        String today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
        String body = """
                {"carrier": "DHL", "trackingNumber": "T-9", "shipDate": "%s", "lines": [
                  {"sku": "SUP-RED", "quantity": 1}, {"position": 2, "quantity": 1}, {"position": 2},
                  {"position": 1, "quantity": 2147483648}]}""".formatted(today);
        var answer = as(pair.supplier().apiKey()).body(body).post(path).then();
        answer.statusCode(422).body("errors[0].field", equalTo("lines[3].quantity"));
        as(pair.supplier().apiKey()).body("{\"revision\": 99999999999999999999}")
                .post("/api/v1/dropshipments/" + made.id() + "/acknowledge").then().statusCode(422)
                .body("errors[0].field", equalTo("revision"));
        org.junit.jupiter.api.Assertions.assertEquals(0, fx.shipments(made.id()));
    }

    /** "none" was never a choice (Jackson reads enums by their exact name): still a 422 naming the field. */
    @Test
    void aChoiceInAnotherCaseIsNamed() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        refused(as(t.apiKey())
                .body(Map.of("reference", Fixtures.uniqueReference(), "vendor", Map.of("name", "Vendor"), "lines",
                        List.of(Map.of("sku", "S1", "quantity", 1)), "send", "none"))
                .post("/api/v1/purchase-orders").then(), "send",
                "must be one of PO_AND_LINK, LINK_ONLY, NONE, in quotes");
    }

    /** null for a whole number or a text is "not given", as before: the line ships all that remains. */
    @Test
    void nullIsNotGiven() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        String today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
        as(pair.supplier().apiKey()).body("""
                {"carrier": "DHL", "trackingNumber": "T-N", "shipDate": "%s", "lines": [
                  {"sku": "SUP-RED", "quantity": null, "position": null}]}""".formatted(today))
                .post("/api/v1/dropshipments/" + made.id() + "/shipments").then().statusCode(201);
    }
}
