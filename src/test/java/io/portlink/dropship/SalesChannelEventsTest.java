package io.portlink.dropship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.outbox.WebhookDelivery;
import io.portlink.outbox.Webhooks;
import io.portlink.testing.TestClock;
import io.portlink.testing.WebhookReceiver;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A supplier's shipment reaches the merchant's sales channel at once: a signed {@code sales_order.shipped} webhook to
 * the merchant's endpoint, queued with the shipment and delivered by the outbox to a real local receiver that checks
 * the signature.
 */
@QuarkusTest
class SalesChannelEventsTest {

    @Inject
    Shipping shipping;

    @Inject
    SupplierFixtures fx;

    @Inject
    Webhooks webhooks;

    @Inject
    WebhookDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    ObjectMapper json;

    WebhookReceiver merchantChannel;
    WebhookReceiver supplierSystem;
    SupplierFixtures.Pair pair;

    static final Actor PACKER = Actor.staff(1, "packer@supplier.example");

    @BeforeEach
    void endpoints() {
        pair = fx.pair(false, false);
        merchantChannel = WebhookReceiver.start(clock);
        merchantChannel.secret(webhooks.create(pair.merchant().id(), merchantChannel.url(), "").secret());
        supplierSystem = WebhookReceiver.start(clock);
        supplierSystem.secret(webhooks.create(pair.supplier().id(), supplierSystem.url(), "").secret());
    }

    @AfterEach
    void stop() {
        for (long org : List.of(pair.merchant().id(), pair.supplier().id())) {
            webhooks.list(org).forEach(e -> webhooks.delete(org, e.id()));
        }
        merchantChannel.close();
        supplierSystem.close();
    }

    private String today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
    }

    @Test
    void eachShipmentSendsTheMerchantsChannelOneSignedEventWithItsOwnReferencesAndSkus() throws Exception {
        var made = fx.standard(pair);
        var part = new Shipping.ShipInput("UPS", "1Z999", today(), "Express",
                List.of(new Shipping.LineInput(null, "SUP-RED", "2")), null);
        shipping.ship(pair.supplier().id(), made.id(), part, PACKER).orElseThrow();
        delivery.deliverDue();

        List<WebhookReceiver.Received> got = merchantChannel.received();
        assertEquals(1, got.size(), "one event for one shipment");
        assertTrue(got.get(0).signatureValid(), "signed with the merchant endpoint's secret: " + got.get(0));
        JsonNode body = json.readTree(got.get(0).body());
        assertEquals("sales_order.shipped", body.get("type").asText());
        JsonNode data = body.get("data");
        assertEquals(made.salesOrderReference(), data.get("salesOrder").asText());
        assertEquals("PARTIALLY_SHIPPED", data.get("status").asText());
        assertEquals("UPS", data.get("carrier").asText());
        assertEquals("1Z999", data.get("trackingNumber").asText());
        assertEquals(1, data.get("lines").size());
        assertEquals("WIDGET-RED", data.get("lines").get(0).get("sku").asText(), "the merchant's SKU");
        assertEquals(2, data.get("lines").get(0).get("quantity").asInt());
        assertEquals(3, data.get("lines").get(0).get("quantityOrdered").asInt());
        assertTrue(!got.get(0).body().contains("SUP-RED"), "never the supplier's SKU: " + got.get(0).body());
        assertEquals(List.of(), supplierSystem.received(), "the supplier's own endpoint hears nothing of it");

        shipping.ship(pair.supplier().id(), made.id(),
                new Shipping.ShipInput("UPS", "1Z1000", today(), null, null, null), PACKER).orElseThrow();
        delivery.deliverDue();
        got = merchantChannel.received();
        assertEquals(2, got.size());
        JsonNode second = json.readTree(got.get(1).body()).get("data");
        assertEquals("SHIPPED", second.get("status").asText());
        assertEquals("1Z1000", second.get("trackingNumber").asText());
        assertTrue(!got.get(0).id().equals(got.get(1).id()), "each event has its own id");
    }

    @Test
    void aRefusedShipmentSendsNothing() {
        var made = fx.standard(pair);
        fx.cancel(made.id(), "customer changed their mind");
        var refused = shipping.ship(pair.supplier().id(), made.id(),
                new Shipping.ShipInput("DHL", "JD1", today(), null, null, null), PACKER).orElseThrow();
        assertEquals(Shipping.Outcome.REFUSED_CANCELLED, refused.outcome());
        // more than was ordered: refused before anything is written
        var other = fx.standard(pair);
        assertThrows(RuntimeException.class,
                () -> shipping.ship(pair.supplier().id(), other.id(), new Shipping.ShipInput("DHL", "JD2", today(),
                        null, List.of(new Shipping.LineInput(null, "SUP-RED", "9")), null), PACKER));
        delivery.deliverDue();
        assertEquals(List.of(), merchantChannel.received());
    }
}
