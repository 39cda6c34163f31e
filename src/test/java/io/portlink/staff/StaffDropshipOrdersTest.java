package io.portlink.staff;

import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.DropshipChanges;
import io.portlink.dropship.Dropshipment;
import io.portlink.dropship.SalesOrder;
import io.portlink.dropship.SupplierFixtures;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/** The supplier's dropship orders as its staff use them: list, detail, ship, acknowledge, CSV. */
@QuarkusTest
class StaffDropshipOrdersTest {

    @Inject
    SupplierFixtures fx;

    @Inject
    TestClock clock;

    @Inject
    Fixtures fixtures;

    @Inject
    DropshipChanges changes;

    private String today() {
        return LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
    }

    @Test
    void theListShowsEveryMerchantsSentOrdersAndFiltersByMerchantAndStatus() {
        var pair = fx.pair(false, false);
        var sent = fx.standard(pair);
        var unsent = fx.dropshipment(pair, false, List.of(new SupplierFixtures.Item("A", "SA", 1, null)), List.of());
        var second = fx.connect(fx.pair(false, false).merchant(), pair.supplier(), false, false);
        var fromSecond = fx.standard(second);
        fx.change(fromSecond.id(), "Address changed");
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/dropship-orders").then().statusCode(200).extract().asString();
        assertTrue(page.contains(sent.reference()) && page.contains(fromSecond.reference()), page);
        assertFalse(page.contains(unsent.reference()), "not sent yet: the supplier does not have it");
        assertTrue(page.contains(pair.merchant().name()) && page.contains(second.merchant().name()));
        assertTrue(page.contains("Change to acknowledge"));
        assertTrue(page.contains("href=\"/app/dropship-orders\">Dropship orders</a>"), "in the navigation");
        String filtered = given().filter(staff).get("/app/dropship-orders?merchant=" + second.merchant().id()).then()
                .statusCode(200).extract().asString();
        assertTrue(filtered.contains(fromSecond.reference()));
        assertFalse(filtered.contains(sent.reference()));
        String shipped = given().filter(staff).get("/app/dropship-orders?status=SHIPPED").then().statusCode(200)
                .extract().asString();
        assertTrue(shipped.contains("No dropship orders match these filters."), shipped);
        assertFalse(shipped.contains("id=\"dropship-orders\""), "no empty table under it: " + shipped);
        // the merchant's staff see nothing as a supplier, and cannot open the supplier's page
        CookieFilter merchant = signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD);
        assertTrue(given().filter(merchant).get("/app/dropship-orders").asString().contains("No dropship orders."));
        given().filter(merchant).get("/app/dropship-orders/" + sent.id()).then().statusCode(404);
    }

    @Test
    void signingInLandsASupplierThatBuysNothingOnItsDropshipOrdersAndEveryoneElseOnTheQueue() {
        var pair = fx.pair(false, false);
        assertEquals("/app/dropship-orders", home(pair.supplier()), "a supplier only: its dropship orders");
        assertEquals("/app/orders", home(pair.merchant()), "a merchant: the purchase orders' queue");
        given().header("Authorization", "Bearer " + pair.supplier().apiKey()).contentType("application/json")
                .body(Map.of("reference", "PO-BUY-1", "vendor", Map.of("name", "Own Vendor"), "lines",
                        List.of(Map.of("sku", "A", "quantity", "1"))))
                .post("/api/v1/purchase-orders").then().statusCode(201);
        assertEquals("/app/orders", home(pair.supplier()), "a supplier that also buys: the queue, as before");
    }

    /** Where the sign-in form's landing page ({@code /app}) sends this organisation's admin. */
    private static String home(Fixtures.Tenant tenant) {
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String location = given().filter(staff).redirects().follow(false).get("/app").then().statusCode(303).extract()
                .header("Location");
        return java.net.URI.create(location).getPath();
    }

    @Test
    void theDetailShowsWhatWasPassedAndShipsThroughTheForm() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/dropship-orders/" + made.id();
        String page = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Cara Customer") && page.contains("1 High Street") && page.contains("Ground"));
        assertTrue(page.contains("SUP-RED") && page.contains("WIDGET-RED"));
        assertFalse(page.contains("19.99") || page.contains("Margin 42%"), "no price, no note unless passed");
        // a refused form lists every problem and keeps what was typed
        String refused = StaffClient.postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "",
                "shipDate", "2031-01-01", "shippingMethod", "", "revision", "1", "position", "1", "quantity", "7",
                "position", "2", "quantity", "1").statusCode(422).extract().asString();
        assertTrue(refused.contains("Nothing was shipped"), refused);
        // named by the form's labels and the line's number as the table shows it, never by the API's field names
        assertTrue(refused.contains("Tracking number: is required"), refused);
        assertTrue(refused.contains("Ship date: must lie between"), refused);
        assertTrue(refused.contains("Line 1, quantity: line 1 (SUP-RED): only 3 of 3 remain"), refused);
        assertFalse(refused.contains("trackingNumber:") || refused.contains("lines[0]"), refused);
        assertTrue(refused.contains("value=\"7\"") && refused.contains("value=\"DHL\""), refused);
        StaffClient.postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "JD-FORM", "shipDate",
                today(), "shippingMethod", "", "revision", "1", "position", "1", "quantity", "1", "position", "2",
                "quantity", "").statusCode(303);
        String after = given().filter(staff).get(path + "?done=shipped").then().statusCode(200).extract().asString();
        assertTrue(after.contains("Shipment recorded"), after);
        assertTrue(after.contains("JD-FORM") && after.contains("SUP-RED × 1"), after);
        assertEquals(List.of(1, 0), fx.salesOrderShipped(made.salesOrderId()));
        assertEquals(SalesOrder.Status.PARTIALLY_SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        // the same form again (a double click) records nothing more
        StaffClient.postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "JD-FORM", "shipDate",
                today(), "shippingMethod", "", "revision", "1", "position", "1", "quantity", "1", "position", "2",
                "quantity", "").statusCode(303);
        assertEquals(1, fx.shipments(made.id()));
    }

    /** Positions and quantities that do not pair up are refused, never paired by guess (one ignored, one shifted). */
    @Test
    void aShipFormWhoseLinesAndQuantitiesDoNotPairUpShipsNothing() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/dropship-orders/" + made.id();
        String refused = StaffClient.postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "ST-1",
                "shipDate", today(), "shippingMethod", "", "revision", "1", "position", "1", "position", "2",
                "quantity", "1", "quantity", "2", "quantity", "0").statusCode(422).extract().asString();
        assertTrue(refused.contains("2 line positions but 3 quantities"), refused);
        assertEquals(List.of(0, 0), fx.salesOrderShipped(made.salesOrderId()));

        // the merchant's own shipping of the lines it keeps: the same rule
        var merchantStaff = signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD);
        String order = "/app/sales-orders/" + made.salesOrderReference();
        String own = StaffClient
                .postForm(merchantStaff, order, order + "/ship", "carrier", "DHL", "trackingNumber", "OWN-1",
                        "shipDate", today(), "position", "1", "quantity", "1", "quantity", "1")
                .statusCode(422).extract().asString();
        assertTrue(own.contains("1 line position but 2 quantities"), own);
        assertEquals(List.of(0, 0), fx.salesOrderShipped(made.salesOrderId()));
    }

    @Test
    void pricesAndTheNoteShowWhenPassed() {
        var pair = fx.pair(true, true);
        var made = fx.standard(pair);
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/dropship-orders/" + made.id()).then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("19.99") && page.contains("Margin 42% - do not tell"), page);
    }

    @Test
    void aChangeIsShownProminentlyAndAcknowledgedBeforeShipping() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        fx.change(made.id(), "Line 2: 2 → 1");
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/dropship-orders/" + made.id();
        String page = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        assertTrue(page.contains("id=\"change\"") && page.contains("Line 2: 2 → 1") && page.contains("Acknowledge"));
        assertFalse(page.contains("id=\"ship\""), "no ship form while the change waits");
        String refused = StaffClient.postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "T",
                "shipDate", today(), "revision", "2").statusCode(409).extract().asString();
        assertTrue(refused.contains("Acknowledge the change first"), refused);
        StaffClient.postForm(staff, path, path + "/acknowledge", "revision", "2").statusCode(303);
        String after = given().filter(staff).get(path + "?done=acknowledged").asString();
        assertTrue(after.contains("Change acknowledged") && !after.contains("id=\"change\"")
                && after.contains("id=\"ship\""), after);
        assertEquals(2, fx.reload(made.id()).acknowledgedRevision);
    }

    @Test
    void everyUnacknowledgedChangeIsShownUntilAcknowledged() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        Actor merchant = Actor.staff(1, "merchant@example.com");
        changes.changeShipTo(pair.merchant().id(), made.salesOrderReference(), "Dana Customer", null, "2 Low Road",
                null, merchant).orElseThrow();
        changes.changeLine(pair.merchant().id(), made.salesOrderReference(), 2, "1", merchant).orElseThrow();
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/dropship-orders/" + made.id();
        String page = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        String banner = page.substring(page.indexOf("id=\"change\""),
                page.indexOf("</section>", page.indexOf("id=\"change\"")));
        assertTrue(banner.contains("data-revision=\"2\"") && banner.contains("data-revision=\"3\""), banner);
        assertTrue(banner.contains("2 Low Road"), "the first change, not only the latest: " + banner);
        assertTrue(banner.contains("2 → 1"), banner);
        assertTrue(banner.contains("changed this order 2 times") && banner.contains("Acknowledge all 2 changes"),
                banner);
        StaffClient.postForm(staff, path, path + "/acknowledge", "revision", "3").statusCode(303);
        assertFalse(given().filter(staff).get(path).asString().contains("id=\"change\""), "acknowledged: gone");
        changes.changeLine(pair.merchant().id(), made.salesOrderReference(), 1, "2", merchant).orElseThrow();
        String next = given().filter(staff).get(path).asString();
        String again = next.substring(next.indexOf("id=\"change\""),
                next.indexOf("</section>", next.indexOf("id=\"change\"")));
        assertTrue(again.contains("data-revision=\"4\"") && !again.contains("data-revision=\"3\""), again);
        assertFalse(again.contains("2 Low Road"), "an acknowledged change is not shown again: " + again);
    }

    @Test
    void shippingACancelledOrderThroughTheFormIsRefusedClearly() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/dropship-orders/" + made.id();
        String token = csrf(staff, path);
        fx.cancel(made.id(), "customer cancelled");
        String refused = given().filter(staff).redirects().follow(false).formParam("form-token", token)
                .formParam("carrier", "DHL").formParam("trackingNumber", "JD-LATE").formParam("shipDate", today())
                .formParam("revision", "1").post(path + "/ship").then().statusCode(409).extract().asString();
        assertTrue(refused.contains("The merchant cancelled " + made.reference()), refused);
        assertTrue(refused.contains("customer cancelled"));
        assertEquals(0, fx.shipments(made.id()));
        assertTrue(fx.timeline("salesOrderId", made.salesOrderId(), pair.merchant().id()).stream()
                .anyMatch(e -> e.startsWith("SHIP_REFUSED") && e.contains("JD-LATE")));
    }

    @Test
    void aCsvShipsSeveralOrdersOrListsEveryProblem() {
        var pair = fx.pair(false, false);
        var a = fx.standard(pair);
        var b = fx.standard(pair);
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String bad = "reference;carrier;tracking_number;ship_date\n" + a.reference() + ";DHL;JD-1;tomorrow\n"
                + b.reference() + ";;JD-2;" + today() + "\n";
        String refused = given().filter(staff).multiPart("form-token", csrf(staff, "/app/dropship-orders/import"))
                .multiPart("file", "s.csv", bad.getBytes(), "text/csv").post("/app/dropship-orders/import").then()
                .statusCode(422).extract().asString();
        assertTrue(
                refused.contains("row 2, ship_date: must be a date written YYYY-MM-DD, like 2026-03-31, or DD/MM/YYYY"
                        + " with a four-digit year (got &quot;tomorrow&quot;)"),
                refused);
        assertTrue(refused.contains("row 3, carrier: is required"), refused);
        String good = "reference,carrier,tracking_number,ship_date\n" + a.reference() + ",DHL,JD-1," + today() + "\n"
                + b.reference() + ",DHL,JD-2," + today() + "\n";
        String done = given().filter(staff).multiPart("form-token", csrf(staff, "/app/dropship-orders/import"))
                .multiPart("file", "s.csv", good.getBytes(), "text/csv").post("/app/dropship-orders/import").then()
                .statusCode(200).extract().asString();
        assertTrue(done.contains("2 shipments recorded, 0 recorded before"), done);
        assertEquals(Dropshipment.Status.SHIPPED, fx.reload(a.id()).status);
        assertEquals(SalesOrder.Status.SHIPPED, fx.salesOrder(b.salesOrderId()).status);
        given().filter(staff).get("/app/dropship-orders/import/template").then().statusCode(200).header("Content-Type",
                org.hamcrest.Matchers.containsString("text/csv"));
    }

    @Test
    void aGermanSuppliersTemplateIsWrittenAsItsSpreadsheetsWriteAndImportsAsItIs() {
        var pair = fx.connect(fixtures.tenant("GB"), fixtures.tenant("DE"), false, false);
        var a = fx.standard(pair);
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String form = given().filter(staff).get("/app/dropship-orders/import").then().statusCode(200).extract()
                .asString();
        assertTrue(form.contains("ship_date (YYYY-MM-DD or DD.MM.YYYY)"), form);
        assertTrue(form.contains("<option value=\"COMMA\" selected>"), form);

        LocalDate day = LocalDate.parse(today());
        // as German spreadsheets write dates: with dots
        String german = String.format("%02d.%02d.%d", day.getDayOfMonth(), day.getMonthValue(), day.getYear());
        String template = new String(given().filter(staff).get("/app/dropship-orders/import/template").then()
                .statusCode(200).extract().asByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(template.startsWith("\uFEFFreference;carrier;tracking_number;ship_date;"), template);
        assertTrue(template.contains(";" + german + ";Express;WIDGET-RED;2;\r\n"), template);

        // imported as it is, the example's dates and quantity are read; only its references are nobody's
        String refused = given().filter(staff).multiPart("form-token", csrf(staff, "/app/dropship-orders/import"))
                .multiPart("file", "t.csv", template.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv")
                .post("/app/dropship-orders/import").then().statusCode(422).extract().asString();
        assertTrue(refused.contains("row 2, reference: is not a dropshipment sent to you"), refused);
        assertTrue(refused.contains("row 3, reference: is not a dropshipment sent to you"), refused);
        assertFalse(refused.contains("ship_date:"), refused);
        assertFalse(refused.contains("quantity:"), refused);

        // a German file shipped from the page, dates with slashes too, and the decimal point chosen stays chosen on
        // a refusal
        String file = "reference;carrier;tracking_number;ship_date;sku;quantity\n" + a.reference() + ";DHL;JD-DE;"
                + german.replace('.', '/') + ";SUP-RED;3\n";
        String pointRefused = given().filter(staff).multiPart("form-token", csrf(staff, "/app/dropship-orders/import"))
                .multiPart("decimal", "POINT")
                .multiPart("file", "s.csv",
                        (file + a.reference() + ";DHL;JD-DE;" + german + ";SUP-BLUE;1.000\n")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "text/csv")
                .post("/app/dropship-orders/import").then().statusCode(422).extract().asString();
        assertTrue(
                pointRefused.contains("row 3, quantity: must be a whole number of units, 0 or more; if you mean 1000,"
                        + " write 1000 (got &quot;1.000&quot;)"),
                pointRefused);
        assertTrue(pointRefused.contains("<option value=\"POINT\" selected>"), pointRefused);
        String done = given().filter(staff).multiPart("form-token", csrf(staff, "/app/dropship-orders/import"))
                .multiPart("file", "s.csv", file.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv")
                .post("/app/dropship-orders/import").then().statusCode(200).extract().asString();
        assertTrue(done.contains("1 shipment recorded"), done);
        assertEquals(Dropshipment.Status.PARTIALLY_SHIPPED, fx.reload(a.id()).status);
    }
}
