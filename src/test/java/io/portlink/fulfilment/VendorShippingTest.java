package io.portlink.fulfilment;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.Milestone;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentSettings;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Races;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

/**
 * The vendor ships all or part of an order on {@code /v/}: each time a shipment of the organisation, dispatched, with
 * carrier, tracking number and ETA; shipped and remaining per line; the customer's page shows the tracking number and
 * nothing of the purchase order beyond it. H2 and PostgreSQL (the race: PostgreSQL only).
 */
@QuarkusTest
class VendorShippingTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Fulfilments fulfilments;

    @Inject
    Shipments shipments;

    @Inject
    TrackingLinks tracking;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    /** A two-line order (100 bolts at 0.12 GBP, 8 pallets at 950.00 GBP) from "Acme Fasteners Ltd"; its link path. */
    private String order(String reference) {
        Map<String, Object> body = Map.of("reference", reference, "vendor",
                Map.of("name", "Acme Fasteners Ltd", "email", "ship-" + reference.toLowerCase() + "@vendor.example"),
                "deliveryAddress", "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "100", "unit", "pcs",
                        "unitPrice", "0.12", "currency", "GBP"),
                        Map.of("sku", "PAL-1", "description", "Pallet rack", "quantity", "8", "unit", "pcs",
                                "unitPrice", "950.00", "currency", "GBP")));
        String url = Fixtures.post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    /** Posts the ship form of the page the client last opened, with its nonce and version. */
    private Response ship(PortalClient vendor, String reference, String bolts, String racks, String tracking,
            String expected) {
        Map<String, String> hidden = vendor.hidden("ship");
        return given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", hidden.get("nonce"))
                .formParam("version", hidden.get("version")).formParam("line", "1", "2")
                .formParam("quantity", bolts, racks).formParam("carrier", "DHL").formParam("trackingNumber", tracking)
                .formParam("shipDate", today()).formParam("expectedDelivery", expected == null ? "" : expected)
                .post(vendor.link() + "/orders/" + reference + "/ship");
    }

    private String today() {
        return LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
    }

    private OrderFulfilment fulfilment(String reference) {
        return fulfilments.forStaff(tenant.id(), reference).orElseThrow();
    }

    @Test
    void partialThenRest() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertTrue(vendor.lastPage().contains("value=\"100\"") && vendor.lastPage().contains("value=\"8\""),
                "the ship form is prefilled with what remains");
        assertTrue(vendor.lastPage().contains("id=\"tracking-ships-all\">Saving these ships every line in full."),
                "the short tracking form says it ships everything, beside the form that ships a part");
        String eta = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).plusDays(5).toString();
        assertEquals(303, ship(vendor, ref, "40", "0", "JD0001", eta).statusCode());

        OrderFulfilment first = fulfilment(ref);
        assertEquals(FulfilmentStatus.PARTIALLY_SHIPPED, first.status());
        assertEquals("40", first.lines().get(0).shipped());
        assertEquals("60", first.lines().get(0).remaining());
        assertEquals("8", first.lines().get(1).remaining());
        assertEquals(1, first.shipments().size());
        var s1 = first.shipments().get(0);
        assertEquals(ref + "-1", s1.reference());
        assertEquals(Milestone.DISPATCHED, s1.milestone(), "shipping dispatches the shipment");
        assertEquals("JD0001", s1.trackingNumber());
        assertEquals("DHL", s1.carrier());
        var view = shipments.view(tenant.id(), s1.id()).orElseThrow();
        assertEquals(LocalDate.parse(eta), view.estimatedArrival(), "the expected delivery is the shipment's ETA");

        vendor.open("/orders/" + ref);
        assertTrue(vendor.lastPage().contains("id=\"status\">Partially shipped</span>"),
                "the header says the order is partly shipped, no longer Pending: " + vendor.lastPage());
        assertTrue(vendor.lastPage().contains("value=\"60\""), "the form offers what remains");
        assertTrue(vendor.lastPage().contains("JD0001"), "the vendor sees its shipment");
        assertEquals(303, ship(vendor, ref, "60", "8", "JD0002", null).statusCode());

        OrderFulfilment done = fulfilment(ref);
        assertEquals(FulfilmentStatus.SHIPPED, done.status());
        assertEquals(2, done.shipments().size());
        assertEquals(ref + "-2", done.shipments().get(1).reference());
        assertEquals("0", done.lines().get(0).remaining());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).body("status", org.hamcrest.Matchers.equalTo("DISPATCHED"))
                .body("trackingNumber", org.hamcrest.Matchers.equalTo("JD0002"))
                .body("fulfilment", org.hamcrest.Matchers.equalTo("SHIPPED"))
                .body("shipments.trackingNumber", org.hamcrest.Matchers.contains("JD0001", "JD0002"))
                .body("shipments[0].lines[0].lineNo", org.hamcrest.Matchers.equalTo(1))
                .body("lines[0].sku", org.hamcrest.Matchers.equalTo("BOLT-8"));

        vendor.open("/orders/" + ref);
        assertFalse(vendor.lastPage().contains("id=\"ship\""), "nothing left to ship: no ship form");
        assertTrue(vendor.lastPage().contains("id=\"status\">Shipped</span>"), vendor.lastPage());

        var staff = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String orderPage = given().filter(staff).get("/app/orders/" + ref).then().statusCode(200).extract().asString();
        assertTrue(orderPage.contains("<dd id=\"fulfilment\">Shipped</dd>"), "the derived status");
        assertTrue(orderPage.contains("href=\"/app/shipments/" + done.shipments().get(0).id() + "\""),
                "each shipment links to its staff page");
        String shipmentPage = given().filter(staff).get("/app/shipments/" + done.shipments().get(0).id()).then()
                .statusCode(200).extract().asString();
        assertTrue(shipmentPage.contains("href=\"/app/orders/" + ref + "\""), "the shipment names its order");
        assertTrue(shipmentPage.contains("<dd id=\"carriage\">DHL JD0001</dd>"), "the shipment shows its tracking");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/shipments/" + ref + "-1").then()
                .statusCode(200).body("carrier", org.hamcrest.Matchers.equalTo("DHL"))
                .body("trackingNumber", org.hamcrest.Matchers.equalTo("JD0001"));

        for (var s : done.shipments()) {
            shipments.changeStage(tenant.id(), s.id(), "Delivered", ShipmentActor.system());
        }
        assertEquals(FulfilmentStatus.DELIVERED, fulfilment(ref).status());
    }

    /**
     * A partly shipped order is delivered when its shipments are: its page no longer offers "Delivered", a hand-made
     * post of it is refused saying what is still to ship, and the order stays open with its ship form. An order the
     * vendor never shipped by lines may still be marked delivered; its closed page then says nothing is to ship.
     */
    /**
     * A mail about an order part of which shipped (staff asking for news) lists each line with what shipped and what is
     * left, so the vendor is not asked again for what already went; a line of which nothing shipped reads as ordered.
     */
    @Test
    void aReminderAfterAPartShippedSaysWhatIsLeft() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "40", "0", "JD0009", null).statusCode());

        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).formParam("form-token", csrf(staff, "/app/orders/" + ref)).redirects().follow(false)
                .post("/app/orders/" + ref + "/remind").then().statusCode(303);
        String body = newestMailBody("ship-" + ref.toLowerCase() + "@vendor.example");
        assertTrue(body.contains("- 100 pcs × Hex bolt M8 (40 of 100 shipped, 60 to ship)\n"), body);
        assertTrue(body.contains("- 8 pcs × Pallet rack\n"), body);
    }

    @Transactional
    String newestMailBody(String recipient) {
        return io.portlink.outbox.OutboxMessage.<io.portlink.outbox.OutboxMessage> find(
                "recipient = ?1 order by id desc", recipient).firstResult().bodyText;
    }

    @Test
    void aPartlyShippedOrderCannotBeMarkedDelivered() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertTrue(vendor.lastPage().contains("<option value=\"DELIVERED\""), "offered before anything shipped");
        Map<String, String> statusForm = vendor.hidden("status"); // kept, to post by hand once it is not offered
        assertEquals(303, ship(vendor, ref, "40", "0", "JD0101", null).statusCode());
        vendor.open("/orders/" + ref);
        assertFalse(vendor.lastPage().contains("<option value=\"DELIVERED\""), vendor.lastPage());
        assertFalse(vendor.lastPage().contains("<option value=\"DISPATCHED\""), "dispatched when all of it is");
        Response refused = vendor.submitWith(statusForm, ref, "status", Map.of("status", "DELIVERED"));
        assertEquals(422, refused.statusCode());
        assertTrue(refused.asString().contains("Part of this order is still to ship (2 of its lines)"),
                refused.asString());
        Response notDispatched = vendor.submitWith(statusForm, ref, "status", Map.of("status", "DISPATCHED"));
        assertEquals(422, notDispatched.statusCode());
        assertTrue(notDispatched.asString().contains("so it cannot be marked dispatched yet"),
                notDispatched.asString());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.not(org.hamcrest.Matchers.equalTo("DELIVERED")));
        vendor.open("/orders/" + ref);
        assertTrue(vendor.lastPage().contains("id=\"ship\""), "the rest can still ship");

        String other = uniqueReference();
        PortalClient byStatus = new PortalClient(order(other));
        byStatus.open("/orders/" + other);
        assertEquals(303, byStatus.submit(other, "status", Map.of("status", "DELIVERED")).statusCode());
        byStatus.open("/orders/" + other);
        assertFalse(byStatus.lastPage().contains("to ship"),
                "a closed order has nothing to ship: " + byStatus.lastPage());
    }

    /**
     * An order amended down to what has shipped: everything has left, so "Preparing" is no longer offered, and posted
     * by hand it is refused in the vendor's language (staff would read "Preparing" over goods on their way).
     */
    @Test
    void anOrderAmendedDownToWhatShippedIsNoLongerPrepared() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "40", "0", "JD0102", null).statusCode());
        Map<String, Object> amended = Map.of("reference", ref, "vendor",
                Map.of("name", "Acme Fasteners Ltd", "email", "ship-" + ref.toLowerCase() + "@vendor.example"),
                "deliveryAddress", "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "40", "unit", "pcs",
                        "unitPrice", "0.12", "currency", "GBP")));
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .header("If-Match", "\"1\"").body(amended).put("/api/v1/purchase-orders/" + ref).then().statusCode(200);
        vendor.open("/orders/" + ref);
        assertFalse(vendor.lastPage().contains("<option value=\"PREPARING\""), vendor.lastPage());
        Response refused = vendor.submit(ref, "status", Map.of("status", "PREPARING"));
        assertEquals(422, refused.statusCode());
        assertTrue(
                refused.asString()
                        .contains("Everything on this order has shipped, so it is no longer being" + " prepared"),
                refused.asString());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.equalTo("DISPATCHED"))
                .body("timeline.findAll { it.type == 'STATUS' }.detail",
                        org.hamcrest.Matchers.hasItem("Confirmed → Dispatched (amended to what has shipped)"));
    }

    /**
     * An order amended down to what was shipped and has since been delivered is delivered: it closes as if its last
     * shipment had arrived, instead of staying open with nothing left to ship or to arrive. Amended down to what
     * shipped while a shipment is still on its way, it is dispatched and closes when that shipment is delivered.
     */
    @Test
    void anOrderAmendedDownToWhatWasDeliveredIsDelivered() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "100", "0", "JD0111", null).statusCode());
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "0", "3", "JD0112", null).statusCode());
        List<OrderFulfilment.ShipmentView> both = fulfilment(ref).shipments();
        assertEquals(2, both.size());
        shipments.changeStage(tenant.id(), both.get(0).id(), "Delivered", ShipmentActor.system());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.equalTo("ACKNOWLEDGED"));

        // the racks still owed are struck down to the 3 shipped: everything has left, one parcel is still on its way
        amendRacks(ref, "1", "3");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.equalTo("DISPATCHED"));
        shipments.changeStage(tenant.id(), both.get(1).id(), "Delivered", ShipmentActor.system());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.equalTo("DELIVERED"));

        String other = uniqueReference();
        PortalClient second = new PortalClient(order(other));
        second.open("/orders/" + other);
        assertEquals(303, ship(second, other, "100", "2", "JD0113", null).statusCode());
        for (var s : fulfilment(other).shipments()) {
            shipments.changeStage(tenant.id(), s.id(), "Delivered", ShipmentActor.system());
        }
        amendRacks(other, "1", "2");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + other).then()
                .body("status", org.hamcrest.Matchers.equalTo("DELIVERED"))
                .body("timeline.findAll { it.type == 'STATUS' }.detail",
                        org.hamcrest.Matchers.hasItem("Dispatched → Delivered"));
        second.open("/orders/" + other);
        assertFalse(second.lastPage().contains("id=\"ship\""), "nothing left to ship: " + second.lastPage());
    }

    /** Amends the two-line order of {@link #order} so that it owes this many racks (revision {@code revision}). */
    private void amendRacks(String ref, String revision, String racks) {
        Map<String, Object> amended = Map.of("reference", ref, "vendor",
                Map.of("name", "Acme Fasteners Ltd", "email", "ship-" + ref.toLowerCase() + "@vendor.example"),
                "deliveryAddress", "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "100", "unit", "pcs",
                        "unitPrice", "0.12", "currency", "GBP"),
                        Map.of("sku", "PAL-1", "description", "Pallet rack", "quantity", racks, "unit", "pcs",
                                "unitPrice", "950.00", "currency", "GBP")));
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .header("If-Match", "\"" + revision + "\"").body(amended).put("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200);
    }

    /**
     * Shipping part of an order the vendor never confirmed is its answer: the order is confirmed (the buyer's queue and
     * the reminders stop waiting for one; the timeline says how), its page no longer offers "Confirm" or "Decline", and
     * a decline posted from the page opened before is refused in the vendor's language, the order left as it was.
     */
    @Test
    void shippingPartOfAnUnconfirmedOrderConfirmsItAndItIsNoLongerDeclined() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertTrue(vendor.offers("confirm") && vendor.offers("decline"), "offered before anything shipped");
        Map<String, String> declineForm = vendor.hidden("decline");
        assertEquals(303, ship(vendor, ref, "40", "0", "JD0202", null).statusCode());

        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.equalTo("ACKNOWLEDGED"))
                .body("timeline.findAll { it.type == 'CONFIRMED' }.detail",
                        org.hamcrest.Matchers.contains(org.hamcrest.Matchers.startsWith("by shipping ")));
        vendor.open("/orders/" + ref);
        assertFalse(vendor.offers("confirm"), "confirmed by the shipment");
        assertFalse(vendor.offers("decline"), "goods have left");
        assertTrue(vendor.lastPage().contains("id=\"ship\""), "the rest can still ship");

        Response refused = vendor.submitWith(declineForm, ref, "decline", Map.of("reason", "no stock"));
        assertEquals(422, refused.statusCode());
        assertTrue(refused.asString().contains("Part of this order has already shipped, so it can no longer be declined"
                + " here. If you cannot supply the rest, please send"), refused.asString());
        assertTrue(refused.asString().contains(">no stock</textarea>"),
                "the reason waits in the note to the buyer, which the refusal points to: " + refused.asString());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.equalTo("ACKNOWLEDGED"));
    }

    /**
     * The vendor marks a shipped order delivered: its shipments are delivered with it, so the customer's tracking page
     * and milestone mails follow what the vendor reported, and nothing is left "dispatched" behind a closed order.
     */
    @Test
    void anOrderTheVendorMarksDeliveredDeliversItsShipments() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "40", "8", "JD0301", null).statusCode());
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "60", "0", "JD0302", null).statusCode());
        assertTrue(fulfilment(ref).shipments().stream().noneMatch(OrderFulfilment.ShipmentView::delivered));

        assertEquals(303, vendor.act(ref, "status", Map.of("status", "DELIVERED")).statusCode());
        OrderFulfilment after = fulfilment(ref);
        assertEquals(2, after.shipments().size());
        assertTrue(after.shipments().stream().allMatch(OrderFulfilment.ShipmentView::delivered), after.toString());
        for (var shipment : after.shipments()) {
            given().header("Authorization", "Bearer " + tenant.apiKey())
                    .get("/api/v1/shipments/" + shipment.reference()).then().statusCode(200)
                    .body("stage.milestone", org.hamcrest.Matchers.equalTo("DELIVERED"));
        }
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.equalTo("DELIVERED"));
    }

    /**
     * Two tabs: one ships everything with the ship form while the other still shows the short tracking form drawn to
     * ship everything. That form, sent afterwards, no longer fits ("changed meanwhile"): applied, it would have
     * replaced the tracking number of the parcel the first tab recorded. A form drawn after that, to correct the
     * shipment, does correct it, and the timeline says from what.
     */
    @Test
    void anOldTabsTrackingFormDoesNotOverwriteAParcelShippedMeanwhile() {
        String ref = uniqueReference();
        String link = order(ref);
        PortalClient shipping = new PortalClient(link);
        PortalClient old = new PortalClient(link);
        old.open("/orders/" + ref);
        Map<String, String> shipAll = old.hidden("tracking");
        shipping.open("/orders/" + ref);
        assertEquals(303, ship(shipping, ref, "100", "8", "1Z999AA10123456784", null).statusCode());

        Response refused = old.submitWith(shipAll, ref, "tracking",
                Map.of("carrier", "DHL", "trackingNumber", "JD014600003828392"));
        assertEquals(409, refused.statusCode());
        assertTrue(refused.asString().contains("Everything on this order has shipped meanwhile, so this form would"
                + " change the tracking of shipment " + ref + "-1"), refused.asString());
        assertEquals("1Z999AA10123456784", fulfilment(ref).shipments().get(0).trackingNumber(), "nothing overwritten");

        old.open("/orders/" + ref);
        assertTrue(old.lastPage().contains("name=\"corrects\" value=\"" + ref + "-1\""), old.lastPage());
        assertEquals(303, old.submit(ref, "tracking", Map.of("carrier", "UPS", "trackingNumber", "1Z999AA10123456785"))
                .statusCode());
        assertEquals("1Z999AA10123456785", fulfilment(ref).shipments().get(0).trackingNumber());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("timeline.findAll { it.type == 'TRACKING' }.detail", org.hamcrest.Matchers
                        .hasItem(ref + "-1: UPS 1Z999AA10123456785 (corrected from DHL 1Z999AA10123456784)"));
    }

    /**
     * A tab drawn while nothing had shipped offers "ship everything under this tracking number"; another tab ships part
     * meanwhile. The old form must not put the rest under its number as if it were everything: it is "changed
     * meanwhile", the page shows the parcel and the ship form, and nothing more ships.
     */
    @Test
    void anOldTabsShipEverythingFormDoesNotShipTheRestAfterAPartShipped() {
        String ref = uniqueReference();
        String link = order(ref);
        PortalClient shipping = new PortalClient(link);
        PortalClient old = new PortalClient(link);
        old.open("/orders/" + ref);
        assertTrue(old.lastPage().contains("id=\"tracking-ships-all\""), "the short form ships everything");
        Map<String, String> shipAll = old.hidden("tracking");
        shipping.open("/orders/" + ref);
        assertEquals(303, ship(shipping, ref, "40", "0", "1Z999AA10123456784", null).statusCode());

        Response refused = old.submitWith(shipAll, ref, "tracking",
                Map.of("carrier", "DHL", "trackingNumber", "JD014600003828392"));
        assertEquals(409, refused.statusCode());
        assertTrue(refused.asString().contains("Part of this order has shipped meanwhile, as shipment " + ref + "-1"),
                refused.asString());
        assertTrue(refused.asString().contains("value=\"JD014600003828392\""), "what was typed is kept");
        OrderFulfilment after = fulfilment(ref);
        assertEquals(1, after.shipments().size(), "nothing more shipped");
        assertEquals("60", after.lines().get(0).remaining());
    }

    /**
     * The vendor reloads the page and sends the same parcel again (same carrier, tracking number and quantities): one
     * shipment, not two; the same tracking number with other quantities is another part of the order.
     */
    @Test
    void theSameParcelSentAgainFromAReloadedPageIsNotASecondShipment() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "40", "0", "JD0077", null).statusCode());
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "40", "0", "JD0077", null).statusCode());
        OrderFulfilment after = fulfilment(ref);
        assertEquals(1, after.shipments().size(), "the same parcel once");
        assertEquals("60", after.lines().get(0).remaining());

        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "0", "2", "JD0077", null).statusCode());
        assertEquals(2, fulfilment(ref).shipments().size(), "other lines under the same number are recorded");
    }

    @Test
    void overShippingIsRefusedNamingTheLineAndNothingIsWritten() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        Response refused = ship(vendor, ref, "101", "2", "JD0003", null);
        assertEquals(422, refused.statusCode());
        String page = refused.asString();
        assertTrue(page.contains("Line 1 (Hex bolt M8): 101 is more than the 100 still to ship"), page);
        assertTrue(page.contains("id=\"reference\""), "the order page again, not an error page");
        // the form shows what was typed, not its defaults: mending the one line must not ship all that is left
        assertTrue(
                page.contains("id=\"quantity-1\" name=\"quantity\" min=\"0\" step=\"any\" max=\"100\" value=\"101\""),
                page);
        assertTrue(page.contains("id=\"quantity-2\" name=\"quantity\" min=\"0\" step=\"any\" max=\"8\" value=\"2\""),
                page);
        assertTrue(page.contains("name=\"carrier\" maxlength=\"100\" value=\"DHL\""), page);
        assertTrue(page.contains("name=\"trackingNumber\" maxlength=\"100\" required value=\"JD0003\""), page);
        assertTrue(page.contains("name=\"shipDate\" value=\"" + today() + "\""), page);
        // as text, escaped: what was typed cannot close the attribute
        vendor.open("/orders/" + ref);
        String echoed = ship(vendor, ref, "101", "2", "JD\"><b>x", null).asString();
        assertTrue(echoed.contains("required value=\"JD&quot;&gt;&lt;b&gt;x\""), echoed);
        assertFalse(echoed.contains("JD\"><b>x"), echoed);
        OrderFulfilment after = fulfilment(ref);
        assertEquals(FulfilmentStatus.NOT_SHIPPED, after.status(), "all or nothing: line 2 was not shipped either");
        assertTrue(after.shipments().isEmpty());

        Response nonsense = ship(vendor, ref, "ten", "-1", "JD0003", null);
        assertEquals(422, nonsense.statusCode());
        assertTrue(nonsense.asString().contains("Line 1 (Hex bolt M8): “ten” is not a quantity"));
        assertTrue(nonsense.asString().contains("Line 2 (Pallet rack): “-1” is not a quantity"));

        assertEquals(422, ship(vendor, ref, "0", "0", "JD0003", null).statusCode(), "nothing to ship");
        // a number with an exponent, which a browser's number field takes and sends as typed, is refused with the
        // number written out; one past 4 decimals is no quantity
        assertTrue(ship(vendor, ref, "1e1", "0", "JD0003", null).asString()
                .contains("Line 1 (Hex bolt M8): “1e1” is written with an exponent. Please write the number out: 10."));
        String exponent = ship(vendor, ref, "1E-4", "0", "JD0003", null).asString();
        assertTrue(exponent.contains(
                "Line 1 (Hex bolt M8): “1E-4” is written with an exponent. Please write the number out: 0.0001."));
        assertFalse(exponent.contains("Please enter a quantity above 0"), "a quantity was entered: " + exponent);
        assertTrue(ship(vendor, ref, "1e-5", "0", "JD0003", null).asString()
                .contains("Line 1 (Hex bolt M8): “1e-5” is not a quantity"));
        // one mark and three digits after it reads as 1 or as 1000: asked, never guessed (a hand-made post, or a
        // browser that sends what was typed); "0.250" can only be a decimal
        String ambiguous = ship(vendor, ref, "1,000", "2.500", "JD0003", null).asString();
        assertTrue(ambiguous.contains("Line 1 (Hex bolt M8): is “1,000” 1 or 1000? Please type it without a thousands"
                + " separator: 1 or 1000."), ambiguous);
        assertTrue(ambiguous.contains("Line 2 (Pallet rack): is “2.500” 2.5 or 2500?"), ambiguous);
        assertTrue(fulfilment(ref).shipments().isEmpty());
        // a ship date more than a year back is a date, and the page says what is wrong with it
        Map<String, String> hidden = vendor.hidden("ship");
        String old = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).minusYears(2).toString();
        Response tooOld = given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", hidden.get("nonce"))
                .formParam("version", hidden.get("version")).formParam("line", "1").formParam("quantity", "1")
                .formParam("carrier", "DHL").formParam("trackingNumber", "JD0003").formParam("shipDate", old)
                .post(vendor.link() + "/orders/" + ref + "/ship");
        assertEquals(422, tooOld.statusCode());
        assertTrue(tooOld.asString().contains("is more than a year ago"), tooOld.asString());
        assertTrue(fulfilment(ref).shipments().isEmpty());

        // the same form twice (double click, retry): one shipment, the second is "already saved"
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "10", "0", "JD0004", null).statusCode());
        Response again = ship(vendor, ref, "10", "0", "JD0004", null);
        assertEquals(303, again.statusCode());
        assertTrue(again.getHeader("Location").contains("saved=ALREADY"));
        assertEquals(1, fulfilment(ref).shipments().size());
    }

    @Test
    void refusalsAreInTheVendorsLanguage() {
        tenant = fixtures.tenant("DE");
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        Response refused = ship(vendor, ref, "5", "9", "JD0005", null);
        assertEquals(422, refused.statusCode());
        assertTrue(refused.asString().contains("Position 2 (Pallet rack): 9 ist mehr als die noch offenen 8"),
                refused.asString());
        // the number to type instead of an exponent, with the German decimal comma and no grouping
        vendor.open("/orders/" + ref);
        assertTrue(ship(vendor, ref, "1e-4", "0", "JD0005", null).asString().contains(
                "Position 1 (Hex bolt M8): „1e-4“ ist mit Exponent geschrieben. Bitte schreiben Sie die Zahl aus: 0,0001."));
        vendor.open("/orders/" + ref);
        assertTrue(ship(vendor, ref, "1.000", "0", "JD0005", null).asString()
                .contains("Position 1 (Hex bolt M8): Ist „1.000“ 1 oder 1000?"));
        vendor.open("/orders/" + ref);
        assertTrue(ship(vendor, ref, "1e4", "0", "JD0005", null).asString()
                .contains("„1e4“ ist mit Exponent geschrieben. Bitte schreiben Sie die Zahl aus: 10000."));
        // a part shipped: the header says so in German, no longer "Ausstehend"
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "5", "0", "JD0005", null).statusCode());
        vendor.open("/orders/" + ref);
        assertTrue(vendor.lastPage().contains("id=\"status\">Teilweise versandt</span>"), vendor.lastPage());
    }

    /** Posts the ship form with the line and quantity fields as given, in that order. */
    private Response shipRaw(PortalClient vendor, String reference, List<String> lines, List<String> quantities) {
        Map<String, String> hidden = vendor.hidden("ship");
        return given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", hidden.get("nonce"))
                .formParam("version", hidden.get("version")).formParam("line", lines.toArray())
                .formParam("quantity", quantities.toArray()).formParam("carrier", "DHL")
                .formParam("trackingNumber", "JD0009").formParam("shipDate", today())
                .post(vendor.link() + "/orders/" + reference + "/ship");
    }

    @Test
    void aFormWithALineTwiceOrLinesWithoutQuantitiesIsRefusedInTheVendorsLanguage() {
        tenant = fixtures.tenant("DE");
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);

        // line 1 twice with 6 each: neither 6 nor 12 is what the vendor meant
        Response twice = shipRaw(vendor, ref, List.of("1", "1"), List.of("6", "6"));
        assertEquals(422, twice.statusCode());
        assertTrue(twice.asString().contains("Das Formular enthielt Position 1 mehr als einmal"), twice.asString());
        assertTrue(twice.asString().contains("id=\"reference\""), "the order page again");

        // two lines, one quantity: line 2 would silently ship nothing
        Response unmatched = shipRaw(vendor, ref, List.of("1", "2"), List.of("1"));
        assertEquals(422, unmatched.statusCode());
        assertTrue(unmatched.asString().contains("Das Formular enthielt 2 Positionsnummern, aber 1 Mengen"),
                unmatched.asString());

        // a line the order does not have: named, not dropped
        for (String line : List.of("99", "abc")) {
            Response unknown = shipRaw(vendor, ref, List.of("1", line), List.of("1", "1"));
            assertEquals(422, unknown.statusCode());
            assertTrue(
                    unknown.asString().contains(
                            "Das Formular enthielt Position " + line + ", die diese Bestellung" + " nicht hat"),
                    unknown.asString());
        }
        // only a line the order does not have: that is what to mend, not "enter a quantity above 0"
        Response onlyUnknown = shipRaw(vendor, ref, List.of("99"), List.of("5"));
        assertEquals(422, onlyUnknown.statusCode());
        assertTrue(onlyUnknown.asString().contains("Das Formular enthielt Position 99, die diese Bestellung nicht hat"),
                onlyUnknown.asString());
        assertFalse(onlyUnknown.asString().contains("eine Menge über 0"), onlyUnknown.asString());

        OrderFulfilment after = fulfilment(ref);
        assertEquals(FulfilmentStatus.NOT_SHIPPED, after.status(), "nothing shipped");
        assertTrue(after.shipments().isEmpty());

        // the page's own form still ships
        vendor.open("/orders/" + ref);
        assertEquals(303, shipRaw(vendor, ref, List.of("1", "2"), List.of("6", "0")).statusCode());
        assertEquals(1, fulfilment(ref).shipments().size());
    }

    @Test
    void twoTabsShippingAtOnceNeverOverShip() throws Exception {
        Databases.assumePostgres(dataSource, "races are run on PostgreSQL, the production database");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int n = 0; n < 3; n++) {
                int round = n;
                String ref = uniqueReference();
                String link = order(ref);
                PortalClient a = new PortalClient(link);
                PortalClient b = new PortalClient(link);
                a.open("/orders/" + ref);
                b.open("/orders/" + ref);
                List<Response> results = Races.together(pool, () -> ship(a, ref, "60", "5", "TAB-A" + round, null),
                        () -> ship(b, ref, "60", "5", "TAB-B" + round, null));
                List<Integer> codes = new ArrayList<>(results.stream().map(Response::statusCode).toList());
                codes.sort(null);
                assertEquals(303, codes.get(0), "one tab ships");
                assertNotEquals(500, codes.get(1));
                assertTrue(codes.get(1) == 409 || codes.get(1) == 422, "the other is told, on the order page");
                Response loser = results.stream().filter(r -> r.statusCode() != 303).findFirst().orElseThrow();
                assertTrue(loser.asString().contains("more than the 40 still to ship"), loser.asString());
                OrderFulfilment f = fulfilment(ref);
                assertEquals(1, f.shipments().size());
                assertEquals("40", f.lines().get(0).remaining());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A vendor correcting tracking takes the order's lock, then the shipment's; a delivery takes the shipment's, and
     * the order is only told after that commit. Both at once, five times: no error, the correction kept, the order
     * delivered.
     */
    @Test
    void correctingTrackingWhileTheShipmentIsDeliveredNeverFails() throws Exception {
        Databases.assumePostgres(dataSource, "races are run on PostgreSQL, the production database");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int n = 0; n < 5; n++) {
                String ref = uniqueReference();
                PortalClient vendor = new PortalClient(order(ref));
                vendor.open("/orders/" + ref);
                assertEquals(303, ship(vendor, ref, "100", "8", "RACE-1", null).statusCode());
                vendor.open("/orders/" + ref);
                long shipmentId = fulfilment(ref).shipments().get(0).id();
                String corrected = "RACE-FIX-" + n;
                List<Object> results = Races.together(pool,
                        () -> vendor.submit(ref, "tracking", Map.of("carrier", "UPS", "trackingNumber", corrected)),
                        () -> shipments.changeStage(tenant.id(), shipmentId, "Delivered", ShipmentActor.system())
                                .isPresent());
                Response correction = (Response) results.get(0);
                assertEquals(true, results.get(1), "the delivery is recorded");
                OrderFulfilment f = fulfilment(ref);
                String location = correction.getHeader("Location");
                if (correction.statusCode() == 303 && !location.endsWith("saved=CHANGED")) {
                    assertEquals(corrected, f.shipments().get(0).trackingNumber(), "the correction is kept");
                } else {
                    // the delivery came first: the vendor's form is out of date and the page says so (drawn afresh,
                    // or a redirect to it with the "changed meanwhile" notice); nothing half-written
                    assertTrue(correction.statusCode() == 409 || correction.statusCode() == 303,
                            correction.statusCode() + " " + correction.asString());
                    assertEquals("RACE-1", f.shipments().get(0).trackingNumber());
                }
                assertEquals(FulfilmentStatus.DELIVERED, f.status());
                given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref)
                        .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("DELIVERED"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Transactional
    void showVendorName(boolean show) {
        ShipmentSettings.<ShipmentSettings> findById(tenant.id()).showVendorName = show;
    }

    /**
     * End to end: the vendor ships on /v/ → the shipment is dispatched → its /t/ link shows the tracking number, and
     * nothing of the purchase order beyond the allow-list (no price; no vendor name until the organisation allows it).
     */
    @Test
    void vendorShipsAndTheCustomersPageShowsTheTrackingNumber() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "100", "8", "JD0146000777", null).statusCode());
        var shipment = fulfilment(ref).shipments().get(0);
        assertEquals(Milestone.DISPATCHED, shipment.milestone());

        String url = tracking.create(tenant.id(), shipment.id(), null, ShipmentActor.system()).orElseThrow().url();
        String path = url.substring(url.indexOf("/t/"));
        String page = given().header("User-Agent", PortalClient.BROWSER).get(path).then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("JD0146000777"), "the tracking number");
        assertTrue(page.contains("DHL"), "the carrier");
        // the prices as the order has them (a bare "950" could be part of a random token or a time on the page)
        assertFalse(page.contains("950.00") || page.contains("950,00") || page.contains("GBP") || page.contains("£"),
                "no price");
        assertFalse(page.contains("Acme Fasteners"), "no vendor name by default");
        assertFalse(page.contains("BOLT-8") || page.contains("Hex bolt"), "no order lines");

        showVendorName(true);
        String shown = given().header("User-Agent", PortalClient.BROWSER).get(path).then().statusCode(200).extract()
                .asString();
        assertTrue(shown.contains("Acme Fasteners Ltd"), "the vendor's name, once the organisation allows it");
    }

    /** Staff turn the sender's name on and off on the live-tracking settings page; the customer's page follows. */
    @Test
    void staffAllowTheVendorsNameOnTheTrackingPage() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "100", "8", "JD0146000888", null).statusCode());
        var shipment = fulfilment(ref).shipments().get(0);
        String url = tracking.create(tenant.id(), shipment.id(), null, ShipmentActor.system()).orElseThrow().url();
        String path = url.substring(url.indexOf("/t/"));

        var staff = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String settings = given().filter(staff).get("/app/admin/pipelines").then().statusCode(200).extract().asString();
        assertTrue(settings.contains("Show the sender's (vendor's) name on the customer's tracking page"));
        assertFalse(settings.matches("(?s).*id=\"show-vendor-name\"[^>]* checked.*"), "off by default");
        given().header("User-Agent", PortalClient.BROWSER).get(path).then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Acme Fasteners")));

        io.portlink.testing.StaffClient
                .postForm(staff, "/app/admin/pipelines", "/app/admin/pipelines/vendor-name", "on", "yes")
                .statusCode(303);
        assertTrue(given().filter(staff).get("/app/admin/pipelines").asString()
                .matches("(?s).*id=\"show-vendor-name\"[^>]* checked.*"), "shown ticked");
        given().header("User-Agent", PortalClient.BROWSER).get(path).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("id=\"sender\">Acme Fasteners Ltd"));

        // the box unticked sends nothing: off again
        io.portlink.testing.StaffClient.postForm(staff, "/app/admin/pipelines", "/app/admin/pipelines/vendor-name")
                .statusCode(303);
        given().header("User-Agent", PortalClient.BROWSER).get(path).then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Acme Fasteners")));
    }
}
