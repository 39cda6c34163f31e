package io.portlink.api;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.purchasing.OrderLine;
import io.portlink.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The numbers of the issue end to end: a CSV or JSON body in, the order as stored (the database row) and as the API
 * gives it back (exact decimal strings).
 */
@QuarkusTest
class NumberInputApiTest {

    @Inject
    Fixtures fixtures;

    static ValidatableResponse importCsv(Fixtures.Tenant tenant, String query, String csv) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body(csv).post("/api/v1/purchase-orders/import" + query).then();
    }

    static ValidatableResponse order(Fixtures.Tenant tenant, String reference) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference)
                .then().statusCode(200);
    }

    static ValidatableResponse postJson(Fixtures.Tenant tenant, String query, Object quantity, Object price,
            String reference) {
        var line = new java.util.HashMap<String, Object>(Map.of("sku", "S1", "currency", "EUR"));
        line.put("quantity", quantity);
        if (price != null) {
            line.put("unitPrice", price);
        }
        var body = Map.of("reference", reference, "vendor", Map.of("name", "Vendor"), "lines", List.of(line));
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/purchase-orders" + query).then();
    }

    /** What the database holds for the order's lines, in line order. */
    static List<BigDecimal[]> stored(String reference) {
        return QuarkusTransaction.requiringNew()
                .call(() -> OrderLine.<OrderLine> list("order.reference = ?1 order by lineNo", reference).stream()
                        .map(l -> new BigDecimal[] { l.quantity, l.unitPrice }).toList());
    }

    static void assertStored(String reference, String... quantityAndPrice) {
        var lines = stored(reference);
        assertEquals(quantityAndPrice.length / 2, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(0, new BigDecimal(quantityAndPrice[2 * i]).compareTo(lines.get(i)[0]), "quantity " + i);
            String price = quantityAndPrice[2 * i + 1];
            if (price == null) {
                assertEquals(null, lines.get(i)[1]);
            } else {
                assertEquals(0, new BigDecimal(price).compareTo(lines.get(i)[1]), "price " + i);
            }
        }
    }

    @Test
    void gbCsvWithThousandsTrailingZerosAndItsOwnDates() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        String ref = uniqueReference();
        importCsv(gb, "", "reference,vendor_name,sku,quantity,unit_price,currency,requested_date\n" + ref
                + ",V,A,\"2,500\",2.35000,GBP,20/12/2026\n" + ref + ",V,B,10.000000,\"1,234.5\",GBP,20/12/2026\n")
                        .statusCode(200).body("created", equalTo(1));
        assertStored(ref, "2500", "2.35", "10", "1234.5");
        order(gb, ref).body("lines[0].quantity", equalTo("2500")).body("lines[0].unitPrice", equalTo("2.35"))
                .body("lines[1].quantity", equalTo("10")).body("lines[1].unitPrice", equalTo("1234.5"))
                .body("requestedDate", equalTo("2026-12-20"));
    }

    @Test
    void germanCsvReadsGroupedThousandsAndDecimalCommas() {
        Fixtures.Tenant de = fixtures.tenant("DE");
        String ref = uniqueReference();
        importCsv(de, "",
                "reference;vendor_name;sku;quantity;unit_price;currency;requested_date\n" + ref
                        + ";V;A;1.000;2,35000;EUR;20.12.2026\n" + ref + ";V;B;1 000,5;0,12;EUR;20.12.2026\n")
                                .statusCode(200);
        assertStored(ref, "1000", "2.35", "1000.5", "0.12");
        order(de, ref).body("lines[0].quantity", equalTo("1000")).body("lines[1].quantity", equalTo("1000.5"));
    }

    /**
     * Countries Portlink never listed read as their own spreadsheets write: 2,5 is 2.5 in Russia, Indonesia..., and
     * 2,500 there is asked about, never stored as 2500.
     */
    @Test
    void countriesOutsideAnyListReadTheirOwnConvention() {
        for (String country : List.of("RU", "ID", "VN", "CO", "UA")) {
            Fixtures.Tenant tenant = fixtures.tenant(country);
            String ref = uniqueReference();
            importCsv(tenant, "", "reference;vendor_name;sku;quantity;unit_price;currency;requested_date\n" + ref
                    + ";V;A;2,5;1.234,5;EUR;20.12.2026\n").statusCode(200);
            assertStored(ref, "2.5", "1234.5");
            order(tenant, ref).body("requestedDate", equalTo("2026-12-20"));
            importCsv(tenant, "", "reference;vendor_name;sku;quantity;currency;requested_date\n" + uniqueReference()
                    + ";V;A;1;EUR;12/20/2026\n").statusCode(422);
            importCsv(tenant, "",
                    "reference;vendor_name;sku;quantity;currency\n" + uniqueReference() + ";V;A;2,500;EUR\n")
                            .statusCode(422).body("errors[0].message", startsWith("is that 2,5 or 2500?"));
        }
        Fixtures.Tenant hu = fixtures.tenant("HU");
        String ref = uniqueReference();
        importCsv(hu, "",
                "reference;vendor_name;sku;quantity;currency;requested_date\n" + ref + ";V;A;2,5;HUF;2026-12-20\n")
                        .statusCode(200);
        assertStored(ref, "2.5", null);
    }

    /** true, an object or a list where a number belongs: a problem naming the field, like every other field error. */
    @Test
    void aQuantityOfAnotherJsonTypeIsAProblemNamingTheField() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        for (Object odd : List.of(true, Map.of("value", 2), List.of(2))) {
            String ref = uniqueReference();
            postJson(tenant, "", odd, "1.5", ref).statusCode(422).contentType(startsWith("application/problem+json"))
                    .body("errors[0].field", equalTo("lines[0].quantity")).body("errors[0].message",
                            startsWith("must be a number like 12.5 or a string like \"12.5\", got "));
            assertTrue(stored(ref).isEmpty());
        }
        postJson(tenant, "", 2, false, uniqueReference()).statusCode(422)
                .body("errors[0].field", equalTo("lines[0].unitPrice")).body("errors[0].message",
                        startsWith("must be a number like 12.5 or a string like \"12.5\", got false"));
    }

    @Test
    void theImportsChoiceOverridesTheCountry() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        String ref = uniqueReference();
        String csv = "reference;vendor_name;sku;quantity;unit_price;currency\n" + ref + ";V;A;1.000;2,5;EUR\n";
        importCsv(gb, "", csv).statusCode(422).body("errors[0].row", equalTo(2))
                .body("errors[0].column", equalTo("quantity"))
                .body("errors[0].message", equalTo("is that 1 or 1000? write 1 or 1000, got \"1.000\""))
                .body("errors[1].column", equalTo("unit_price"))
                .body("errors[1].message", startsWith("is written with a decimal comma, but this import reads a"
                        + " decimal point: write 2.5, or import it with decimal comma"));
        importCsv(gb, "?decimal=comma", csv).statusCode(200).body("created", equalTo(1));
        assertStored(ref, "1000", "2.5");
        importCsv(gb, "?decimal=dot-ish", csv).statusCode(422).body("errors[0].field", equalTo("decimal"));
    }

    @Test
    void ambiguousAndScientificValuesImportNothing() {
        Fixtures.Tenant de = fixtures.tenant("DE");
        String ok = uniqueReference();
        importCsv(de, "",
                "reference;vendor_name;sku;quantity;unit_price;currency\n" + ok + ";V;A;5;1;EUR\n" + uniqueReference()
                        + ";V;A;2,500;1;EUR\n" + uniqueReference() + ";V;A;1.5E+3;1;EUR\n").statusCode(422)
                                .body("created", equalTo(0)).body("errors[0].row", equalTo(3))
                                .body("errors[0].message",
                                        equalTo("is that 2,5 or 2500? write 2,5 or 2500, got \"2,500\""))
                                .body("errors[1].row", equalTo(4)).body("errors[1].message", equalTo(
                                        "is in scientific notation; write the number in full: 1500, got \"1.5E+3\""));
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/purchase-orders/" + ok).then()
                .statusCode(404);
    }

    @Test
    void jsonStringsFollowTheDecimalMarkJsonNumbersAreJson() {
        Fixtures.Tenant de = fixtures.tenant("DE");
        // a program's "1,000" is a thousand (JSON bodies default to a decimal point, whatever the country)
        String a = uniqueReference();
        postJson(de, "", "1,000", "2.35000", a).statusCode(201);
        assertStored(a, "1000", "2.35");
        order(de, a).body("lines[0].quantity", equalTo("1000")).body("lines[0].unitPrice", equalTo("2.35"));

        String b = uniqueReference();
        postJson(de, "", new BigDecimal("1000.0"), new BigDecimal("10.000000"), b).statusCode(201);
        assertStored(b, "1000", "10");
        order(de, b).body("lines[0].quantity", equalTo("1000")).body("lines[0].unitPrice", equalTo("10"));

        String c = uniqueReference();
        postJson(de, "?decimal=comma", "1.000", "0,5", c).statusCode(201);
        assertStored(c, "1000", "0.5");
        // with a decimal comma, a JSON number is still a JSON number
        String d = uniqueReference();
        postJson(de, "?decimal=comma", new BigDecimal("2.5"), null, d).statusCode(201);
        assertStored(d, "2.5", null);
    }

    @Test
    void jsonRefusesWhatItCannotReadForSure() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        postJson(gb, "", new BigDecimal("1.5E+3"), null, uniqueReference()).statusCode(422)
                .body("errors[0].field", equalTo("lines[0].quantity"))
                .body("errors[0].message", containsString("scientific notation; write the number in full: 1500"));
        postJson(gb, "", "1.5E+3", null, uniqueReference()).statusCode(422).body("errors[0].message",
                containsString("scientific notation"));
        postJson(gb, "", "1.000", null, uniqueReference()).statusCode(422).body("errors[0].message",
                equalTo("is that 1 or 1000? write 1 or 1000, got \"1.000\""));
        postJson(gb, "", "1,5", null, uniqueReference()).statusCode(422).body("errors[0].message",
                containsString("write 1.5, or send decimal=comma"));
        postJson(gb, "", Map.of("value", 3), null, uniqueReference()).statusCode(422).body("errors[0].field",
                equalTo("lines[0].quantity"));
    }

    /**
     * Advice a caller can follow: a sales order's JSON takes no {@code decimal=} parameter, so its refusal of "9,90"
     * says only how to write the price; a whole-number field written "1,5" is a whole number's refusal, not "write
     * 1.5", which would be refused next.
     */
    @Test
    void aRefusalOnlyAdvisesWhatTheRequestCanDo() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        Map<String, Object> price = new java.util.HashMap<>(
                io.portlink.dropship.SalesOrderFixtures.line("MUG-1", 1, "9,90"));
        io.portlink.dropship.SalesOrderFixtures
                .post(gb.apiKey(), io.portlink.dropship.SalesOrderFixtures.order(uniqueReference(), List.of(price)))
                .statusCode(422).body("errors[0].message", startsWith(
                        "is written with a decimal comma, but this request reads a decimal point: write 9.9, got"));
        Map<String, Object> quantity = new java.util.HashMap<>(
                io.portlink.dropship.SalesOrderFixtures.line("MUG-1", 1, "4.50"));
        quantity.put("quantity", "1,5");
        io.portlink.dropship.SalesOrderFixtures
                .post(gb.apiKey(), io.portlink.dropship.SalesOrderFixtures.order(uniqueReference(), List.of(quantity)))
                .statusCode(422).body("errors[0].message", startsWith("must be a whole number"));
    }

    @Test
    void quantitiesAndPricesLeaveAsExactDecimalStrings() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        String ref = uniqueReference();
        postJson(gb, "", new BigDecimal("120"), "0.1000", ref).statusCode(201);
        String json = order(gb, ref).extract().asString();
        assertTrue(json.contains("\"quantity\":\"120\""), json);
        assertTrue(json.contains("\"unitPrice\":\"0.1\""), json);
        assertFalse(json.contains("120.0"), json);
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.schemas.LineView.properties.quantity.$ref",
                        equalTo("#/components/schemas/java.math.BigDecimal"))
                .body("components.schemas.'java.math.BigDecimal'.type", equalTo("string"));
    }

    @Test
    void theTemplateDownloadsAndImportsAsItIs() {
        for (String country : List.of("GB", "DE")) {
            Fixtures.Tenant tenant = fixtures.tenant(country);
            var response = given().header("Authorization", "Bearer " + tenant.apiKey())
                    .get("/api/v1/purchase-orders/import/template").then().statusCode(200)
                    .contentType(startsWith("text/csv"))
                    .header("Content-Disposition", equalTo("attachment; filename=\"purchase-orders-template.csv\""))
                    .extract();
            byte[] csv = response.asByteArray();
            given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                    .body(csv).post("/api/v1/purchase-orders/import").then().statusCode(200)
                    .body("created", equalTo(1));
            order(tenant, "PO-EXAMPLE-1").body("lines.quantity", hasItem("2500")).body("lines.unitPrice",
                    hasItem("0.12"));
        }
    }
}
