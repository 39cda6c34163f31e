package io.portlink.dropship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import io.portlink.platform.ConflictException;
import io.portlink.platform.ValidationException;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;

/** The supplier ships dropshipments: both sides change at once, in one transaction, with the refusals people see. */
@QuarkusTest
class ShippingTest {

    /** Every {@link DropshipShipped} fired, as the webhook's observer will receive it. */
    @Singleton
    static class Received {
        final List<DropshipShipped> events = new CopyOnWriteArrayList<>();

        void on(@Observes DropshipShipped event) {
            events.add(event);
        }
    }

    @Inject
    Shipping shipping;

    @Inject
    SupplierFixtures fx;

    @Inject
    Received received;

    @Inject
    DropshipChanges changes;

    @Inject
    TestClock clock;

    @Inject
    Connections connections;

    static final Actor SUPPLIER_STAFF = Actor.staff(1, "packer@supplier.example");

    private String today() {
        return LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
    }

    private Shipping.ShipInput all(String tracking) {
        return new Shipping.ShipInput("DHL", tracking, today(), null, null, null);
    }

    @Test
    void shippingEverythingShipsTheMerchantsOrderAtOnceWithTrackingOnBothTimelines() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        var result = shipping.ship(pair.supplier().id(), made.id(), all("JD0001"), SUPPLIER_STAFF).orElseThrow();
        assertEquals(Shipping.Outcome.SHIPPED, result.outcome());
        assertEquals(List.of(3, 2), fx.dropshipmentShipped(made.id()));
        assertEquals(List.of(3, 2), fx.salesOrderShipped(made.salesOrderId()));
        var d = fx.reload(made.id());
        assertEquals(Dropshipment.Status.SHIPPED, d.status);
        assertEquals(clock.instant(), d.shippedAt);
        assertEquals(SalesOrder.Status.SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        var merchantTimeline = fx.timeline("salesOrderId", made.salesOrderId(), pair.merchant().id());
        assertTrue(
                merchantTimeline.stream().anyMatch(e -> e.startsWith("SHIPPED: ") && e.contains("DHL JD0001")
                        && e.contains("WIDGET-RED × 3") && e.contains("[" + pair.supplier().name() + " (supplier)]")),
                "" + merchantTimeline);
        assertTrue(merchantTimeline.stream().anyMatch(e -> e.startsWith("STATUS: Routed → Shipped")),
                "" + merchantTimeline);
        var supplierTimeline = fx.timeline("dropshipmentId", made.id(), pair.supplier().id());
        assertTrue(supplierTimeline.stream().anyMatch(e -> e.contains("DHL JD0001")), "" + supplierTimeline);
        // the event the sales channel's webhook carries
        var event = received.events.stream().filter(e -> e.dropshipmentId() == made.id()).findFirst().orElseThrow();
        assertEquals(pair.merchant().id(), event.merchantId());
        assertEquals(made.salesOrderReference(), event.salesOrderReference());
        assertEquals("JD0001", event.trackingNumber());
        assertEquals(Dropshipment.Status.SHIPPED, event.dropshipmentStatus());
        assertEquals(SalesOrder.Status.SHIPPED, event.salesOrderStatus());
        assertEquals(List.of(new DropshipShipped.Line(1, "WIDGET-RED", "SUP-RED", 3, 3, 3),
                new DropshipShipped.Line(2, "WIDGET-BLUE", "SUP-BLUE", 2, 2, 2)), event.lines());
    }

    @Test
    void severalShipmentsShipPartlyThenInFull() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        var first = new Shipping.ShipInput("UPS", "1Z1", today(), "Express",
                List.of(new Shipping.LineInput(null, "SUP-RED", "2")), null);
        shipping.ship(pair.supplier().id(), made.id(), first, SUPPLIER_STAFF).orElseThrow();
        assertEquals(Dropshipment.Status.PARTIALLY_SHIPPED, fx.reload(made.id()).status);
        assertEquals(SalesOrder.Status.PARTIALLY_SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        assertEquals(List.of(2, 0), fx.salesOrderShipped(made.salesOrderId()));
        // the rest: by default all that remains
        shipping.ship(pair.supplier().id(), made.id(), all("1Z2"), SUPPLIER_STAFF).orElseThrow();
        assertEquals(List.of(3, 2), fx.salesOrderShipped(made.salesOrderId()));
        assertEquals(Dropshipment.Status.SHIPPED, fx.reload(made.id()).status);
        assertEquals(SalesOrder.Status.SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        assertEquals(2, fx.shipments(made.id()));
        // nothing remains: a third is refused as shipped in full
        var e = assertThrows(ConflictException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), all("1Z3"), SUPPLIER_STAFF));
        assertTrue(e.getMessage().contains("already shipped in full"), e.getMessage());
    }

    @Test
    void aSalesOrderWithAnotherSuppliersLinesIsOnlyPartiallyShipped() {
        var pair = fx.pair(false, false);
        var made = fx.dropshipment(pair, true, List.of(new SupplierFixtures.Item("A", "SA", 1, null)),
                List.of(new SupplierFixtures.Item("B", "SB", 1, null)));
        shipping.ship(pair.supplier().id(), made.id(), all("T1"), SUPPLIER_STAFF).orElseThrow();
        assertEquals(Dropshipment.Status.SHIPPED, fx.reload(made.id()).status);
        assertEquals(SalesOrder.Status.PARTIALLY_SHIPPED, fx.salesOrder(made.salesOrderId()).status);
    }

    @Test
    void refusalsNameEveryFieldAndLineAndChangeNothing() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        var input = new Shipping.ShipInput(" ", "", "2020-01-01", null,
                List.of(new Shipping.LineInput(null, "SUP-RED", "4"), new Shipping.LineInput("9", null, "1"),
                        new Shipping.LineInput(null, "NOPE", "1")),
                null);
        var e = assertThrows(ValidationException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), input, SUPPLIER_STAFF));
        var described = e.errors().stream().map(ValidationException.FieldError::describe).toList();
        assertEquals(6, described.size(), "" + described);
        assertTrue(described.contains("carrier: is required"), "" + described);
        assertTrue(described.contains("trackingNumber: is required"), "" + described);
        assertTrue(
                described.stream().anyMatch(
                        s -> s.startsWith("shipDate: must lie between") && s.contains("(got \"2020-01-01\")")),
                "" + described);
        assertTrue(described.contains("lines[0].quantity: line 1 (SUP-RED): only 3 of 3 remain (got \"4\")"),
                "" + described);
        assertTrue(described.stream().anyMatch(s -> s.startsWith("lines[1].position: is not a line")), "" + described);
        assertTrue(described.contains("lines[2].sku: is not on this order (got \"NOPE\")"), "" + described);
        var future = new Shipping.ShipInput("DHL", "X", LocalDate.parse(today()).plusDays(30).toString(), null, null,
                null);
        assertThrows(ValidationException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), future, SUPPLIER_STAFF));
        assertEquals(List.of(0, 0), fx.dropshipmentShipped(made.id()));
        assertEquals(0, fx.shipments(made.id()));
    }

    @Test
    void aRetryWithTheSameCarrierAndTrackingShipsOnce() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        var input = new Shipping.ShipInput("DHL", "JD-RETRY", today(), null,
                List.of(new Shipping.LineInput("1", null, "1")), null);
        assertEquals(Shipping.Outcome.SHIPPED,
                shipping.ship(pair.supplier().id(), made.id(), input, SUPPLIER_STAFF).orElseThrow().outcome());
        var again = shipping.ship(pair.supplier().id(), made.id(), new Shipping.ShipInput("dhl", " jd-retry ", today(),
                null, List.of(new Shipping.LineInput("1", null, "1")), null), SUPPLIER_STAFF).orElseThrow();
        assertEquals(Shipping.Outcome.RECORDED_BEFORE, again.outcome());
        assertEquals(1, fx.shipments(made.id()));
        assertEquals(List.of(1, 0), fx.dropshipmentShipped(made.id()));
        // the same tracking number with other lines is another shipment: refused, naming it
        var other = new Shipping.ShipInput("DHL", "JD-RETRY", today(), null,
                List.of(new Shipping.LineInput("2", null, "1")), null);
        var e = assertThrows(ValidationException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), other, SUPPLIER_STAFF));
        assertTrue(e.getMessage().contains("a new shipment needs its own tracking number"), e.getMessage());
    }

    @Test
    void shippingACancelledDropshipmentIsRefusedAndNotedOnBothTimelines() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        fx.cancel(made.id(), "customer changed their mind");
        var result = shipping.ship(pair.supplier().id(), made.id(), all("JD-CANCEL"), SUPPLIER_STAFF).orElseThrow();
        assertEquals(Shipping.Outcome.REFUSED_CANCELLED, result.outcome());
        assertTrue(result.message().contains("The merchant cancelled " + made.reference()), result.message());
        assertTrue(result.message().contains("customer changed their mind"), result.message());
        assertEquals(0, fx.shipments(made.id()));
        assertEquals(List.of(0, 0), fx.salesOrderShipped(made.salesOrderId()));
        assertEquals(SalesOrder.Status.CANCELLED, fx.salesOrder(made.salesOrderId()).status);
        var supplierSide = fx.timeline("dropshipmentId", made.id(), pair.supplier().id());
        var merchantSide = fx.timeline("salesOrderId", made.salesOrderId(), pair.merchant().id());
        assertTrue(
                supplierSide.stream().anyMatch(
                        e -> e.startsWith("SHIP_REFUSED: ") && e.contains("JD-CANCEL") && e.contains("cancelled")),
                "" + supplierSide);
        assertTrue(merchantSide.stream().anyMatch(e -> e.startsWith("SHIP_REFUSED: ") && e.contains("JD-CANCEL")),
                "" + merchantSide);
    }

    @Test
    void anUnacknowledgedChangeHoldsShippingUntilTheSupplierAcknowledgesTheLatestRevision() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        fx.change(made.id(), "Address changed");
        var e = assertThrows(ConflictException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), all("JD-ACK"), SUPPLIER_STAFF));
        assertTrue(e.getMessage().contains("Acknowledge the change first"), e.getMessage());
        assertTrue(e.getMessage().contains("Address changed"), e.getMessage());
        // the merchant changes again: acknowledging the older revision is refused
        fx.change(made.id(), "Line 2: 2 → 1");
        var old = assertThrows(ConflictException.class,
                () -> shipping.acknowledge(pair.supplier().id(), made.id(), 2, SUPPLIER_STAFF));
        assertTrue(old.getMessage().contains("revision 3"), old.getMessage());
        var ack = shipping.acknowledge(pair.supplier().id(), made.id(), 3, SUPPLIER_STAFF).orElseThrow();
        assertTrue(ack.recorded());
        assertEquals(clock.instant(), fx.reload(made.id()).acknowledgedAt);
        assertEquals(3, fx.reload(made.id()).acknowledgedRevision);
        // a retry is answered as done
        assertEquals(false,
                shipping.acknowledge(pair.supplier().id(), made.id(), 3, SUPPLIER_STAFF).orElseThrow().recorded());
        assertTrue(fx.timeline("salesOrderId", made.salesOrderId(), pair.merchant().id()).stream()
                .anyMatch(t -> t.startsWith("ACKNOWLEDGED: ") && t.contains("revision 3")));
        assertTrue(fx.timeline("dropshipmentId", made.id(), pair.supplier().id()).stream()
                .anyMatch(t -> t.startsWith("ACKNOWLEDGED: ") && t.contains("Line 2: 2 → 1")));
        // a form opened at revision 1 is stale
        var stale = new Shipping.ShipInput("DHL", "JD-ACK", today(), null, null, 1);
        var changed = assertThrows(ConflictException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), stale, SUPPLIER_STAFF));
        assertTrue(changed.getMessage().contains("changed " + made.reference() + " meanwhile"), changed.getMessage());
        assertEquals(Shipping.Outcome.SHIPPED,
                shipping.ship(pair.supplier().id(), made.id(),
                        new Shipping.ShipInput("DHL", "JD-ACK", today(), null, null, 3), SUPPLIER_STAFF).orElseThrow()
                        .outcome());
    }

    @Test
    void onlyTheSupplierItWasSentToCanShipIt() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        var otherSupplier = fx.connect(pair.merchant(), fx.pair(false, false).supplier(), false, false);
        assertTrue(shipping.ship(otherSupplier.supplier().id(), made.id(), all("X1"), SUPPLIER_STAFF).isEmpty());
        // the merchant is no supplier of its own dropshipment
        assertTrue(shipping.ship(pair.merchant().id(), made.id(), all("X2"), SUPPLIER_STAFF).isEmpty());
        assertTrue(shipping.acknowledge(pair.merchant().id(), made.id(), 1, SUPPLIER_STAFF).isEmpty());
        // not sent yet: the supplier does not have it
        var unsent = fx.dropshipment(pair, false, List.of(new SupplierFixtures.Item("A", "SA", 1, BigDecimal.ONE)),
                List.of());
        assertTrue(shipping.ship(pair.supplier().id(), unsent.id(), all("X3"), SUPPLIER_STAFF).isEmpty());
        assertEquals(0, fx.shipments(made.id()) + fx.shipments(unsent.id()));
    }

    /**
     * Goods the supplier received before a disconnect are the customer's still: their tracking reaches the merchant's
     * order. Only new orders and stock stop flowing.
     */
    @Test
    void aSupplierDisconnectedAfterReceivingAnOrderStillShipsItToTheMerchantsOrder() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        assertTrue(connections.disconnect(pair.supplier().id(), pair.connectionId(), "packer@supplier.example"));
        var result = shipping.ship(pair.supplier().id(), made.id(), all("JD-AFTER"), SUPPLIER_STAFF).orElseThrow();
        assertEquals(Shipping.Outcome.SHIPPED, result.outcome());
        assertEquals(SalesOrder.Status.SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        assertTrue(fx.timeline("salesOrderId", made.salesOrderId(), pair.merchant().id()).stream()
                .anyMatch(e -> e.contains("DHL JD-AFTER")));
    }

    @Test
    void aDropshipmentWhoseEveryLineIsRemovedIsCancelledAndCannotShipAnEmptyParcel() {
        var pair = fx.pair(false, false);
        var made = fx.dropshipment(pair, true, List.of(new SupplierFixtures.Item("MUG-RED", "SUP-MUG", 1, null)),
                List.of(new SupplierFixtures.Item("OWN-1", "OWN-1", 1, null)));
        Actor merchant = Actor.staff(2, "owner@merchant.example");
        changes.changeLine(pair.merchant().id(), made.salesOrderReference(), 1, "0", merchant).orElseThrow();
        var d = fx.reload(made.id());
        assertEquals(Dropshipment.Status.CANCELLED, d.status, "nothing is left to ship");
        assertEquals(2, d.revision, "the cancel reaches the supplier as a change");
        assertTrue(d.changeSummary.contains("cancelled: every line removed"), d.changeSummary);
        assertTrue(shipping.acknowledge(pair.supplier().id(), made.id(), 2, SUPPLIER_STAFF).orElseThrow().recorded());
        var result = shipping.ship(pair.supplier().id(), made.id(), all("EMPTY-1"), SUPPLIER_STAFF).orElseThrow();
        assertEquals(Shipping.Outcome.REFUSED_CANCELLED, result.outcome());
        assertEquals(0, fx.shipments(made.id()));
        assertEquals(SalesOrder.Status.ROUTED, fx.salesOrder(made.salesOrderId()).status);
        // the merchant can still cancel the order
        changes.cancel(pair.merchant().id(), made.salesOrderReference(), "customer left", merchant).orElseThrow();
        assertEquals(SalesOrder.Status.CANCELLED, fx.salesOrder(made.salesOrderId()).status);
    }

    /**
     * A line partly shipped whose rest will never come (the supplier is out of stock) is closed by lowering it to what
     * shipped: the dropshipment and the order complete, and the supplier is told with a new revision. It cannot go
     * below what shipped, nor grow.
     */
    @Test
    void aPartlyShippedLineLoweredToWhatShippedCompletesTheOrder() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        shipping.ship(pair.supplier().id(), made.id(),
                new Shipping.ShipInput("DHL", "PART-1", today(), null,
                        List.of(new Shipping.LineInput("1", null, "2"), new Shipping.LineInput("2", null, "2")), null),
                SUPPLIER_STAFF).orElseThrow();
        assertEquals(Dropshipment.Status.PARTIALLY_SHIPPED, fx.reload(made.id()).status);
        Actor merchant = Actor.staff(2, "owner@merchant.example");
        for (String refused : List.of("1", "4", "0")) {
            var e = assertThrows(ConflictException.class,
                    () -> changes.changeLine(pair.merchant().id(), made.salesOrderReference(), 1, refused, merchant));
            assertTrue(e.getMessage().contains("it can go down to 2 to close what remains"), e.getMessage());
        }
        int revision = fx.reload(made.id()).revision;

        changes.changeLine(pair.merchant().id(), made.salesOrderReference(), 1, "2", merchant).orElseThrow();
        var d = fx.reload(made.id());
        assertEquals(Dropshipment.Status.SHIPPED, d.status);
        assertEquals(revision + 1, d.revision, "the supplier is told");
        assertEquals(SalesOrder.Status.SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        assertEquals(List.of(2, 2), fx.salesOrderShipped(made.salesOrderId()));
        assertTrue(fx.timeline("salesOrderId", made.salesOrderId(), pair.merchant().id()).stream()
                .anyMatch(e -> e.contains("Partially shipped → Shipped")));
    }

    /** A line the merchant removed is said to be removed, not that "only 0 of 0 remain". */
    @Test
    void shippingALineTheMerchantRemovedSaysItWasRemoved() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        Actor merchant = Actor.staff(2, "owner@merchant.example");
        changes.changeLine(pair.merchant().id(), made.salesOrderReference(), 1, "0", merchant).orElseThrow();
        int revision = fx.reload(made.id()).revision;
        shipping.acknowledge(pair.supplier().id(), made.id(), revision, SUPPLIER_STAFF).orElseThrow();
        var e = assertThrows(ValidationException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), new Shipping.ShipInput("DHL", "RM-1", today(),
                        null, List.of(new Shipping.LineInput(null, "SUP-RED", "1")), null), SUPPLIER_STAFF));
        var described = e.errors().stream().map(ValidationException.FieldError::describe).toList();
        assertTrue(
                described.stream()
                        .anyMatch(s -> s.startsWith("lines[0].quantity: line 1 (SUP-RED) was removed from the order")),
                "" + described);
        assertEquals(0, fx.shipments(made.id()));
    }

    @Test
    void aShipmentCarriesAtLeastOneUnit() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        var zero = new Shipping.ShipInput("DHL", "NONE-2", today(), null,
                List.of(new Shipping.LineInput("2", null, "0")), null);
        assertThrows(ValidationException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), zero, SUPPLIER_STAFF));
        var first = new Shipping.ShipInput("DHL", "PART-1", today(), null,
                List.of(new Shipping.LineInput("1", null, null)), null);
        shipping.ship(pair.supplier().id(), made.id(), first, SUPPLIER_STAFF).orElseThrow();
        // the merchant removes the line left: nothing remains, so what shipped was all of it, and no shipment of
        // nothing follows
        changes.changeLine(pair.merchant().id(), made.salesOrderReference(), 2, "0",
                Actor.staff(2, "owner@merchant.example")).orElseThrow();
        assertEquals(Dropshipment.Status.SHIPPED, fx.reload(made.id()).status);
        assertEquals(SalesOrder.Status.SHIPPED, fx.salesOrder(made.salesOrderId()).status);
        shipping.acknowledge(pair.supplier().id(), made.id(), 2, SUPPLIER_STAFF).orElseThrow();
        var e = assertThrows(ConflictException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), all("NONE-1"), SUPPLIER_STAFF));
        assertTrue(e.getMessage().contains("shipped"), e.getMessage());
        assertEquals(1, fx.shipments(made.id()));
    }

    @Test
    void anExplicitEmptyListOfLinesIsRefusedNotReadAsEverything() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        var input = new Shipping.ShipInput("DHL", "EMPTY-LIST", today(), null, List.of(), null);
        var e = assertThrows(ValidationException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), input, SUPPLIER_STAFF));
        assertEquals("lines", e.errors().get(0).field());
        assertTrue(e.getMessage().contains("name at least one line, or leave lines out to ship all that remains"),
                e.getMessage());
        assertEquals(List.of(0, 0), fx.dropshipmentShipped(made.id()));
    }

    @Test
    void aPositionAndASkuThatNameDifferentLinesAreRefused() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        var input = new Shipping.ShipInput("DHL", "MISMATCH", today(), null,
                List.of(new Shipping.LineInput("1", "SUP-BLUE", "1")), null);
        var e = assertThrows(ValidationException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), input, SUPPLIER_STAFF));
        assertEquals("lines[0].sku", e.errors().get(0).field());
        assertTrue(e.getMessage().contains("line 1 is SUP-RED") && e.getMessage().contains("not SUP-BLUE"),
                e.getMessage());
        assertEquals(List.of(0, 0), fx.dropshipmentShipped(made.id()));
        // both naming the same line (the merchant's SKU counts too) ship it
        var same = new Shipping.ShipInput("DHL", "MATCH", today(), null,
                List.of(new Shipping.LineInput("1", "widget-red", "1")), null);
        assertEquals(Shipping.Outcome.SHIPPED,
                shipping.ship(pair.supplier().id(), made.id(), same, SUPPLIER_STAFF).orElseThrow().outcome());
        assertEquals(List.of(1, 0), fx.dropshipmentShipped(made.id()));
    }

    @Test
    void revisionsCountFromOneAndAFutureOneIsNamedAsNotExistingYet() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        for (int bad : new int[] { -1, 0 }) {
            var e = assertThrows(ValidationException.class,
                    () -> shipping.acknowledge(pair.supplier().id(), made.id(), bad, SUPPLIER_STAFF));
            assertEquals("revision", e.errors().get(0).field());
            assertTrue(e.getMessage().contains("whole number from 1"), e.getMessage());
        }
        var zero = new Shipping.ShipInput("DHL", "REV-0", today(), null, null, 0);
        assertThrows(ValidationException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), zero, SUPPLIER_STAFF));
        var future = new Shipping.ShipInput("DHL", "REV-5", today(), null, null, 5);
        var e = assertThrows(ConflictException.class,
                () -> shipping.ship(pair.supplier().id(), made.id(), future, SUPPLIER_STAFF));
        assertTrue(e.getMessage().contains("no revision 5") && e.getMessage().contains("the latest is 1"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("meanwhile"), e.getMessage());
        assertEquals(0, fx.shipments(made.id()));
    }
}
