package io.portlink.staff;

import static io.portlink.dropship.SalesOrderFixtures.line;
import static io.portlink.dropship.SalesOrderFixtures.order;
import static io.portlink.dropship.SalesOrderFixtures.post;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.DropshipConnection;
import io.portlink.dropship.SalesOrderFixtures;
import io.portlink.dropship.SupplierFixtures;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/** The dropship staff pages as a new user meets them: what they say, what a button leaves behind. */
@QuarkusTest
class StaffDropshipPagesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SupplierFixtures fx;

    @Inject
    SalesOrderFixtures so;

    @Inject
    io.portlink.inventory.Catalogue catalogue;

    @Inject
    io.portlink.dropship.CatalogueFixtures catalogueFx;

    @Inject
    io.portlink.testing.TestClock clock;

    @Inject
    io.portlink.dropship.DropshipChanges changes;

    /** A merchant without sales orders reads "No orders.", not that line above the headers of an empty table. */
    @Test
    void anEmptySalesOrderListSaysSoWithoutAnEmptyTable() {
        var merchant = fixtures.tenant("GB");
        String page = given().filter(signIn(merchant.adminEmail(), Fixtures.PASSWORD)).get("/app/sales-orders").then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("id=\"empty\">No orders.</p>") && !page.contains("id=\"sales-orders\""), page);
    }

    /** The upload page offers a template, as the other imports do; uploaded as it is, it makes the example order. */
    @Test
    void theSalesOrderUploadOffersATemplateThatImportsAsItIs() {
        var merchant = fixtures.tenant("GB");
        CookieFilter staff = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String form = given().filter(staff).get("/app/sales-orders/import").then().statusCode(200).extract().asString();
        assertTrue(form.contains("href=\"/app/sales-orders/import/template\""), form);
        byte[] template = given().filter(staff).get("/app/sales-orders/import/template").then().statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("sales-orders-template.csv"))
                .extract().asByteArray();
        String page = given().filter(staff).multiPart("form-token", StaffClient.csrf(staff, "/app/sales-orders/import"))
                .multiPart("file", "sales-orders.csv", template, "text/csv").post("/app/sales-orders/import").then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("1 order imported"), page);
        String list = given().filter(staff).get("/app/sales-orders").then().statusCode(200).extract().asString();
        assertTrue(list.contains("SO-EXAMPLE-1"), list);
    }

    /** A shipped order offers nothing that would be refused: no ship-to change, no cancel, no quantity change. */
    @Test
    void aShippedOrdersPageOffersNoChangeThatWouldBeRefused() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        given().header("Authorization", "Bearer " + pair.supplier().apiKey()).contentType("application/json")
                .body(java.util.Map.of("carrier", "DHL", "trackingNumber", "ALL-1", "shipDate",
                        clock.instant().toString().substring(0, 10)))
                .post("/api/v1/dropshipments/" + made.id() + "/shipments").then().statusCode(201);
        String page = given().filter(signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD))
                .get("/app/sales-orders/" + made.salesOrderReference()).then().statusCode(200).extract().asString();
        assertTrue(page.contains("ALL-1"), page);
        assertFalse(
                page.contains("id=\"change-ship-to\"") || page.contains("id=\"cancel\"") || page.contains("/lines/1\""),
                page);
    }

    @Test
    void routingAnOrderRedirectsToItsPageAndSaysWhatWasRouted() {
        var merchant = fixtures.tenant("GB");
        var mugs = so.supplier(merchant.id(), "Mugs Direct", DropshipConnection.Status.ACTIVE, false, false);
        so.product(merchant.id(), "MUG-PRG", mugs, "MD-PRG");
        so.product(merchant.id(), "BOOK-PRG", null, null);
        String ref = "SO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        post(merchant.apiKey(), order(ref, List.of(line("MUG-PRG", 1, "4.50"), line("BOOK-PRG", 1, "9.00"))))
                .statusCode(201);
        CookieFilter staff = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String path = "/app/sales-orders/" + ref;
        String location = StaffClient.postForm(staff, path, path + "/route").statusCode(303).extract()
                .header("Location");
        assertTrue(location.contains(path + "?done=routed"), location);
        String page = given().filter(staff).get(location).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Routed: " + ref + "-1 to Mugs Direct (1 line)."), page);
        assertTrue(page.contains("Line 2 (BOOK-PRG)"), page);
        // the same page again (a refresh) routes nothing and says nothing was routed just now
        String again = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        assertFalse(again.contains("Routed: "), again);
        String twice = given().filter(staff)
                .get(StaffClient.postForm(staff, path, path + "/route").statusCode(303).extract().header("Location"))
                .then().statusCode(200).extract().asString();
        assertTrue(twice.contains("Nothing was routed"), twice);
        assertEquals(1, so.dropshipmentCount(merchant.id()));
        assertTrue(again.contains("(waiting for the next sync)"), again);

        // the supplier disconnected before the sync: no sync sends it, and the page says so
        String disconnect = "/app/suppliers/" + mugs.connectionId() + "/disconnect";
        StaffClient.postForm(staff, disconnect, disconnect).statusCode(303);
        String waiting = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        assertFalse(waiting.contains("(waiting for the next sync)"), waiting);
        assertTrue(waiting.contains("not sent: Mugs Direct is disconnected"), waiting);
    }

    @Test
    void routeAllOpenOrdersRedirectsSoARefreshRoutesNothingMore() {
        var merchant = fixtures.tenant("GB");
        var mugs = so.supplier(merchant.id(), "Mugs Direct", DropshipConnection.Status.ACTIVE, false, false);
        so.product(merchant.id(), "MUG-ALL", mugs, "MD-ALL");
        for (int i = 0; i < 2; i++) {
            String ref = "SO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            post(merchant.apiKey(), order(ref, List.of(line("MUG-ALL", 1, "4.50")))).statusCode(201);
        }
        CookieFilter staff = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String list = "/app/sales-orders";
        String location = StaffClient.postForm(staff, list, list + "/route-open").statusCode(303).extract()
                .header("Location");
        String page = given().filter(staff).get(location).then().statusCode(200).extract().asString();
        assertTrue(page.contains("2 open orders looked at, 2 routed."), page);
        // the browser now shows a GET: reloading it routes nothing and creates nothing
        given().filter(staff).get(location).then().statusCode(200);
        assertEquals(2, so.dropshipmentCount(merchant.id()));
        String again = given().filter(staff).get(
                StaffClient.postForm(staff, list, list + "/route-open").statusCode(303).extract().header("Location"))
                .then().statusCode(200).extract().asString();
        assertTrue(again.contains("No open orders to route."), again);
    }

    @Test
    void theDropshipStatusFilterNamesStatusesAsTheRowsDo() {
        var pair = fx.pair(false, false);
        fx.standard(pair);
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/dropship-orders?status=PARTIALLY_SHIPPED").then().statusCode(200)
                .extract().asString();
        String filter = page.substring(page.indexOf("<select id=\"status\""),
                page.indexOf("</select>", page.indexOf("<select id=\"status\"")));
        assertTrue(filter.contains(">Open</option>") && filter.contains("selected>Partially shipped</option>"), filter);
        assertFalse(filter.contains(">OPEN<") || filter.contains("PARTIALLY_SHIPPED<"), filter);
        String sales = given().filter(signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD)).get("/app/sales-orders")
                .then().statusCode(200).extract().asString();
        assertTrue(sales.contains(">partially shipped</option>") && !sales.contains(">PARTIALLY_SHIPPED<"), sales);
    }

    @Test
    void aCancelledOrdersBannerSaysNothingShouldShip() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        fx.cancel(made.id(), "customer cancelled");
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/dropship-orders/" + made.id()).then().statusCode(200).extract()
                .asString();
        String banner = page.substring(page.indexOf("id=\"change\""),
                page.indexOf("</section>", page.indexOf("id=\"change\"")));
        assertTrue(banner.contains("cancelled this order: nothing should ship"), banner);
        assertTrue(banner.contains("Acknowledging tells the merchant you saw the cancellation"), banner);
        assertFalse(banner.contains("Shipping waits until you do"), banner);
    }

    @Test
    void moneyShowsTwoDecimalsOnTheDropshipPages() {
        var pair = fx.pair(true, false);
        long product = catalogue
                .upsert(pair.merchant().id(), "COST-" + UUID.randomUUID().toString().substring(0, 6), "Cost test")
                .product().id();
        CookieFilter merchant = signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/products/" + product;
        StaffClient.postForm(merchant, path, path + "/dropship", "supplier", String.valueOf(pair.connectionId()),
                "supplierSku", "SUP-C", "unitCost", "3.5").statusCode(303);
        String page = given().filter(merchant).get(path).then().statusCode(200).extract().asString();
        assertTrue(page.contains("at 3.50 a unit"), page);
        assertTrue(page.contains("value=\"3.50\""), page);
        assertFalse(page.contains("3.5000"), page);
        var made = fx.dropshipment(pair, true,
                List.of(new SupplierFixtures.Item("A", "SA", 1, new java.math.BigDecimal("7.5000"))), List.of());
        String order = given().filter(merchant).get("/app/sales-orders/" + made.salesOrderReference()).then()
                .statusCode(200).extract().asString();
        assertTrue(order.contains("<td data-label=\"Unit price\">7.50</td>") && !order.contains("7.5000"), order);
        String supplier = given().filter(signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD))
                .get("/app/dropship-orders/" + made.id()).then().statusCode(200).extract().asString();
        assertTrue(supplier.contains("<td class=\"price\" data-label=\"Unit price\">7.50</td>")
                && !supplier.contains("7.5000"), supplier);
    }

    @Test
    void aUnitCostWithADecimalCommaIsAnsweredInTheFormsWords() {
        var pair = fx.pair(false, false);
        long product = catalogue
                .upsert(pair.merchant().id(), "COMMA-" + UUID.randomUUID().toString().substring(0, 6), "Comma test")
                .product().id();
        CookieFilter merchant = signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/products/" + product;
        String refused = StaffClient.postForm(merchant, path, path + "/dropship", "supplier",
                String.valueOf(pair.connectionId()), "supplierSku", "SUP-C", "unitCost", "3,20").statusCode(422)
                .extract().asString();
        assertTrue(refused.contains("Unit cost: use a decimal point: 3.20"), refused);
        assertFalse(refused.contains("this import reads") || refused.contains("decimal=comma"), refused);
        assertTrue(refused.contains("value=\"3,20\""), "what was typed stays: " + refused);
    }

    @Test
    void disconnectingAsksFirstAndTheListShowsWhenAndWho() {
        var pair = fx.pair(false, false);
        CookieFilter supplier = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String list = given().filter(supplier).get("/app/merchants").then().statusCode(200).extract().asString();
        String confirm = "/app/merchants/" + pair.connectionId() + "/disconnect";
        assertTrue(list.contains("href=\"" + confirm + "\""), "the list links to a confirmation: " + list);
        assertFalse(list.contains("action=\"" + confirm + "\""), "no one-click disconnect: " + list);
        String asked = given().filter(supplier).get(confirm).then().statusCode(200).extract().asString();
        assertTrue(asked.contains("Disconnect " + pair.merchant().name() + "?") && asked.contains("id=\"confirm\"")
                && asked.contains("action=\"" + confirm + "\""), asked);
        assertEquals(DropshipConnection.Status.ACTIVE, catalogueFx.connection(pair.connectionId()).status,
                "asking changes nothing");
        StaffClient.postForm(supplier, confirm, confirm).statusCode(303);
        String after = given().filter(supplier).get("/app/merchants").then().statusCode(200).extract().asString();
        String since = after.substring(after.indexOf("class=\"since\""),
                after.indexOf("</td>", after.indexOf("class=\"since\"")));
        assertTrue(since.contains("Disconnected"), since);
        // the merchant side asks too, and a disconnect by the merchant names the merchant, not its staff, to the
        // supplier
        var other = fx.pair(false, false);
        CookieFilter merchant = signIn(other.merchant().adminEmail(), Fixtures.PASSWORD);
        String suppliers = given().filter(merchant).get("/app/suppliers").then().statusCode(200).extract().asString();
        String mine = "/app/suppliers/" + other.connectionId() + "/disconnect";
        assertTrue(suppliers.contains("href=\"" + mine + "\"") && !suppliers.contains("action=\"" + mine + "\""),
                suppliers);
        assertTrue(given().filter(merchant).get(mine).then().statusCode(200).extract().asString()
                .contains("Disconnect " + other.supplier().name() + "?"));
        StaffClient.postForm(merchant, mine, mine).statusCode(303);
        String seen = given().filter(signIn(other.supplier().adminEmail(), Fixtures.PASSWORD)).get("/app/merchants")
                .then().statusCode(200).extract().asString();
        assertTrue(seen.contains("Disconnected by " + other.merchant().name() + " (merchant)"), seen);
        assertFalse(seen.contains(other.merchant().adminEmail()), seen);
    }

    @Test
    void eachSidesTimelineUsesItsOwnSkusAndThePagesDates() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/dropship-orders/" + made.id();
        String today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
        StaffClient.postForm(staff, path, path + "/ship", "carrier", "DHL", "trackingNumber", "JD-SKU", "shipDate",
                today, "shippingMethod", "Express", "revision", "1", "position", "1", "quantity", "1", "position", "2",
                "quantity", "").statusCode(303);
        String page = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        String timeline = page.substring(page.indexOf("id=\"timeline\""));
        // a method is no person: "by" names who did it on the same lines
        assertTrue(page.contains(" via Express:") && timeline.contains(" via Express;"), page);
        assertFalse(page.contains("by Express"), page);
        assertTrue(timeline.contains("SUP-RED × 1") && !timeline.contains("WIDGET-RED"), timeline);
        assertFalse(timeline.contains("shipped " + today), "the page's date format, not ISO: " + timeline);
        java.util.regex.Matcher shown = java.util.regex.Pattern.compile("JD-SKU</strong>, shipped ([^:<]+):")
                .matcher(page);
        assertTrue(shown.find(), page);
        assertTrue(timeline.contains("JD-SKU, shipped " + shown.group(1).strip()), timeline);
        var merchantSide = fx.timeline("salesOrderId", made.salesOrderId(), pair.merchant().id());
        assertTrue(
                merchantSide.stream().anyMatch(e -> e.startsWith("SHIPPED") && e.contains("WIDGET-RED × 1")
                        && !e.contains("SUP-RED") && !e.contains("shipped " + today) && e.contains(" via Express")),
                "" + merchantSide);
    }

    @Test
    void theSupplierSeesTheMerchantsOrganisationNeverItsStaff() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        changes.changeShipTo(pair.merchant().id(), made.salesOrderReference(), "Dana Customer", null, "2 Low Road",
                null, io.portlink.timeline.Actor.staff(1, "someone@merchant.example")).orElseThrow();
        CookieFilter staff = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/dropship-orders/" + made.id()).then().statusCode(200).extract()
                .asString();
        String timeline = page.substring(page.indexOf("id=\"timeline\""));
        assertTrue(timeline.contains(pair.merchant().name() + " (merchant):"), timeline);
        assertFalse(page.contains("someone@merchant.example"), page);
        StaffClient.postForm(staff, "/app/dropship-orders/" + made.id(),
                "/app/dropship-orders/" + made.id() + "/acknowledge", "revision", "2").statusCode(303);
        String after = given().filter(staff).get("/app/dropship-orders/" + made.id()).asString();
        assertTrue(after.contains(pair.supplier().adminEmail()), "the supplier's own staff stay named: " + after);
    }

    @Test
    void theMerchantSeesTheSuppliersOrganisationNeverItsStaff() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        CookieFilter supplier = signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/dropship-orders/" + made.id();
        String today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
        StaffClient.postForm(supplier, path, path + "/ship", "carrier", "DHL", "trackingNumber", "JD-WHO", "shipDate",
                today, "shippingMethod", "", "revision", "1", "position", "1", "quantity", "1", "position", "2",
                "quantity", "").statusCode(303);
        var merchantSide = fx.timeline("salesOrderId", made.salesOrderId(), pair.merchant().id());
        assertTrue(merchantSide.stream().anyMatch(e -> e.startsWith("SHIPPED") && e.endsWith(" (supplier)]")),
                "" + merchantSide);
        assertTrue(merchantSide.stream().noneMatch(e -> e.contains(pair.supplier().adminEmail())), "" + merchantSide);
        String order = given().filter(signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD))
                .get("/app/sales-orders/" + made.salesOrderReference()).then().statusCode(200).extract().asString();
        assertFalse(order.contains(pair.supplier().adminEmail()), order);
    }
}
