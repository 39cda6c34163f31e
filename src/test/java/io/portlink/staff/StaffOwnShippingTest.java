package io.portlink.staff;

import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.dropship.SalesOrder;
import io.portlink.dropship.SalesOrderFixtures;
import io.portlink.dropship.Shipping;
import io.portlink.dropship.SupplierFixtures;
import io.portlink.outbox.WebhookDelivery;
import io.portlink.outbox.Webhooks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.portlink.testing.WebhookReceiver;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;

/**
 * The merchant ships the lines it keeps, from the sales order page and the API: the order reaches partially shipped and
 * shipped as with its suppliers' shipments, and the sales channel hears {@code sales_order.shipped}.
 */
@QuarkusTest
class StaffOwnShippingTest {

    @Inject
    SupplierFixtures fx;

    @Inject
    Shipping shipping;

    @Inject
    Webhooks webhooks;

    @Inject
    WebhookDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    ObjectMapper json;

    WebhookReceiver channel;
    long merchantId;

    @AfterEach
    void stop() {
        if (channel != null) {
            webhooks.list(merchantId).forEach(e -> webhooks.delete(merchantId, e.id()));
            channel.close();
        }
    }

    private String today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
    }

    /** Line 1 goes to the supplier; lines 2 (3 units) and 3 (2 units) stay with the merchant. */
    private SupplierFixtures.Made mixed(SupplierFixtures.Pair pair) {
        return fx.dropshipment(pair, true, List.of(new SupplierFixtures.Item("DS-A", "SUP-A", 1, BigDecimal.ONE)),
                List.of(new SupplierFixtures.Item("OWN-B", null, 3, BigDecimal.ONE),
                        new SupplierFixtures.Item("OWN-C", null, 2, BigDecimal.ONE)));
    }

    @Test
    void theMerchantShipsItsOwnLinesFromTheOrderPageAndTheOrderReachesShipped() throws Exception {
        var pair = fx.pair(false, false);
        merchantId = pair.merchant().id();
        channel = WebhookReceiver.start(clock);
        channel.secret(webhooks.create(merchantId, channel.url(), "").secret());
        var made = mixed(pair);
        CookieFilter staff = signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/sales-orders/" + made.salesOrderReference();
        String page = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        assertTrue(page.contains("id=\"ship-own\""), page);
        String form = page.substring(page.indexOf("id=\"own-lines\""),
                page.indexOf("</table>", page.indexOf("id=\"own-lines\"")));
        assertTrue(form.contains("data-position=\"2\"") && form.contains("data-position=\"3\""), form);
        assertFalse(form.contains("data-position=\"1\""), "the supplier's line is not the merchant's to ship");

        String refused = StaffClient
                .postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "", "shipDate", today(),
                        "shippingMethod", "", "position", "2", "quantity", "9", "position", "3", "quantity", "1")
                .statusCode(422).extract().asString();
        assertTrue(refused.contains("Tracking number: is required"), refused);
        assertTrue(refused.contains("Line 2, quantity: line 2 (OWN-B): only 3 of 3 remain"), refused);
        assertTrue(refused.contains("value=\"9\""), "what was typed stays");
        assertEquals(List.of(0, 0, 0), fx.salesOrderShipped(made.salesOrderId()), "nothing was written");

        StaffClient
                .postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "OWN-1", "shipDate", today(),
                        "shippingMethod", "", "position", "2", "quantity", "3", "position", "3", "quantity", "1")
                .statusCode(303).header("Location", containsString("done=shipped"));
        assertEquals(List.of(0, 3, 1), fx.salesOrderShipped(made.salesOrderId()));
        assertEquals(SalesOrder.Status.PARTIALLY_SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        // part shipped: the ship-to and cancel forms, which could only be refused now, give way to why
        String shippedPage = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        assertTrue(shippedPage.contains("id=\"shipped-in-part\""), shippedPage);
        assertFalse(shippedPage.contains("id=\"change-ship-to\"") || shippedPage.contains("id=\"cancel\""),
                shippedPage);
        // the same parcel again (a double click) records nothing more
        StaffClient
                .postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "OWN-1", "shipDate", today(),
                        "shippingMethod", "", "position", "2", "quantity", "3", "position", "3", "quantity", "1")
                .statusCode(303).header("Location", containsString("done=again"));
        assertEquals(List.of(0, 3, 1), fx.salesOrderShipped(made.salesOrderId()));

        shipping.ship(pair.supplier().id(), made.id(),
                new Shipping.ShipInput("UPS", "SUP-1", today(), null, null, null),
                Actor.staff(1, "packer@supplier.example")).orElseThrow();
        assertEquals(SalesOrder.Status.PARTIALLY_SHIPPED, fx.salesOrder(made.salesOrderId()).status, "line 3 waits");
        StaffClient.postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "OWN-2", "shipDate",
                today(), "shippingMethod", "", "position", "3", "quantity", "1").statusCode(303);
        assertEquals(SalesOrder.Status.SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        String after = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        assertFalse(after.contains("id=\"ship-own\""), "nothing of the merchant's is left to ship");

        delivery.deliverDue();
        List<JsonNode> events = channel.received().stream().map(r -> {
            try {
                return json.readTree(r.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertEquals(3, events.size(), "one event per shipment, the supplier's and the merchant's alike");
        JsonNode own = events.get(0).get("data");
        assertEquals("sales_order.shipped", events.get(0).get("type").asText());
        assertEquals("PARTIALLY_SHIPPED", own.get("status").asText());
        assertTrue(own.get("dropshipment").isNull(), "shipped by the merchant: " + own);
        assertEquals("OWN-1", own.get("trackingNumber").asText());
        assertEquals("OWN-B", own.get("lines").get(0).get("sku").asText());
        assertEquals(3, own.get("lines").get(0).get("quantity").asInt());
        assertEquals("SHIPPED", events.get(2).get("data").get("status").asText());
    }

    @Test
    void theApiShipsWhatRemainsOfTheKeptLinesAndRefusesTheSuppliersLine() {
        var pair = fx.pair(false, false);
        var made = mixed(pair);
        String url = "/api/v1/sales-orders/" + made.salesOrderReference() + "/shipments";
        api(pair.merchant().apiKey())
                .body(Map.of("carrier", "DHL", "trackingNumber", "API-1", "shipDate", today(), "lines",
                        List.of(Map.of("position", 1))))
                .post(url).then().statusCode(422).body(containsString("goes to its supplier in " + made.reference()));
        api(pair.merchant().apiKey()).body(Map.of("carrier", "DHL", "trackingNumber", "API-1", "shipDate", today()))
                .post(url).then().statusCode(201).body("outcome", equalTo("SHIPPED"))
                .body("status", equalTo("PARTIALLY_SHIPPED")).body("shipment.own", equalTo(true))
                .body("shipment.shippedBy", nullValue()).body("shipment.lines.size()", equalTo(2));
        assertEquals(List.of(0, 3, 2), fx.salesOrderShipped(made.salesOrderId()));
        api(pair.merchant().apiKey()).body(Map.of("carrier", "DHL", "trackingNumber", "API-1", "shipDate", today()))
                .post(url).then().statusCode(200).body("outcome", equalTo("RECORDED_BEFORE"));
        api(pair.merchant().apiKey()).body(Map.of("carrier", "DHL", "trackingNumber", "API-2", "shipDate", today()))
                .post(url).then().statusCode(409).body(containsString("no line of yours left to ship"));
        // another organisation's key: no such order
        api(fx.pair(false, false).merchant().apiKey())
                .body(Map.of("carrier", "DHL", "trackingNumber", "API-3", "shipDate", today())).post(url).then()
                .statusCode(404);
    }

    @Test
    void anOrderOfKeptLinesOnlyReachesShipped() {
        var pair = fx.pair(false, false);
        SalesOrderFixtures.post(pair.merchant().apiKey(), SalesOrderFixtures.order("OWN-ONLY-" + pair.merchant().id(),
                List.of(SalesOrderFixtures.line("LOCAL-1", 2, "5.00")))).statusCode(201);
        String url = "/api/v1/sales-orders/OWN-ONLY-" + pair.merchant().id() + "/shipments";
        api(pair.merchant().apiKey())
                .body(Map.of("carrier", "Royal Mail", "trackingNumber", "RM1", "shipDate", today(), "lines",
                        List.of(Map.of("sku", "LOCAL-1", "quantity", 2))))
                .post(url).then().statusCode(201).body("status", equalTo("SHIPPED"))
                .body("salesOrder.status", equalTo("SHIPPED"));
    }

    @Test
    void theOrderPageListsEveryShipmentTheSuppliersAndItsOwn() {
        var pair = fx.pair(false, false);
        var made = mixed(pair);
        CookieFilter staff = signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/sales-orders/" + made.salesOrderReference();
        assertTrue(section(given().filter(staff).get(path).asString()).contains("Nothing has shipped yet."));
        shipping.ship(pair.supplier().id(), made.id(),
                new Shipping.ShipInput("UPS", "SUP-9", today(), "Express", null, null),
                Actor.staff(1, "packer@supplier.example")).orElseThrow();
        api(pair.merchant().apiKey())
                .body(Map.of("carrier", "DHL", "trackingNumber", "OWN-9", "shipDate", today(), "lines",
                        List.of(Map.of("position", 2, "quantity", 3))))
                .post("/api/v1/sales-orders/" + made.salesOrderReference() + "/shipments").then().statusCode(201);
        String shipments = section(given().filter(staff).get(path).then().statusCode(200).extract().asString());
        String supplierRow = row(shipments, "SUP-9");
        assertTrue(supplierRow.contains(pair.supplier().name()) && supplierRow.contains(made.reference())
                && supplierRow.contains("UPS") && supplierRow.contains("Express")
                && supplierRow.contains("Line 1 (DS-A) × 1"), supplierRow);
        String ownRow = row(shipments, "OWN-9");
        assertTrue(ownRow.contains(">own<") && ownRow.contains("DHL") && ownRow.contains("Line 2 (OWN-B) × 3"), ownRow);
        assertFalse(ownRow.contains("OWN-C"), "only what the parcel carried");
        api(pair.merchant().apiKey()).get("/api/v1/sales-orders/" + made.salesOrderReference()).then().statusCode(200)
                .body("shipments.size()", equalTo(2)).body("shipments.find { it.own }.trackingNumber", equalTo("OWN-9"))
                .body("shipments.find { !it.own }.shippedBy", equalTo(pair.supplier().name()));
    }

    private static String section(String page) {
        int at = page.indexOf("id=\"shipments\"");
        assertTrue(at > 0, page);
        return page.substring(at, page.indexOf("</section>", at));
    }

    private static String row(String section, String tracking) {
        int at = section.indexOf("data-tracking=\"" + tracking + "\"");
        assertTrue(at > 0, section);
        return section.substring(at, section.indexOf("</tr>", at));
    }

    private static io.restassured.specification.RequestSpecification api(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }
}
