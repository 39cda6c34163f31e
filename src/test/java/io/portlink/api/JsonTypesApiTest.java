package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.SupplierFixtures;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Every typed JSON body takes each scalar as the JSON type its field has, never converted from another
 * (platform.JsonMapping.strictScalars): {@code "5"}, {@code ""}, {@code "١٢"} and {@code true} for a whole number,
 * {@code "true"} or {@code 1} for true or false, {@code 5} for a text are each a 422 naming the field by its JSON path
 * and saying what to send, and nothing is saved. Decimals and the text fields that hold a number still take both.
 */
@QuarkusTest
class JsonTypesApiTest {

    /** What a whole-number field refuses: a number as text, empty and blank text, Arabic-Indic digits, a boolean. */
    static final List<Object> NOT_WHOLE_NUMBERS = List.of("5", "", " ", "١٢", true);
    static final String WHOLE_NUMBER = "must be a whole number written without quotes or decimals, e.g. 5";
    static final String TRUE_OR_FALSE = "must be true or false, written without quotes";

    @Inject
    Fixtures fixtures;

    @Inject
    SupplierFixtures fx;

    @Inject
    TestClock clock;

    /** A JSON request under the API key. */
    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** A 422 problem with this one field error, its detail the field and the message. */
    static void refused(ValidatableResponse response, String field, String message) {
        response.statusCode(422).contentType(startsWith("application/problem+json")).body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo(field)).body("errors[0].message", equalTo(message))
                .body("detail", equalTo(field + ": " + message));
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    /**
     * A name or SKU of only characters that draw nothing (a zero-width space, a Hangul filler, the blank braille
     * pattern) reads as empty: refused as required, as a shipment's title is, and nothing is created.
     */
    @Test
    void aNameThatShowsNothingIsRequired() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        refused(as(tenant.apiKey()).body(body("sku", "INV-1", "name", "\u200b\u200b")).post("/api/v1/products").then(),
                "name", "is required");
        refused(as(tenant.apiKey()).body(body("sku", "\u200b", "name", "Mug")).post("/api/v1/products").then(), "sku",
                "is required");
        as(tenant.apiKey()).get("/api/v1/products").then().statusCode(200).body("products",
                org.hamcrest.Matchers.empty());
        refused(as(tenant.apiKey()).body(body("name", "\u3164")).post("/api/v1/warehouses").then(), "name",
                "is required");
        refused(as(tenant.apiKey()).body(body("supplierName", "\u2800", "email", "orders@blank.example"))
                .post("/api/v1/connections/suppliers").then(), "supplierName", "is required");
        // a direction override is named, not called a second line, and not quoted back (it would reverse the text)
        refused(as(tenant.apiKey()).body(body("sku", "INV-2", "name", "A\u202eB")).post("/api/v1/products").then(),
                "name", "must not contain right-to-left override or isolate characters (U+202A to U+202E, U+2066 to"
                        + " U+2069)");
    }

    /**
     * A body is one JSON value with each field once: two orders run together, a value with more after it, or a field
     * given twice is a 400 saying so, and nothing is created, erased or set (Jackson would read the first value and
     * drop the rest, or let the last of two fields win).
     */
    @Test
    void aBodyIsOneJsonValueWithEachFieldOnce() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String first = Fixtures.uniqueReference();
        String second = Fixtures.uniqueReference();
        String order = "{\"reference\":\"%s\",\"vendor\":{\"name\":\"Acme\"},\"lines\":[{\"sku\":\"X\",\"quantity\":\"1\"}]}";
        as(tenant.apiKey()).body(order.formatted(first) + order.formatted(second)).post("/api/v1/purchase-orders")
                .then().statusCode(400).body("detail", startsWith("the body is not valid JSON: it goes on after its"
                        + " value ends: send one JSON value at line 1 column"));
        for (String reference : List.of(first, second)) {
            as(tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then().statusCode(404);
        }
        as(tenant.apiKey()).body("{\"email\":\"ann@shop.example\"} {\"phone\":\"+44 7700 900777\"}")
                .post("/api/v1/personal-data/erasures").then().statusCode(400)
                .body("detail", containsString("it goes on after its value ends"));
        as(tenant.apiKey()).body("{\"trackingLinkDays\":30} and more").put("/api/v1/organization/retention").then()
                .statusCode(400);
        as(tenant.apiKey()).body("{\"trackingLinkDays\":30,\"trackingLinkDays\":40}")
                .put("/api/v1/organization/retention").then().statusCode(400).body("detail", startsWith(
                        "the body is not valid JSON: the field trackingLinkDays is given twice: send each field once"));
        as(tenant.apiKey()).get("/api/v1/organization/retention").then().statusCode(200).body("trackingLinkDays",
                equalTo(30));
    }

    /** A list's query names every wrong parameter at once: the paging's with the filter's. */
    @Test
    void aListsQueryNamesEveryWrongParameterAtOnce() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        as(tenant.apiKey()).get("/api/v1/purchase-orders?page=abc&size=xyz&bucket=NOPE&sort=zzz").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItems("page", "size", "bucket", "sort"));
        as(tenant.apiKey()).get("/api/v1/sales-orders?status=BAD&page=-1&size=0").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItems("status", "page", "size"));
        as(tenant.apiKey()).get("/api/v1/dropshipments?status=X&merchant=abc").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItems("status", "merchant"));
        as(tenant.apiKey()).get("/api/v1/inventory?needsSync=maybe").then().statusCode(422).body("errors[0].field",
                equalTo("needsSync"));
        as(tenant.apiKey()).get("/api/v1/inventory?needsSync=true").then().statusCode(200);
    }

    /** A parameter given twice is refused, whatever the order of its values, never read as its first one. */
    @Test
    void aQueryParameterGivenTwiceIsRefusedNotHalfRead() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        for (String query : java.util.List.of("status=CANCELLED&status=PENDING", "status=PENDING&status=CANCELLED")) {
            as(tenant.apiKey()).get("/api/v1/purchase-orders?" + query).then().statusCode(422)
                    .body("errors[0].field", equalTo("status"))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("is given 2 times; give it once"));
        }
        as(tenant.apiKey()).contentType("text/csv").body("reference\n")
                .post("/api/v1/purchase-orders/import?send=NONE&send=bogus").then().statusCode(422)
                .body("errors[0].field", equalTo("send"));
        as(tenant.apiKey()).get("/api/v1/purchase-orders?status=CANCELLED").then().statusCode(200);
    }

    /** A wrong method, Accept or Content-Type is answered with what to send instead, not the framework's words. */
    @Test
    void aWrongMethodAcceptOrContentTypeSaysWhatToSend() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/plain").body("x")
                .post("/api/v1/purchase-orders").then().statusCode(415)
                .body("detail", containsString("does not take a body of this Content-Type"));
        as(tenant.apiKey()).accept("application/xml").get("/api/v1/purchase-orders").then().statusCode(406)
                .body("detail", containsString("cannot answer in the type Accept asks for"));
        as(tenant.apiKey()).delete("/api/v1/organization/retention").then().statusCode(405).body("detail",
                startsWith("this address does not take this method"));
    }

    @Test
    void availableOnHandTakesOnlyAJsonWholeNumber() {
        Fixtures.Tenant supplier = fixtures.tenant("GB");
        for (Object odd : NOT_WHOLE_NUMBERS) {
            refused(as(supplier.apiKey()).body(body("availableOnHand", odd, "name", "Mug"))
                    .put("/api/v1/inventory/INV-1").then(), "availableOnHand", WHOLE_NUMBER);
            as(supplier.apiKey()).get("/api/v1/inventory?q=INV-1").then().statusCode(200).body("items.size()",
                    equalTo(0));
        }
        as(supplier.apiKey()).body(body("availableOnHand", 5, "name", "Mug")).put("/api/v1/inventory/INV-1").then()
                .statusCode(201);
        for (Object odd : NOT_WHOLE_NUMBERS) {
            refused(as(supplier.apiKey()).body(body("availableOnHand", odd)).put("/api/v1/inventory/INV-1").then(),
                    "availableOnHand", WHOLE_NUMBER);
        }
        // past an int or a long: the catalogue's own limit, not the parser's
        for (Object large : List.of(2147483648L, new java.math.BigInteger("9223372036854775808"))) {
            as(supplier.apiKey()).body(body("availableOnHand", large)).put("/api/v1/inventory/INV-1").then()
                    .statusCode(422).body("errors[0].field", equalTo("availableOnHand"))
                    .body("errors[0].message", org.hamcrest.Matchers.not(containsString("2147483647")))
                    .body("errors[0].message", org.hamcrest.Matchers.not(containsString("9223372036854775807")))
                    .body("errors[0].message", containsString("1000000000"));
        }
        as(supplier.apiKey()).get("/api/v1/inventory?q=INV-1").then().statusCode(200).body("items[0].availableOnHand",
                equalTo(5));
    }

    @Test
    void physicalOnHandTakesOnlyAJsonWholeNumber() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        as(tenant.apiKey()).body(body("sku", "WH-1", "name", "Bracket")).post("/api/v1/products").then()
                .statusCode(201);
        long warehouse = as(tenant.apiKey()).body(body("name", "Dock 4")).post("/api/v1/warehouses").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        String path = "/api/v1/products/WH-1/stock/" + warehouse;
        for (Object odd : NOT_WHOLE_NUMBERS) {
            refused(as(tenant.apiKey()).body(body("physicalOnHand", odd)).put(path).then(), "physicalOnHand",
                    WHOLE_NUMBER);
        }
        as(tenant.apiKey()).get("/api/v1/products/WH-1").then().statusCode(200).body("stock.size()", equalTo(0));
        as(tenant.apiKey()).body(body("physicalOnHand", 5)).put(path).then().statusCode(200)
                .body("stock[0].physicalOnHand", equalTo(5));
        as(tenant.apiKey()).get("/api/v1/products/WH-1").then().body("stock[0].physicalOnHand", equalTo(5));
    }

    /** The field is named by its path in the list ({@code lines[1].quantity}), and nothing ships. */
    @Test
    void aShipmentsLineQuantityTakesOnlyAJsonWholeNumber() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        String path = "/api/v1/dropshipments/" + made.id() + "/shipments";
        String today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
        for (Object odd : NOT_WHOLE_NUMBERS) {
            var lines = List.of(body("sku", "SUP-RED", "quantity", 1), body("position", 2, "quantity", odd));
            refused(as(pair.supplier().apiKey())
                    .body(body("carrier", "DHL", "trackingNumber", "T-1", "shipDate", today, "lines", lines)).post(path)
                    .then(), "lines[1].quantity", WHOLE_NUMBER);
            refused(as(pair.supplier().apiKey()).body(body("carrier", "DHL", "trackingNumber", "T-1", "shipDate", today,
                    "lines", List.of(body("position", odd)))).post(path).then(), "lines[0].position", WHOLE_NUMBER);
            refused(as(pair.supplier().apiKey()).body(body("revision", odd))
                    .post("/api/v1/dropshipments/" + made.id() + "/acknowledge").then(), "revision", WHOLE_NUMBER);
        }
        assertEquals(0, fx.shipments(made.id()));
        as(pair.supplier().apiKey())
                .body(body("carrier", "DHL", "trackingNumber", "T-1", "shipDate", today, "lines",
                        List.of(body("sku", "SUP-RED", "quantity", 1), body("position", 2, "quantity", 2))))
                .post(path).then().statusCode(201);
        assertEquals(1, fx.shipments(made.id()));
        assertEquals(List.of(1, 2), fx.dropshipmentShipped(made.id()));
    }

    /**
     * A choice is taken only by its name: {@code 0} would otherwise be the first constant ({@code PO_AND_LINK}, the
     * order mailed to the vendor as a PDF).
     */
    @Test
    void aChoiceTakesOnlyItsName() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        List<Object> odds = List.of(0, 2, "MAIL", true);
        for (int i = 0; i < odds.size(); i++) {
            Object odd = odds.get(i);
            String reference = "PO-SEND-" + i;
            refused(as(tenant.apiKey())
                    .body(body("reference", reference, "vendor", body("name", "Vendor", "email", "v@vendor.example"),
                            "lines", List.of(body("sku", "S1", "quantity", 1)), "send", odd))
                    .post("/api/v1/purchase-orders").then(), "send",
                    "must be one of PO_AND_LINK, LINK_ONLY, NONE, in quotes");
            as(tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then().statusCode(404);
        }
        as(tenant.apiKey())
                .body(body("reference", "PO-SEND-OK", "vendor", body("name", "Vendor"), "lines",
                        List.of(body("sku", "S1", "quantity", 1)), "send", "NONE"))
                .post("/api/v1/purchase-orders").then().statusCode(201);
    }

    @Test
    void aConnectionSettingTakesOnlyTrueOrFalse() {
        var pair = fx.pair(false, false);
        String path = "/api/v1/connections/suppliers/" + pair.connectionId() + "/settings";
        for (Object odd : List.of("true", "", 1, 0)) {
            refused(as(pair.merchant().apiKey()).body(body("passPrices", odd)).put(path).then(), "passPrices",
                    TRUE_OR_FALSE);
        }
        as(pair.merchant().apiKey()).get("/api/v1/connections/suppliers").then().body("rows[0].passPrices",
                equalTo(false));
        as(pair.merchant().apiKey()).body(body("passPrices", true, "passNotes", false)).put(path).then().statusCode(200)
                .body("passPrices", equalTo(true));
        as(pair.merchant().apiKey()).get("/api/v1/connections/suppliers").then().body("rows[0].passPrices",
                equalTo(true));
    }

    @Test
    void aTextFieldTakesOnlyAJsonString() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        refused(as(tenant.apiKey()).body(body("sku", 12345, "name", "Bracket")).post("/api/v1/products").then(), "sku",
                "must be a text in quotes, e.g. \"12345\"");
        refused(as(tenant.apiKey()).body(body("sku", "12345", "name", true)).post("/api/v1/products").then(), "name",
                "must be a text in quotes, e.g. \"true\"");
        as(tenant.apiKey()).get("/api/v1/products/12345").then().statusCode(404);
        String reference = Fixtures.uniqueReference();
        refused(as(tenant.apiKey()).body(body("reference", reference, "title", 2.5)).post("/api/v1/shipments").then(),
                "title", "must be a text in quotes, e.g. \"2.5\"");
        as(tenant.apiKey()).get("/api/v1/shipments/" + reference).then().statusCode(404);
        as(tenant.apiKey()).body(body("sku", "12345", "name", "Bracket")).post("/api/v1/products").then()
                .statusCode(201).body("sku", equalTo("12345"));
    }

    /**
     * The text fields that hold a number take it either way: a shipment's amounts (as its merge patch does), a sales
     * order line's quantity, a product's supplier as its connection id, a decimal; true is still refused.
     */
    @Test
    void fieldsThatHoldANumberTakeAJsonNumberOrAString() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String reference = Fixtures.uniqueReference();
        as(tenant.apiKey())
                .body(body("reference", reference, "title", "Forklift", "internal",
                        body("currency", "GBP", "cost", 41250.50, "salePrice", "45000")))
                .post("/api/v1/shipments").then().statusCode(201).body("internal.cost", equalTo("41250.5"))
                .body("internal.salePrice", equalTo("45000"));

        var pair = fx.pair(false, false);
        var made = fx.dropshipment(pair, false, List.of(new SupplierFixtures.Item("MUG", "SUP-MUG", 2, null)),
                List.of());
        String line = "/api/v1/sales-orders/" + made.salesOrderReference() + "/lines/1";
        refused(as(pair.merchant().apiKey()).body(body("quantity", true)).put(line).then(), "quantity",
                "must be a number");
        as(pair.merchant().apiKey()).body(body("quantity", 5)).put(line).then().statusCode(200);
        as(pair.merchant().apiKey()).get("/api/v1/sales-orders/" + made.salesOrderReference()).then()
                .body("lines[0].quantity", equalTo(5));
        as(pair.merchant().apiKey()).body(body("quantity", "4")).put(line).then().statusCode(200);
        as(pair.merchant().apiKey()).get("/api/v1/sales-orders/" + made.salesOrderReference()).then()
                .body("lines[0].quantity", equalTo(4));

        // a decimal as the API writes it, and the supplier by its connection id as JSON gives it (a number)
        as(pair.merchant().apiKey()).body(body("sku", "DS-1", "name", "Jug")).post("/api/v1/products").then()
                .statusCode(201);
        as(pair.merchant().apiKey())
                .body(body("supplier", pair.connectionId(), "supplierSku", "SUP-JUG", "unitCost", "2.35"))
                .put("/api/v1/products/DS-1/dropship").then().statusCode(200)
                .body("connectionId", equalTo((int) pair.connectionId())).body("unitCost", equalTo("2.35"));
    }
}
