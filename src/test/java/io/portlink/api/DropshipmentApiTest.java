package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.Dropshipment;
import io.portlink.dropship.SalesOrder;
import io.portlink.dropship.SupplierFixtures;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** {@code /api/v1/dropshipments}: the API key's organisation as the supplier. */
@QuarkusTest
class DropshipmentApiTest {

    @Inject
    SupplierFixtures fx;

    @Inject
    TestClock clock;

    @Inject
    Fixtures fixtures;

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private String today() {
        return LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
    }

    @Test
    void theSupplierListsOnlyWhatMerchantsSentItFilteredByMerchantAndStatus() {
        var pair = fx.pair(false, false);
        var sent = fx.standard(pair);
        var unsent = fx.dropshipment(pair, false, List.of(new SupplierFixtures.Item("A", "SA", 1, null)), List.of());
        var secondMerchant = fx.connect(fx.pair(false, false).merchant(), pair.supplier(), false, false);
        var fromSecond = fx.standard(secondMerchant);
        String key = pair.supplier().apiKey();
        as(key).get("/api/v1/dropshipments").then().statusCode(200).body("items.size()", equalTo(2))
                .body("hasNext", equalTo(false)).body("items.reference", hasItem(sent.reference()))
                .body("items.reference", hasItem(fromSecond.reference()))
                .body("items.reference", not(hasItem(unsent.reference())));
        as(key).queryParam("merchant", secondMerchant.merchant().id()).get("/api/v1/dropshipments").then()
                .statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].reference", equalTo(fromSecond.reference()))
                .body("items[0].merchantName", equalTo(secondMerchant.merchant().name()));
        as(key).queryParam("status", "SHIPPED").get("/api/v1/dropshipments").then().body("items.size()", equalTo(0));
        as(key).queryParam("status", "routed").get("/api/v1/dropshipments").then().statusCode(422)
                .body("errors[0].field", equalTo("status"));
        as(key).queryParam("size", "1").get("/api/v1/dropshipments").then().body("items.size()", equalTo(1))
                .body("hasNext", equalTo(true));
        as(key).queryParam("size", "1").queryParam("page", "1").get("/api/v1/dropshipments").then()
                .body("items.size()", equalTo(1)).body("hasNext", equalTo(false));
        // the merchant and another supplier see none of them as supplier
        as(pair.merchant().apiKey()).get("/api/v1/dropshipments").then().body("items.size()", equalTo(0));
        as(pair.merchant().apiKey()).get("/api/v1/dropshipments/" + sent.id()).then().statusCode(404);
        as(key).get("/api/v1/dropshipments/" + unsent.id()).then().statusCode(404);
    }

    @Test
    void pricesAndNotesReachTheSupplierOnlyWhenPassed() {
        var plain = fx.pair(false, false);
        var made = fx.standard(plain);
        String body = as(plain.supplier().apiKey()).get("/api/v1/dropshipments/" + made.id()).then().statusCode(200)
                .body("shipToName", equalTo("Cara Customer")).body("shippingMethod", equalTo("Ground"))
                .body("lines[0].supplierSku", equalTo("SUP-RED")).body("lines[0].quantity", equalTo(3))
                .body("lines[0]", not(hasKey("unitPrice"))).body("$", not(hasKey("note"))).extract().asString();
        assertFalse(body.contains("19.99"), body);
        assertFalse(body.contains("Margin"), body);
        var passing = fx.pair(true, true);
        var passed = fx.standard(passing);
        as(passing.supplier().apiKey()).get("/api/v1/dropshipments/" + passed.id()).then().statusCode(200)
                .body("lines[0].unitPrice", org.hamcrest.Matchers.hasToString("19.99"))
                .body("note", equalTo("Margin 42% - do not tell"));
    }

    @Test
    void shippingAnswers201ThenARetry200AndTheMerchantsOrderIsShipped() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        var body = Map.of("carrier", "DHL", "trackingNumber", "JD-API-1", "shipDate", today(), "lines",
                List.of(Map.of("sku", "SUP-RED", "quantity", 3), Map.of("position", 2)));
        String path = "/api/v1/dropshipments/" + made.id() + "/shipments";
        as(pair.supplier().apiKey()).body(body).post(path).then().statusCode(201).body("outcome", equalTo("SHIPPED"))
                .body("shipment.trackingNumber", equalTo("JD-API-1")).body("dropshipment.status", equalTo("SHIPPED"))
                .body("dropshipment.timeline.detail", hasItem(containsString("DHL JD-API-1")));
        as(pair.supplier().apiKey()).body(body).post(path).then().statusCode(200).body("outcome",
                equalTo("RECORDED_BEFORE"));
        assertEquals(1, fx.shipments(made.id()));
        assertEquals(SalesOrder.Status.SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        assertEquals(List.of(3, 2), fx.salesOrderShipped(made.salesOrderId()));
        // another shipment now: nothing remains
        as(pair.supplier().apiKey()).body(Map.of("carrier", "DHL", "trackingNumber", "JD-API-2", "shipDate", today()))
                .post(path).then().statusCode(409).body("detail", containsString("already shipped in full"));
    }

    @Test
    void refusalsAreProblemsNamingTheFields() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        String path = "/api/v1/dropshipments/" + made.id() + "/shipments";
        as(pair.supplier().apiKey())
                .body(Map.of("shipDate", "01/06/2026", "lines", List.of(Map.of("sku", "SUP-BLUE", "quantity", 5))))
                .post(path).then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("carrier")).body("errors.field", hasItem("trackingNumber"))
                .body("errors.field", hasItem("shipDate")).body("errors.field", hasItem("lines[0].quantity"))
                .body("errors.message", hasItem(containsString("only 2 of 2 remain")));
        // the merchant cannot ship as the supplier; another supplier neither
        as(pair.merchant().apiKey()).body(Map.of("carrier", "DHL", "trackingNumber", "M1", "shipDate", today()))
                .post(path).then().statusCode(404);
        // a value of the wrong kind names its field, and a fractional quantity is refused, never cut to a whole one
        for (Object quantity : List.of(1.5, "abc", true)) {
            as(pair.supplier().apiKey())
                    .body(Map.of("carrier", "DHL", "trackingNumber", "Q1", "shipDate", today(), "lines",
                            List.of(Map.of("sku", "SUP-RED", "quantity", quantity))))
                    .post(path).then().statusCode(422).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("lines[0].quantity")).body("errors[0].message",
                            equalTo("must be a whole number written without quotes or decimals, e.g. 5"));
        }
        // an empty list of lines is named with the shipment's other problems, not alone
        as(pair.supplier().apiKey())
                .body(Map.of("carrier", "", "trackingNumber", "", "shipDate", "04/12/2026", "lines", List.of()))
                .post(path).then().statusCode(422).body("errors.field", hasItem("lines"))
                .body("errors.field", hasItem("carrier")).body("errors.field", hasItem("trackingNumber"))
                .body("errors.field", hasItem("shipDate"));
        // a line named twice is named by the field the request used for it
        as(pair.supplier().apiKey())
                .body(Map.of("carrier", "DHL", "trackingNumber", "P1", "shipDate", today(), "lines",
                        List.of(Map.of("position", 1, "quantity", 1), Map.of("position", 1, "quantity", 1))))
                .post(path).then().statusCode(422).body("errors.field", hasItem("lines[1].position"));
        as(pair.supplier().apiKey()).body(Map.of("revision", "abc"))
                .post("/api/v1/dropshipments/" + made.id() + "/acknowledge").then().statusCode(422)
                .body("errors[0].field", equalTo("revision"));
        // a number no whole-number field holds says the range
        as(pair.supplier().apiKey()).body("{\"revision\": 99999999999999}")
                .post("/api/v1/dropshipments/" + made.id() + "/acknowledge").then().statusCode(422)
                .body("errors[0].field", equalTo("revision")).body("errors[0].message",
                        equalTo("is a number out of range: a whole number here is at most 2147483647"));
        assertEquals(0, fx.shipments(made.id()));
    }

    @Test
    void cancelledIsRefusedOnBothTimelinesAndChangesWaitForAcknowledgement() {
        var pair = fx.pair(false, false);
        var cancelled = fx.standard(pair);
        fx.cancel(cancelled.id(), "out of stock at the merchant");
        as(pair.supplier().apiKey()).body(Map.of("carrier", "DHL", "trackingNumber", "JD-C", "shipDate", today()))
                .post("/api/v1/dropshipments/" + cancelled.id() + "/shipments").then().statusCode(409)
                .body("title", equalTo("Cancelled")).body("detail", containsString("out of stock at the merchant"));
        assertTrue(fx.timeline("salesOrderId", cancelled.salesOrderId(), pair.merchant().id()).stream()
                .anyMatch(e -> e.startsWith("SHIP_REFUSED")));
        // nothing remains to ship on a cancelled dropshipment
        as(pair.supplier().apiKey()).get("/api/v1/dropshipments/" + cancelled.id()).then().statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("lines.remaining", org.hamcrest.Matchers.everyItem(equalTo(0)));

        var changed = fx.standard(pair);
        fx.change(changed.id(), "Address changed to 2 Low Road");
        as(pair.supplier().apiKey()).get("/api/v1/dropshipments/" + changed.id()).then()
                .body("changePending", equalTo(true)).body("changeSummary", equalTo("Address changed to 2 Low Road"))
                .body("revision", equalTo(2));
        var ship = Map.of("carrier", "DHL", "trackingNumber", "JD-CH", "shipDate", today());
        String path = "/api/v1/dropshipments/" + changed.id();
        as(pair.supplier().apiKey()).body(ship).post(path + "/shipments").then().statusCode(409).body("detail",
                containsString("Acknowledge the change first"));
        as(pair.supplier().apiKey()).body(Map.of("revision", 1)).post(path + "/acknowledge").then().statusCode(409)
                .body("detail", containsString("acknowledge revision 2"));
        as(pair.supplier().apiKey()).body(Map.of("revision", 2)).post(path + "/acknowledge").then().statusCode(200)
                .body("revision", equalTo(2)).body("recorded", equalTo(true));
        as(pair.supplier().apiKey()).body(Map.of("revision", 2)).post(path + "/acknowledge").then().statusCode(200)
                .body("recorded", equalTo(false));
        assertEquals(2, fx.reload(changed.id()).acknowledgedRevision);
        // the revision read before the change: the answer names the one to send, as it is acknowledged already
        as(pair.supplier().apiKey())
                .body(Map.of("carrier", "DHL", "trackingNumber", "JD-CH", "shipDate", today(), "revision", 1))
                .post(path + "/shipments").then().statusCode(409).body("detail",
                        containsString("revision 2 is acknowledged already; read it, then ship with revision 2"));
        as(pair.supplier().apiKey()).body(ship).post(path + "/shipments").then().statusCode(201);
    }

    @Test
    void aCsvShipsManyDropshipmentsAllOrNothingAndTheSameFileAgainChangesNothing() {
        var pair = fx.pair(false, false);
        var a = fx.standard(pair);
        var b = fx.standard(pair);
        String day = today();
        String bad = "reference,carrier,tracking_number,ship_date,shipping_method,sku,quantity\n" + a.reference()
                + ",DHL,JD-A," + day + ",,,\n" + b.reference() + ",UPS,1Z-B," + day + ",,SUP-RED,9\n"
                + "SO-NOT-MINE-1,UPS,1Z-C," + day + ",,,\n";
        as(pair.supplier().apiKey()).contentType("text/csv").body(bad).post("/api/v1/dropshipments/shipments/import")
                .then().statusCode(422).body("errors.size()", equalTo(2)).body("errors[0].row", equalTo(3))
                .body("errors[0].column", equalTo("quantity"))
                .body("errors[0].message", containsString("only 3 of 3 remain, got \"9\""))
                .body("errors[1].row", equalTo(4)).body("errors[1].column", equalTo("reference"));
        assertEquals(0, fx.shipments(a.id()) + fx.shipments(b.id()));

        String good = "reference,carrier,tracking_number,ship_date,shipping_method,sku,quantity\n" + a.reference()
                + ",DHL,JD-A," + day + ",,,\n" + b.reference() + ",UPS,1Z-B," + day + ",Express,SUP-RED,2\n"
                + b.reference() + ",UPS,1Z-B," + day + ",Express,WIDGET-BLUE,1\n";
        as(pair.supplier().apiKey()).contentType("text/csv").body(good).post("/api/v1/dropshipments/shipments/import")
                .then().statusCode(200).body("shipped", equalTo(2)).body("unchanged", equalTo(0));
        assertEquals(Dropshipment.Status.SHIPPED, fx.reload(a.id()).status);
        assertEquals(Dropshipment.Status.PARTIALLY_SHIPPED, fx.reload(b.id()).status);
        assertEquals(List.of(2, 1), fx.salesOrderShipped(b.salesOrderId()));
        as(pair.supplier().apiKey()).contentType("text/csv").body(good).post("/api/v1/dropshipments/shipments/import")
                .then().statusCode(200).body("shipped", equalTo(0)).body("unchanged", equalTo(2));
        assertEquals(List.of(2, 1), fx.salesOrderShipped(b.salesOrderId()));
    }

    @Test
    void aGermanSuppliersCsvIsReadAsItsSpreadsheetsWriteDatesAndNumbers() {
        var pair = fx.connect(fixtures.tenant("GB"), fixtures.tenant("DE"), false, false);
        var a = fx.standard(pair);
        LocalDate day = LocalDate.parse(today());
        String german = String.format("%02d.%02d.%d", day.getDayOfMonth(), day.getMonthValue(), day.getYear());
        String header = "reference;carrier;tracking_number;ship_date;shipping_method;sku;quantity\n";

        // a day that is none, a fraction and a word: each named by row and column, nothing shipped
        String bad = header + a.reference() + ";DHL;JD-DE;31.02." + day.getYear() + ";;SUP-RED;1\n" + a.reference()
                + ";DHL;JD-DE;31.02." + day.getYear() + ";;SUP-BLUE;1,5\n" + a.reference() + ";UPS;1Z-DE;" + german
                + ";;SUP-RED;zwei\n";
        as(pair.supplier().apiKey()).contentType("text/csv").body(bad).post("/api/v1/dropshipments/shipments/import")
                .then().statusCode(422).body("errors.size()", equalTo(3)).body("errors[0].row", equalTo(2))
                .body("errors[0].column", equalTo("ship_date"))
                .body("errors[0].message", containsString("is not a date in the calendar"))
                .body("errors[1].row", equalTo(3)).body("errors[1].column", equalTo("quantity"))
                .body("errors[1].message", containsString("must be a whole number of units"))
                .body("errors[1].message", containsString("got \"1,5\"")).body("errors[2].row", equalTo(4))
                .body("errors[2].message", containsString("got \"zwei\""));
        assertEquals(0, fx.shipments(a.id()));

        // DD.MM.YYYY and YYYY-MM-DD on two rows of one shipment are the same day
        String good = header + a.reference() + ";DHL;JD-DE;" + german + ";;SUP-RED;2\n" + a.reference() + ";DHL;JD-DE;"
                + day + ";;SUP-BLUE;1\n";
        as(pair.supplier().apiKey()).contentType("text/csv").body(good).post("/api/v1/dropshipments/shipments/import")
                .then().statusCode(200).body("shipped", equalTo(1));
        assertEquals(1, fx.shipments(a.id()));
        assertEquals(Dropshipment.Status.PARTIALLY_SHIPPED, fx.reload(a.id()).status);

        // the same supplier choosing a decimal point: 1,000 is a thousand, refused as more than remains, and quoted
        // as typed; so is a date read day-first and then found out of range; a later row's date that is none is
        // named as such
        var b = fx.standard(pair);
        as(pair.supplier().apiKey()).contentType("text/csv")
                .body("reference,carrier,tracking_number,ship_date,sku,quantity\n" + b.reference() + ",DHL,JD-PT,"
                        + german + ",SUP-RED,\"1,000\"\n" + b.reference() + ",DHL,JD-PT,31.02." + day.getYear()
                        + ",SUP-BLUE,1\n" + b.reference() + ",UPS,1Z-OLD,01.02.2020,SUP-BLUE,1\n")
                .post("/api/v1/dropshipments/shipments/import?decimal=point").then().statusCode(422)
                .body("errors.size()", equalTo(3)).body("errors[0].row", equalTo(3))
                .body("errors[0].message", containsString("is not a date in the calendar"))
                .body("errors[1].row", equalTo(2)).body("errors[1].column", equalTo("quantity"))
                .body("errors[1].message", containsString("only 3 of 3 remain, got \"1,000\""))
                .body("errors[2].row", equalTo(4)).body("errors[2].column", equalTo("ship_date"))
                .body("errors[2].message", containsString("got \"01.02.2020\""))
                // the range as the file writes dates, not as the API does
                .body("errors[2].message", containsString("(today is " + german + ")"));
        as(pair.supplier().apiKey()).contentType("text/csv").body(good)
                .post("/api/v1/dropshipments/shipments/import?decimal=dot").then().statusCode(422)
                .body("errors[0].field", equalTo("decimal"));
    }

    /** An order with one SKU on two lines: the CSV names each by its position, as the API's body can. */
    @Test
    void aCsvNamesALineByItsPositionWhereTheOrderHasItsSkuTwice() {
        var pair = fx.pair(false, false);
        var twice = fx.dropshipment(pair, true, List.of(new SupplierFixtures.Item("MUG-RED", "SUP-MUG", 1, null),
                new SupplierFixtures.Item("MUG-RED", "SUP-MUG", 2, null)), List.of());
        String header = "reference,carrier,tracking_number,ship_date,sku,quantity\n";
        as(pair.supplier().apiKey()).contentType("text/csv")
                .body(header + twice.reference() + ",DPD,D-2," + today() + ",SUP-MUG,1\n")
                .post("/api/v1/dropshipments/shipments/import").then().statusCode(422)
                .body("errors[0].column", equalTo("sku"))
                .body("errors[0].message", containsString("give the line's position instead"));
        as(pair.supplier().apiKey()).contentType("text/csv")
                .body("reference,carrier,tracking_number,ship_date,position,quantity\n" + twice.reference()
                        + ",DPD,D-2," + today() + ",2,1\n" + twice.reference() + ",DPD,D-2," + today() + ",7,1\n")
                .post("/api/v1/dropshipments/shipments/import").then().statusCode(422).body("errors[0].row", equalTo(3))
                .body("errors[0].column", equalTo("position"))
                .body("errors[0].message", containsString("is not a line of this order"));
        as(pair.supplier().apiKey()).contentType("text/csv")
                .body("reference,carrier,tracking_number,ship_date,position,quantity\n" + twice.reference()
                        + ",DPD,D-2," + today() + ",2,1\n")
                .post("/api/v1/dropshipments/shipments/import").then().statusCode(200).body("shipped", equalTo(1));
        assertEquals(List.of(0, 1), fx.dropshipmentShipped(twice.id()));
    }

    @Test
    void aCsvRowForACancelledDropshipmentFailsTheFileAndIsNotedOnBothTimelines() {
        var pair = fx.pair(false, false);
        var a = fx.standard(pair);
        fx.cancel(a.id(), "fraud check");
        String csv = "reference,carrier,tracking_number,ship_date\n" + a.reference() + ",DHL,JD-X," + today() + "\n";
        as(pair.supplier().apiKey()).contentType("text/csv").body(csv).post("/api/v1/dropshipments/shipments/import")
                .then().statusCode(422).body("errors[0].row", equalTo(2))
                .body("errors[0].message", containsString("The merchant cancelled"));
        assertTrue(fx.timeline("dropshipmentId", a.id(), pair.supplier().id()).stream()
                .anyMatch(e -> e.startsWith("SHIP_REFUSED") && e.contains("JD-X")));
        assertTrue(fx.timeline("salesOrderId", a.salesOrderId(), pair.merchant().id()).stream()
                .anyMatch(e -> e.startsWith("SHIP_REFUSED") && e.contains("JD-X")));

        // the same file again, and the same shipment through the API: refused as clearly, noted no second time
        for (int i = 0; i < 2; i++) {
            as(pair.supplier().apiKey()).contentType("text/csv").body(csv)
                    .post("/api/v1/dropshipments/shipments/import").then().statusCode(422)
                    .body("errors[0].message", containsString("The merchant cancelled"))
                    .body("errors[0].message", containsString("fraud check"));
        }
        as(pair.supplier().apiKey()).body(Map.of("carrier", "DHL", "trackingNumber", "JD-X", "shipDate", today()))
                .post("/api/v1/dropshipments/" + a.id() + "/shipments").then().statusCode(409)
                .body("detail", containsString("fraud check"));
        assertEquals(1, fx.timeline("dropshipmentId", a.id(), pair.supplier().id()).stream()
                .filter(e -> e.startsWith("SHIP_REFUSED")).count());
        assertEquals(1, fx.timeline("salesOrderId", a.salesOrderId(), pair.merchant().id()).stream()
                .filter(e -> e.startsWith("SHIP_REFUSED")).count());
    }

    @Test
    void theEndpointsAreInOpenApi() {
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", hasKey("/api/v1/dropshipments"))
                .body("paths", hasKey("/api/v1/dropshipments/{id}/shipments"))
                .body("paths", hasKey("/api/v1/dropshipments/{id}/acknowledge"))
                .body("paths", hasKey("/api/v1/dropshipments/shipments/import"));
    }
}
