package io.portlink.dropship;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.ConflictException;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;

/**
 * The merchant ships the lines of a sales order it keeps (no dropshipment carries them): carrier, tracking number, ship
 * date (the merchant's calendar day, the supplier's limits), method, and the kept lines with their quantities (by
 * default all that remains of them). Under the sales order's row lock ({@link DropshipLocks}, first in the lock order
 * of every dropship write), in one transaction: the shipment, the lines' shipped quantities, the order's status exactly
 * as a supplier's shipment sets it ({@link Shipping#statusAfterShipping}), the timeline, and {@link OwnShipped} for the
 * sales channel's {@code sales_order.shipped} webhook. The same carrier and tracking number again is a retry and
 * changes nothing. A line the merchant shipped (some of) is never routed afterwards.
 */
@ApplicationScoped
public class OwnShipping {

    @Inject
    DropshipLocks locks;

    @Inject
    Shipping shipping;

    @Inject
    Timeline timeline;

    @Inject
    Event<OwnShipped> shipped;

    @Inject
    Clock clock;

    /**
     * The merchant's own shipment as typed. {@code lines}: each names a kept line by {@code position} or the merchant's
     * {@code sku}, with a quantity (blank: all that remains); null or empty ships all that remains of every kept line.
     */
    public record OwnShipInput(String carrier, String trackingNumber, String shipDate, String shippingMethod,
            List<Shipping.LineInput> lines) {
    }

    /** What happened (SHIPPED now, or RECORDED_BEFORE: a retry), the shipment, the order's status after it. */
    public record Result(Shipping.Outcome outcome, SalesOrders.ShipmentView shipment, SalesOrder.Status status,
            String message) {
    }

    /**
     * Records the merchant's shipment of kept lines of its order {@code reference}; empty for no such order.
     *
     * @throws ValidationException
     *             naming each field ({@code carrier}, {@code trackingNumber}, {@code shipDate}, {@code lines[i].…}): a
     *             line a supplier ships, more than remains, a quantity that is no whole number
     * @throws ConflictException
     *             when the order is cancelled, or no kept line has anything left to ship
     */
    @Transactional
    public Optional<Result> ship(long merchantId, String reference, OwnShipInput input, Actor actor) {
        var locked = locks.forMerchant(merchantId, reference == null ? "" : reference.strip());
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        SalesOrder order = locked.get();
        List<SalesOrderLine> lines = SalesOrderLine.<SalesOrderLine> list("salesOrderId = ?1 order by position",
                order.id);
        var earlier = OwnShipment.<OwnShipment> list("salesOrderId = ?1 order by id", order.id).stream()
                .filter(s -> input.carrier() != null && input.trackingNumber() != null
                        && s.carrier.equalsIgnoreCase(input.carrier().strip())
                        && s.trackingNumber.equalsIgnoreCase(input.trackingNumber().strip()))
                .findFirst();
        if (earlier.isPresent()) {
            return Optional.of(new Result(Shipping.Outcome.RECORDED_BEFORE, SalesOrders.view(earlier.get(), lines),
                    order.status, "This shipment (" + earlier.get().carrier + " " + earlier.get().trackingNumber
                            + ") was recorded before; nothing changed."));
        }
        if (order.status == SalesOrder.Status.CANCELLED) {
            throw new ConflictException("Order " + order.reference + " is cancelled; nothing was shipped.");
        }
        Map<Long, String> carriedBy = carriedBy(order.id);
        List<SalesOrderLine> kept = lines.stream().filter(l -> l.removedAt == null && !carriedBy.containsKey(l.id))
                .toList();
        if (kept.stream().noneMatch(l -> remaining(l) > 0)) {
            throw new ConflictException("Order " + order.reference + " has no line of yours left to ship: "
                    + (kept.isEmpty() ? "its suppliers ship every line." : "yours have shipped in full."));
        }
        var errors = new ValidationException.Builder();
        Shipping.Problems problems = (line, field, message, value) -> errors
                .add(line < 0 ? field : "lines[" + line + "]." + field, message, value);
        String carrier = Shipping.text(problems, "carrier", input.carrier(), true);
        String tracking = Shipping.text(problems, "trackingNumber", input.trackingNumber(), true);
        String method = Shipping.text(problems, "shippingMethod", input.shippingMethod(), false);
        LocalDate shipDate = shipping.shipDate(merchantId, problems, input.shipDate());
        Map<SalesOrderLine, Integer> quantities = plan(lines, kept, carriedBy, input.lines(), problems);
        errors.throwIfAny();
        OwnShipment s = record(order, lines, carrier, tracking, shipDate,
                method == null ? order.shippingMethod : method, quantities, actor);
        return Optional.of(new Result(Shipping.Outcome.SHIPPED, SalesOrders.view(s, lines), order.status,
                "Shipment recorded: " + carrier + " " + tracking + "."));
    }

    /** The dropshipment reference carrying each routed line of the order. */
    private static Map<Long, String> carriedBy(long salesOrderId) {
        Map<Long, String> carried = new java.util.HashMap<>();
        for (Object[] row : SalesOrderLine.getEntityManager()
                .createQuery("select l.salesOrderLineId, d.reference from DropshipmentLine l, Dropshipment d"
                        + " where d.id = l.dropshipmentId and d.salesOrderId = ?1", Object[].class)
                .setParameter(1, salesOrderId).getResultList()) {
            carried.put((Long) row[0], (String) row[1]);
        }
        return carried;
    }

    private static int remaining(SalesOrderLine l) {
        return Math.max(0, l.quantity - l.quantityShipped);
    }

    private static Map<SalesOrderLine, Integer> plan(List<SalesOrderLine> lines, List<SalesOrderLine> kept,
            Map<Long, String> carriedBy, List<Shipping.LineInput> inputs, Shipping.Problems problems) {
        Map<SalesOrderLine, Integer> quantities = new LinkedHashMap<>();
        if (inputs == null || inputs.isEmpty()) {
            kept.stream().filter(l -> remaining(l) > 0).forEach(l -> quantities.put(l, remaining(l)));
            return quantities;
        }
        Set<Long> seen = new HashSet<>();
        boolean lineProblem = false;
        for (int i = 0; i < inputs.size(); i++) {
            var in = inputs.get(i);
            String position = in.position() == null ? "" : in.position().strip();
            String sku = in.sku() == null ? "" : in.sku().strip();
            Optional<SalesOrderLine> found = !position.isEmpty()
                    ? lines.stream().filter(l -> Integer.toString(l.position).equals(position)).findFirst()
                    : lines.stream().filter(l -> l.sku.equalsIgnoreCase(sku)).findFirst();
            if (found.isEmpty()) {
                problems.add(i, position.isEmpty() ? "sku" : "position",
                        position.isEmpty() && sku.isEmpty() ? "is required: the line's position or SKU"
                                : "is not a line of this order (lines 1 to " + lines.size() + ")",
                        position.isEmpty() ? sku : position);
                lineProblem = true;
                continue;
            }
            SalesOrderLine line = found.get();
            if (line.removedAt != null || carriedBy.containsKey(line.id)) {
                problems.add(i, "position",
                        line.removedAt != null ? "line " + line.position + " is removed"
                                : "line " + line.position + " (" + line.sku + ") goes to its supplier in "
                                        + carriedBy.get(line.id) + ": the supplier ships it",
                        Integer.toString(line.position));
                lineProblem = true;
                continue;
            }
            if (!seen.add(line.id)) {
                problems.add(i, "position", "names line " + line.position + " again; give each line once",
                        Integer.toString(line.position));
                lineProblem = true;
                continue;
            }
            String q = in.quantity() == null ? "" : in.quantity().strip();
            int n;
            if (q.isEmpty()) {
                n = remaining(line);
            } else if (!q.matches("[0-9]{1,9}")) {
                problems.add(i, "quantity", "must be a whole number of units, 0 or more", q);
                lineProblem = true;
                continue;
            } else {
                n = Integer.parseInt(q);
            }
            if (n > remaining(line)) {
                problems.add(i, "quantity",
                        "line " + line.position + " (" + line.sku + "): only " + remaining(line) + " of "
                                + line.quantity + " remain"
                                + (line.quantityShipped > 0 ? " (" + line.quantityShipped + " shipped already)" : ""),
                        q);
                lineProblem = true;
            } else if (n > 0) {
                quantities.put(line, n);
            }
        }
        if (quantities.isEmpty() && !lineProblem) {
            problems.add(-1, "lines", "ship at least one unit of a line", null);
        }
        return quantities;
    }

    private OwnShipment record(SalesOrder order, List<SalesOrderLine> lines, String carrier, String tracking,
            LocalDate shipDate, String method, Map<SalesOrderLine, Integer> quantities, Actor actor) {
        Instant now = Instant.now(clock);
        OwnShipment s = new OwnShipment();
        s.salesOrderId = order.id;
        s.carrier = carrier;
        s.trackingNumber = tracking;
        s.shipDate = shipDate;
        s.shippingMethod = method;
        s.createdAt = now;
        s.createdBy = actor.label().length() > 300 ? actor.label().substring(0, 300) : actor.label();
        s.persist();
        List<DropshipShipped.Line> eventLines = new ArrayList<>();
        StringBuilder detail = new StringBuilder("Shipped by you: ").append(carrier).append(' ').append(tracking)
                .append(", shipped ").append(shipDate).append(method == null ? "" : " via " + method);
        for (var e : quantities.entrySet()) {
            SalesOrderLine line = e.getKey();
            OwnShipmentLine sl = new OwnShipmentLine();
            sl.ownShipmentId = s.id;
            sl.salesOrderLineId = line.id;
            sl.quantity = e.getValue();
            sl.persist();
            line.quantityShipped += e.getValue();
            detail.append("; ").append(line.sku).append(" × ").append(e.getValue());
            eventLines.add(new DropshipShipped.Line(line.position, line.sku, null, e.getValue(), line.quantity,
                    line.quantityShipped));
        }
        Subject subject = Subject.salesOrder(order.organizationId, order.id);
        timeline.record(subject, actor, ShippingEvent.SHIPPED, detail.toString(), Visibility.INTERNAL);
        SalesOrder.Status before = order.status;
        order.status = Shipping.statusAfterShipping(lines);
        order.updatedAt = now;
        if (before != order.status) {
            timeline.record(subject, actor, ShippingEvent.STATUS,
                    Shipping.label(before) + " → " + Shipping.label(order.status), Visibility.INTERNAL);
        }
        shipped.fire(new OwnShipped(order.organizationId, order.id, order.reference, s.id, carrier, tracking, shipDate,
                method, List.copyOf(eventLines), order.status, now));
        return s;
    }
}
