package io.portlink.dropship;

import static io.portlink.dropship.SalesOrderFixtures.line;
import static io.portlink.dropship.SalesOrderFixtures.order;
import static io.portlink.dropship.SalesOrderFixtures.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.outbox.WebhookDelivery;
import io.portlink.outbox.Webhooks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.portlink.testing.WebhookReceiver;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The merchant's sales channel hears of each change to a dropshipped sales order once, as a signed webhook delivered to
 * a real local receiver that checks the signature: routed (per supplier, prices only where the connection passes them),
 * changed (ship-to, a line's quantity, a line removed, with each dropshipment's revision), cancelled (the reason) and
 * the supplier's acknowledgement of a revision. A repeat that changes nothing publishes nothing.
 */
@QuarkusTest
class SalesOrderWebhooksTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SalesOrderFixtures so;

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

    Fixtures.Tenant merchant;
    SalesOrderFixtures.Supplier mugs;
    SalesOrderFixtures.Supplier caps;
    WebhookReceiver channel;
    WebhookReceiver supplierSystem;
    /** Every event the channel received so far, in order, parsed. */
    final List<JsonNode> seen = new ArrayList<>();

    static final Actor PACKER = Actor.staff(1, "packer@supplier.example");

    @BeforeEach
    void routedOrder() {
        fixtures.settleOutbox();
        merchant = fixtures.tenant("GB");
        mugs = so.supplier(merchant.id(), "Mugs Direct", DropshipConnection.Status.ACTIVE, false, false);
        caps = so.supplier(merchant.id(), "Caps & Co", DropshipConnection.Status.ACTIVE, true, false);
        so.product(merchant.id(), "MUG-1", mugs, "MD-MUG");
        so.product(merchant.id(), "CAP-1", caps, "CC-77");
        channel = WebhookReceiver.start(clock);
        channel.secret(webhooks.create(merchant.id(), channel.url(), "").secret());
        supplierSystem = WebhookReceiver.start(clock);
        supplierSystem.secret(webhooks.create(mugs.tenant().id(), supplierSystem.url(), "").secret());
        post(merchant.apiKey(),
                order("SO-7001",
                        List.of(line("MUG-1", 2, "4.50"), line("CAP-1", 1, "9.99"), line("LOOSE-1", 1, "1.00"))))
                                .statusCode(201);
    }

    @AfterEach
    void stop() {
        for (long org : List.of(merchant.id(), mugs.tenant().id())) {
            webhooks.list(org).forEach(e -> webhooks.delete(org, e.id()));
        }
        channel.close();
        supplierSystem.close();
    }

    @Test
    void routingSendsOneSignedEventWithEachSuppliersDropshipmentAndPricesOnlyWhereTheConnectionPassesThem()
            throws Exception {
        api().post("/api/v1/sales-orders/SO-7001/route").then().statusCode(200);
        JsonNode routed = only("sales_order.routed");
        assertEquals("SO-7001", routed.get("salesOrder").asText());
        assertEquals("ROUTED", routed.get("status").asText());
        JsonNode toMugs = routed.get("dropshipments").get(0);
        assertEquals("SO-7001-1", toMugs.get("reference").asText());
        assertEquals("Mugs Direct", toMugs.get("supplier").asText());
        assertEquals(1, toMugs.get("revision").asInt());
        JsonNode mugLine = toMugs.get("lines").get(0);
        assertEquals(1, mugLine.get("position").asInt());
        assertEquals("MUG-1", mugLine.get("sku").asText());
        assertEquals("MD-MUG", mugLine.get("supplierSku").asText());
        assertEquals(2, mugLine.get("quantity").asInt());
        assertFalse(mugLine.has("unitPrice"), "Mugs Direct is not passed prices: " + mugLine);
        JsonNode toCaps = routed.get("dropshipments").get(1);
        assertEquals("Caps & Co", toCaps.get("supplier").asText());
        assertEquals(2, toCaps.get("lines").get(0).get("position").asInt());
        assertEquals("9.99", toCaps.get("lines").get(0).get("unitPrice").asText(), "Caps & Co is passed prices");
        assertEquals(1, routed.get("kept").size());
        assertEquals("LOOSE-1", routed.get("kept").get(0).get("sku").asText());
        String body = channel.received().get(0).body();
        assertFalse(body.contains("3.10"), "never the supplier's unit cost: " + body);
        assertFalse(body.contains("margin 40%"), "never the internal note: " + body);

        api().post("/api/v1/sales-orders/SO-7001/route").then().statusCode(200);
        assertEquals(List.of(), newEvents(), "routing again routes nothing and publishes nothing");
        assertEquals(List.of(), supplierSystem.received(), "the supplier's own endpoint hears nothing of it");
    }

    @Test
    void eachChangeSendsOneEventWithWhatChangedAndTheRevisionsASameChangeAgainSendsNothing() throws Exception {
        api().post("/api/v1/sales-orders/SO-7001/route").then().statusCode(200);
        only("sales_order.routed");
        so.send("SO-7001-1", mugs.tenant().id());

        shipTo("Dan Doe", "9 New Road\nHull").statusCode(200);
        JsonNode shipTo = only("sales_order.changed");
        assertEquals("SHIP_TO", shipTo.get("change").asText());
        assertEquals("Dan Doe", shipTo.get("shipTo").get("name").asText());
        assertEquals("9 New Road\nHull", shipTo.get("shipTo").get("address").asText());
        assertFalse(shipTo.has("line"));
        assertTrue(shipTo.get("summary").asText().startsWith("Ship-to changed to Dan Doe"), shipTo.toString());
        assertEquals(revisions("SO-7001-1", 2, true, "SO-7001-2", 1, false), reached(shipTo));
        shipTo("Dan Doe", "9 New Road\nHull").statusCode(200);
        assertEquals(List.of(), newEvents(), "the same ship-to again changes nothing");

        quantity(1, "5").statusCode(200);
        JsonNode quantity = only("sales_order.changed");
        assertEquals("LINE_QUANTITY", quantity.get("change").asText());
        assertEquals(1, quantity.get("line").get("position").asInt());
        assertEquals("MUG-1", quantity.get("line").get("sku").asText());
        assertEquals(2, quantity.get("line").get("quantityBefore").asInt());
        assertEquals(5, quantity.get("line").get("quantity").asInt());
        assertFalse(quantity.has("shipTo"));
        assertEquals(revisions("SO-7001-1", 3, true), reached(quantity));
        quantity(1, "5").statusCode(200);
        assertEquals(List.of(), newEvents(), "the same quantity again changes nothing");

        quantity(2, "0").statusCode(200);
        JsonNode removed = only("sales_order.changed");
        assertEquals("LINE_REMOVED", removed.get("change").asText());
        assertEquals("CAP-1", removed.get("line").get("sku").asText());
        assertEquals(0, removed.get("line").get("quantity").asInt());
        assertEquals(revisions("SO-7001-2", 1, false), reached(removed), "not sent yet: updated in place");
        quantity(2, "0").statusCode(404);
        assertEquals(List.of(), newEvents());
        assertEquals(List.of(), supplierSystem.received());
    }

    @Test
    void theSuppliersAcknowledgementAndTheCancelEachSendOneEventARetrySendsNothing() throws Exception {
        api().post("/api/v1/sales-orders/SO-7001/route").then().statusCode(200);
        only("sales_order.routed");
        so.send("SO-7001-1", mugs.tenant().id());
        long mugsId = so.dropshipment(mugs.tenant().id(), "SO-7001-1").id;
        shipTo("Dan Doe", "9 New Road\nHull").statusCode(200);
        only("sales_order.changed");

        assertTrue(shipping.acknowledge(mugs.tenant().id(), mugsId, 2, PACKER).orElseThrow().recorded());
        JsonNode ack = only("dropshipment.acknowledged");
        assertEquals("SO-7001", ack.get("salesOrder").asText());
        assertEquals("SO-7001-1", ack.get("dropshipment").asText());
        assertEquals("Mugs Direct", ack.get("supplier").asText());
        assertEquals(2, ack.get("revision").asInt());
        assertTrue(ack.get("change").asText().startsWith("Ship-to changed to Dan Doe"), ack.toString());
        assertEquals("OPEN", ack.get("status").asText());
        assertFalse(shipping.acknowledge(mugs.tenant().id(), mugsId, 2, PACKER).orElseThrow().recorded());
        assertEquals(List.of(), newEvents(), "acknowledging the same revision again is a retry");

        cancel("customer changed their mind").statusCode(200);
        JsonNode cancelled = only("sales_order.cancelled");
        assertEquals("customer changed their mind", cancelled.get("reason").asText());
        assertEquals("CANCELLED", cancelled.get("status").asText());
        assertEquals(revisions("SO-7001-1", 3, true, "SO-7001-2", 1, false), reached(cancelled));
        cancel("customer changed their mind").statusCode(200);
        cancel("found it cheaper").statusCode(409).body("detail", containsString("already cancelled"));
        assertEquals(List.of(), newEvents(), "a repeated cancel publishes nothing");

        shipping.acknowledge(mugs.tenant().id(), mugsId, 3, PACKER).orElseThrow();
        JsonNode ackCancel = only("dropshipment.acknowledged");
        assertEquals(3, ackCancel.get("revision").asInt());
        assertEquals("CANCELLED", ackCancel.get("status").asText());
        assertEquals("Cancelled: customer changed their mind", ackCancel.get("change").asText());
        assertEquals(List.of(), supplierSystem.received(), "the supplier's own endpoint hears nothing of it");
    }

    // ------------------------------------------------------------------ helpers

    /** Delivers what is due and returns the events the channel received since the last call, each checked. */
    private List<JsonNode> newEvents() throws Exception {
        delivery.deliverDue();
        List<WebhookReceiver.Received> all = channel.received();
        List<JsonNode> fresh = new ArrayList<>();
        for (WebhookReceiver.Received r : all.subList(seen.size(), all.size())) {
            assertTrue(r.signatureValid() && r.timestampFresh(), "signed with the endpoint's secret: " + r);
            assertEquals(200, r.answered());
            JsonNode body = json.readTree(r.body());
            assertEquals(r.id(), body.get("id").asText());
            assertEquals(merchant.id(), body.get("organization").get("id").asLong());
            fresh.add(body);
        }
        seen.addAll(fresh);
        return fresh;
    }

    /** The one event since the last call, of this type; its {@code data}. */
    private JsonNode only(String type) throws Exception {
        List<JsonNode> fresh = newEvents();
        assertEquals(1, fresh.size(), "one event: " + fresh);
        assertEquals(type, fresh.get(0).get("type").asText());
        return fresh.get(0).get("data");
    }

    private static List<String> reached(JsonNode data) {
        List<String> out = new ArrayList<>();
        data.get("dropshipments").forEach(d -> out.add(d.get("reference").asText() + " r" + d.get("revision").asInt()
                + (d.get("sentToSupplier").asBoolean() ? " sent" : " not sent")));
        return out;
    }

    private static List<String> revisions(Object... refRevisionSent) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < refRevisionSent.length; i += 3) {
            out.add(refRevisionSent[i] + " r" + refRevisionSent[i + 1]
                    + ((Boolean) refRevisionSent[i + 2] ? " sent" : " not sent"));
        }
        return out;
    }

    private RequestSpecification api() {
        return given().header("Authorization", "Bearer " + merchant.apiKey());
    }

    private io.restassured.response.ValidatableResponse shipTo(String name, String address) {
        return api().contentType("application/json").body(Map.of("name", name, "address", address))
                .put("/api/v1/sales-orders/SO-7001/ship-to").then();
    }

    private io.restassured.response.ValidatableResponse quantity(int position, String quantity) {
        return api().contentType("application/json").body(Map.of("quantity", quantity))
                .put("/api/v1/sales-orders/SO-7001/lines/" + position).then();
    }

    private io.restassured.response.ValidatableResponse cancel(String reason) {
        return api().contentType("application/json").body(Map.of("reason", reason))
                .post("/api/v1/sales-orders/SO-7001/cancel").then();
    }
}
