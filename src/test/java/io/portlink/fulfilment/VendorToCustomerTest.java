package io.portlink.fulfilment;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.shipment.Milestone;
import io.portlink.shipment.MilestoneRules;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentTriggered;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Races;
import io.portlink.testing.Smtp;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * One order, two audiences: the order's consignee becomes the customer of the shipments its vendor creates on
 * {@code /v/}, so the organisation's milestone rules mail the receiving side in its language with a {@code /t/} link
 * that shows carrier and tracking number and nothing of the purchase order (no prices, no vendor); the vendor never
 * sees the consignee. Once every line is shipped and every shipment delivered, the order is delivered, once. H2 and
 * PostgreSQL.
 */
@QuarkusTest
class VendorToCustomerTest {

    private static final Pattern LINK = Pattern.compile(Pattern.quote(Fixtures.BASE_URL) + "(/t/pt_[A-Za-z0-9_-]{43})");

    @Inject
    Fixtures fixtures;

    @Inject
    Fulfilments fulfilments;

    @Inject
    Shipments shipments;

    @Inject
    MilestoneRules rules;

    @Inject
    Pipelines pipelines;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    Event<ShipmentTriggered> triggered;

    @Inject
    DataSource dataSource;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    /**
     * A two-line order (100 bolts at 0.12 GBP, 8 racks at 950.00 GBP) from "Acme Fasteners Ltd" for the consignee
     * (null: none); its vendor link path.
     */
    private String order(String reference, Map<String, String> consignee) {
        Map<String, Object> body = new HashMap<>(Map.of("reference", reference, "vendor",
                Map.of("name", "Acme Fasteners Ltd", "email", "v-" + reference.toLowerCase() + "@vendor.example"),
                "deliveryAddress", "1 Dock Road\nLondon", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "100", "unitPrice", "0.12",
                        "currency", "GBP"),
                        Map.of("sku", "PAL-1", "description", "Pallet rack", "quantity", "8", "unitPrice", "950.00",
                                "currency", "GBP"))));
        if (consignee != null) {
            body.put("consignee", consignee);
        }
        String url = Fixtures.post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    /** Posts the ship form of the page the vendor last opened (nonce and version from it). */
    private Response ship(PortalClient vendor, String reference, String bolts, String racks, String tracking) {
        Map<String, String> hidden = vendor.hidden("ship");
        return given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", hidden.get("nonce"))
                .formParam("version", hidden.get("version")).formParam("line", "1", "2")
                .formParam("quantity", bolts, racks).formParam("carrier", "DHL").formParam("trackingNumber", tracking)
                .formParam("shipDate", LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString())
                .formParam("expectedDelivery", "").post(vendor.link() + "/orders/" + reference + "/ship");
    }

    private long stage(String name) {
        return pipelines.list(tenant.id()).stream().filter(Pipelines.PipelineView::isDefault).findFirst().orElseThrow()
                .stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().id();
    }

    private OrderFulfilment fulfilment(String reference) {
        return fulfilments.forStaff(tenant.id(), reference).orElseThrow();
    }

    @Test
    void theVendorShipsAndTheConsigneeIsMailedInTheirLanguageWithATrackingLink() throws Exception {
        GreenMail smtp = Smtp.fresh();
        fixtures.settleOutbox();
        rules.create(tenant.id(), new MilestoneRules.RuleInput("STAGE_REACHED", "" + stage("Dispatched"), true, null));
        String ref = uniqueReference();
        String email = "camille-" + System.nanoTime() + "@client.example";
        PortalClient vendor = new PortalClient(order(ref,
                Map.of("name", "Camille Martin", "email", email, "phone", "+33 1 44 55 66 77", "language", "FR")));

        vendor.open("/orders/" + ref);
        String vendorPage = vendor.lastPage();
        assertFalse(vendorPage.contains("Camille") || vendorPage.contains(email) || vendorPage.contains("44 55 66"),
                "the vendor never sees the consignee");
        assertEquals(303, ship(vendor, ref, "100", "8", "JD0146000999").statusCode());

        var shipped = fulfilment(ref).shipments().get(0);
        assertEquals(Milestone.DISPATCHED, shipped.milestone(), "the vendor's ship dispatched the shipment");
        var customer = QuarkusTransaction.requiringNew().call(() -> {
            Shipment s = Shipment.findById(shipped.id());
            return List.of(s.customerName, s.customerEmail, s.customerPhone, s.customerLanguage);
        });
        assertEquals(List.of("Camille Martin", email, "+33 1 44 55 66 77", "fr"), customer,
                "the consignee is the shipment's customer");

        Smtp.deliver(delivery, clock);
        var received = Smtp.mailsTo(smtp, email);
        assertEquals(1, received.length, "one mail to the consignee, nobody typed anything");
        assertTrue(received[0].getSubject().startsWith("Votre envoi «\u00a0Livraison 1\u00a0»"),
                received[0].getSubject());
        String body = GreenMailUtil.getBody(received[0]);
        assertTrue(body.contains("Bonjour Camille Martin"), body);
        // the purchase order is the buyer's business with the vendor: its reference reaches the consignee nowhere
        assertFalse(received[0].getSubject().contains(ref) || body.replace("=\r\n", "").contains(ref), body);
        // prices as any format would write them (a bare "950" could be part of the random token in the link)
        assertFalse(body.contains("Acme") || body.contains("950.00") || body.contains("950,00") || body.contains("GBP")
                || body.contains("£"), "no vendor, no price in the mail");
        Matcher m = LINK.matcher(body.replace("=\r\n", "").replace("=3D", "="));
        assertTrue(m.find(), "the mail carries a tracking link: " + body);

        String page = given().header("User-Agent", PortalClient.BROWSER).get(m.group(1)).then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("JD0146000999"), "the tracking number");
        assertTrue(page.contains("DHL"), "the carrier");
        assertFalse(page.contains("950.00") || page.contains("950,00") || page.contains("GBP") || page.contains("£"),
                "no price, no line prices");
        assertFalse(page.contains("Hex bolt") || page.contains("BOLT-8"), "no order lines");
        assertFalse(page.contains("Acme Fasteners"), "no vendor name");
        assertTrue(page.contains("<h1 id=\"title\">Livraison 1</h1>"), page);
        assertFalse(page.contains(ref), "no purchase order reference on the customer's page");

        vendor.open("/orders/" + ref);
        assertFalse(vendor.lastPage().contains("Camille") || vendor.lastPage().contains(email),
                "still nothing of the consignee after shipping");

        var staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String orderPage = given().filter(staff).get("/app/orders/" + ref).then().statusCode(200).extract().asString();
        assertTrue(
                orderPage.contains(
                        "<dd id=\"consignee\">Camille Martin &lt;" + email + "&gt; · +33 1 44 55 66 77 · fr</dd>"),
                orderPage);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).body("consignee.email", Matchers.equalTo(email))
                .body("consignee.language", Matchers.equalTo("fr"));
    }

    /** A shipment the vendor ships starts in the pipeline the organisation chose for vendors' shipments. */
    @Test
    void theVendorsShipmentUsesThePipelineChosenForVendorsShipments() {
        var vehicles = pipelines.create(tenant.id(), "Vehicles",
                List.of(new Pipelines.StageInput("Purchased", "BOOKED"),
                        new Pipelines.StageInput("Shipped", "DISPATCHED"),
                        new Pipelines.StageInput("Handed over", "DELIVERED")));
        pipelines.setVendorPipeline(tenant.id(), vehicles.id());
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref, null));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "10", "0", "JD0146001001").statusCode());
        var shipped = shipments.view(tenant.id(), fulfilment(ref).shipments().get(0).id()).orElseThrow();
        assertEquals("Vehicles", shipped.pipelineName());
        assertEquals("Shipped", shipped.stage().name(), "dispatched in the chosen pipeline");
        // none chosen: the default pipeline
        pipelines.setVendorPipeline(tenant.id(), null);
        String other = uniqueReference();
        PortalClient second = new PortalClient(order(other, null));
        second.open("/orders/" + other);
        assertEquals(303, ship(second, other, "10", "0", "JD0146001002").statusCode());
        assertEquals(Pipelines.FREIGHT,
                shipments.view(tenant.id(), fulfilment(other).shipments().get(0).id()).orElseThrow().pipelineName());
    }

    /**
     * A pipeline chosen for vendors' shipments with no dispatched stage: the vendor's shipment is stored, in the
     * pipeline's first stage (staff move it), and the order shows what was shipped. It used to be rolled back while the
     * page said "saved".
     */
    @Test
    void aPipelineWithoutADispatchedStageStillStoresTheVendorsShipment() {
        var noDispatch = pipelines.create(tenant.id(), "No dispatch " + uniqueReference(), List
                .of(new Pipelines.StageInput("Ordered", "BOOKED"), new Pipelines.StageInput("Received", "DELIVERED")));
        pipelines.setVendorPipeline(tenant.id(), noDispatch.id());
        try {
            String ref = uniqueReference();
            PortalClient vendor = new PortalClient(order(ref, null));
            vendor.open("/orders/" + ref);
            Response shipped = ship(vendor, ref, "10", "0", "JD0146001003");
            assertEquals(303, shipped.statusCode());
            assertTrue(shipped.header("Location").contains("saved=SHIP"), shipped.header("Location"));
            var stored = fulfilment(ref).shipments();
            assertEquals(1, stored.size(), "the shipment is stored");
            var view = shipments.view(tenant.id(), stored.get(0).id()).orElseThrow();
            assertEquals("Ordered", view.stage().name(), "left in the first stage for staff to move");
            assertEquals("JD0146001003", view.trackingNumber());
            vendor.open("/orders/" + ref);
            assertTrue(vendor.lastPage().contains("JD0146001003"), "the vendor's page shows the shipment");
        } finally {
            pipelines.setVendorPipeline(tenant.id(), null);
        }
    }

    /**
     * A vendor ships while the consignee's personal data is erased, on PostgreSQL: both take the organisation's row and
     * the order's, in the one lock order, so one waits for the other instead of deadlocking into a 409. The
     * interleaving that deadlocked is forced: a holder locks the order's vendor link, so the vendor's ship holds the
     * order (and now the organisation first) and waits for the link; the erasure starts then, and the holder lets go
     * once both wait. The erasure comes second and also erases the consignee on the shipment the vendor just created.
     */
    @Test
    void aShipmentAndAnErasureOfTheConsigneeAtOnceBothSucceed() throws Exception {
        Databases.assumePostgres(dataSource, "two transactions' row locks at once (pg_stat_activity)");
        String email = "c-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@consignee.example";
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref, Map.of("name", "Camille Martin", "email", email)));
        vendor.open("/orders/" + ref);
        long linkId = QuarkusTransaction.requiringNew().call(() -> {
            long orderId = PurchaseOrder
                    .<PurchaseOrder> find("organization.id = ?1 and reference = ?2", tenant.id(), ref).firstResult().id;
            return io.portlink.link.AccessLink.<io.portlink.link.AccessLink> find("purchaseOrderId", orderId)
                    .firstResult().id;
        });
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Databases.Hold link = Databases.hold(pool, () -> io.portlink.link.AccessLink.findById(linkId,
                    jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
            var shipping = pool.submit(() -> ship(vendor, ref, "100", "8", "JD0146001004"));
            Databases.awaitLockWaits(dataSource, 1);
            var erasure = pool.submit(
                    () -> given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                            .body(Map.of("email", email, "includeOpen", true)).post("/api/v1/personal-data/erasures"));
            Databases.awaitLockWaits(dataSource, 2);
            link.close();

            Response shipped = shipping.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(303, shipped.statusCode(), shipped.body().asString());
            assertTrue(shipped.header("Location").contains("saved=SHIP"), shipped.header("Location"));
            Response erased = erasure.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(201, erased.statusCode(), erased.body().asString());
            long shipment = fulfilment(ref).shipments().get(0).id();
            assertNull(
                    QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(shipment).customerEmail),
                    "the shipment's customer was erased too");
            assertNull(QuarkusTransaction.requiringNew()
                    .call(() -> PurchaseOrder
                            .<PurchaseOrder> find("organization.id = ?1 and reference = ?2", tenant.id(), ref)
                            .firstResult().consigneeEmail));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOrderWithoutAConsigneeShipsWithoutACustomer() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref, null));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "10", "0", "JD0146001000").statusCode());
        long id = fulfilment(ref).shipments().get(0).id();
        assertNull(QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(id).customerEmail));
    }

    @Test
    void aBadConsigneeIsRefusedNamingEachField() {
        Map<String, Object> body = Map.of("reference", uniqueReference(), "vendor", Map.of("name", "Acme"), "lines",
                List.of(Map.of("sku", "X", "quantity", "1")), "consignee",
                Map.of("email", "not-an-address", "phone", "call me", "language", "it"));
        Fixtures.post(tenant.apiKey(), body).statusCode(422).body("errors.field",
                Matchers.hasItems("consignee.email", "consignee.phone", "consignee.language"));
        String openApi = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertTrue(openApi.contains("ConsigneeInput") && openApi.contains("consignee_email"),
                "the consignee is documented for the JSON body and the CSV columns");
    }

    private List<String> deliveredEntries(String ref) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).extract().<List<String>> path("timeline.detail").stream()
                .filter(d -> d != null && d.endsWith("→ Delivered")).toList();
    }

    private String status(String ref) {
        return QuarkusTransaction.requiringNew()
                .call(() -> PurchaseOrder.findByReference(tenant.id(), ref).orElseThrow().status.name());
    }

    @Test
    void theOrderIsDeliveredOnceWhenEverythingIsShippedAndDelivered() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(order(ref, Map.of("email", "site-" + System.nanoTime() + "@c.example")));
        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "40", "0", "JD-A").statusCode());
        long first = fulfilment(ref).shipments().get(0).id();
        shipments.changeStage(tenant.id(), first, "Delivered", ShipmentActor.system());
        assertFalse(status(ref).equals("DELIVERED"), "a backorder remains: not delivered");

        vendor.open("/orders/" + ref);
        assertEquals(303, ship(vendor, ref, "60", "8", "JD-B").statusCode());
        long second = fulfilment(ref).shipments().get(1).id();
        shipments.changeStage(tenant.id(), second, "In transit", ShipmentActor.system());
        assertEquals("DISPATCHED", status(ref), "all shipped, one still on its way");

        shipments.changeStage(tenant.id(), second, "Delivered", ShipmentActor.system());
        assertEquals("DELIVERED", status(ref), "everything shipped and delivered");
        assertEquals(FulfilmentStatus.DELIVERED, fulfilment(ref).status());
        assertNotNull(
                QuarkusTransaction.requiringNew()
                        .call(() -> PurchaseOrder.findByReference(tenant.id(), ref).orElseThrow().closedAt),
                "closed, as the vendor's own delivered closes it");
        assertEquals(1, deliveredEntries(ref).size());

        // a correction back and forward again, and the event repeated (a retry): still once
        shipments.changeStage(tenant.id(), second, "In transit", ShipmentActor.system());
        shipments.changeStage(tenant.id(), second, "Delivered", ShipmentActor.system());
        for (int i = 0; i < 2; i++) {
            QuarkusTransaction.requiringNew().run(() -> triggered.fire(new ShipmentTriggered(tenant.id(), second,
                    ShipmentTriggered.Trigger.DELIVERED, stage("Delivered"), ShipmentActor.system())));
        }
        assertEquals(1, deliveredEntries(ref).size(), "one delivered entry on the order's timeline");
        assertEquals("DELIVERED", status(ref));
        given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders?status=DELIVERED&q=" + ref).then().statusCode(200)
                .body("items.reference", Matchers.hasItem(ref));
    }

    @Test
    void twoShipmentsDeliveredAtOnceDeliverTheOrder() throws Exception {
        Databases.assumePostgres(dataSource, "races are run on PostgreSQL, the production database");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String ref = uniqueReference();
                PortalClient vendor = new PortalClient(order(ref, null));
                vendor.open("/orders/" + ref);
                assertEquals(303, ship(vendor, ref, "40", "0", "RACE-A" + round).statusCode());
                vendor.open("/orders/" + ref);
                assertEquals(303, ship(vendor, ref, "60", "8", "RACE-B" + round).statusCode());
                var both = fulfilment(ref).shipments();
                Races.together(pool,
                        () -> shipments.changeStage(tenant.id(), both.get(0).id(), "Delivered", ShipmentActor.system()),
                        () -> shipments.changeStage(tenant.id(), both.get(1).id(), "Delivered",
                                ShipmentActor.system()));
                assertEquals("DELIVERED", status(ref), "whichever commits second sees the first");
                assertEquals(1, deliveredEntries(ref).size());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
