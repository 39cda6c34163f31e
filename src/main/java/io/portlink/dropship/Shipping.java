package io.portlink.dropship;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Unicode;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;

/**
 * The supplier ships a dropshipment: carrier, tracking number, ship date, method and the lines carried (by default all
 * that remains); one or several shipments per dropshipment. In the same transaction, under the locks of
 * {@link DropshipLocks}: the dropshipment's lines and status, the merchant's sales order lines and status, both
 * timelines, and a {@link DropshipShipped} event for the sales channel's webhook. A retried request (same carrier and
 * tracking number on the same dropshipment) finds the shipment it made instead of shipping twice. Acknowledging a
 * merchant's change lives here too, since shipping waits for it. The CSV file of many shipments is
 * {@link ShippingImport}.
 */
@ApplicationScoped
public class Shipping {

    /** How far back a ship date may lie (days before the supplier's today): older is a typo, not a late entry. */
    public static final int MAX_DAYS_BACK = 60;
    /** How far ahead a ship date may lie: a label printed for tomorrow's pickup, not next month. */
    public static final int MAX_DAYS_AHEAD = 2;
    /** Why an explicit empty list of lines is refused: it reads as "ship nothing", yet omitting lines ships all. */
    static final String EMPTY_LINES = "is empty: name at least one line, or leave lines out to ship all that remains";
    /** Longest carrier, tracking number and method (the columns' sizes). */
    static final int MAX_TEXT = 100;

    @Inject
    DropshipLocks locks;

    @Inject
    Timeline timeline;

    @Inject
    Event<DropshipShipped> shipped;

    @Inject
    Event<DropshipAcknowledged> acknowledged;

    @Inject
    Clock clock;

    /**
     * One line to ship: {@code position} (from 1) or {@code sku} (the supplier's SKU or the merchant's), and the
     * quantity in whole units (blank: all that remains of that line).
     */
    public record LineInput(String position, String sku, String quantity) {
    }

    /**
     * A shipment as typed. {@code shipDate}: YYYY-MM-DD, the supplier's calendar day. {@code shippingMethod}: blank
     * takes the dropshipment's. {@code lines}: null ships all that remains; an empty list is refused (it would read as
     * "ship nothing"). {@code revision}: the dropshipment revision the supplier saw (optional); another one is refused
     * as changed meanwhile.
     */
    public record ShipInput(String carrier, String trackingNumber, String shipDate, String shippingMethod,
            List<LineInput> lines, Integer revision) {
    }

    /**
     * What happened: SHIPPED (recorded now), RECORDED_BEFORE (a retry of it), REFUSED_CANCELLED (kept on both
     * timelines).
     */
    public enum Outcome {
        SHIPPED, RECORDED_BEFORE, REFUSED_CANCELLED
    }

    /** The answer of {@link #ship}: the shipment (null when refused), and a sentence for the supplier. */
    public record Result(Outcome outcome, SupplierOrders.ShipmentView shipment, String message) {
    }

    /** Where a problem of a ship request goes: a field of a form or body, or a row and column of a CSV file. */
    @FunctionalInterface
    interface Problems {
        /** {@code line} is the index in the request's lines, or -1 for a field of the shipment itself. */
        void add(int line, String field, String message, String value);

        /** A date in a message, as the request writes dates: YYYY-MM-DD, or a CSV's convention. */
        default String date(LocalDate date) {
            return date.toString();
        }
    }

    /** A validated shipment, ready to record. */
    record Plan(String carrier, String trackingNumber, LocalDate shipDate, String shippingMethod,
            Map<DropshipmentLine, Integer> quantities) {
    }

    /**
     * Records a shipment of the supplier's dropshipment {@code id}; empty when the supplier cannot see it (another
     * organisation's, not sent yet). Refusals: {@link ValidationException} naming each field (more than remains names
     * the line and what remains now); {@link ConflictException} when it is shipped in full already, changed by the
     * merchant since {@code revision}, or waits for the supplier to acknowledge a change. A cancelled dropshipment is
     * answered {@link Outcome#REFUSED_CANCELLED} and the attempt stays on both timelines.
     */
    @Transactional
    public Optional<Result> ship(long supplierId, long id, ShipInput input, Actor actor) {
        var locked = locks.forSupplier(supplierId, id);
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        Dropshipment d = locked.get().dropshipment();
        SalesOrder order = locked.get().salesOrder();
        List<DropshipmentLine> lines = locks.lines(d);
        var errors = new ValidationException.Builder();
        Problems problems = (line, field, message, value) -> errors
                .add(line < 0 ? field : "lines[" + line + "]." + field, message, value);
        if (input.lines() != null && input.lines().isEmpty()) {
            errors.add("lines", EMPTY_LINES, null);
            // the shipment's other fields are named with it: checked as if the lines were left out
            plan(d, lines, new ShipInput(input.carrier(), input.trackingNumber(), input.shipDate(),
                    input.shippingMethod(), null, input.revision()), (line, field, message, value) -> {
                        if (line < 0 && !field.equals("lines")) {
                            problems.add(line, field, message, value);
                        }
                    });
            errors.throwIfAny();
        }
        Optional<DropshipShipment> earlier = recordedBefore(d, input.carrier(), input.trackingNumber());
        if (earlier.isPresent()) {
            checkSameLines(earlier.get(), lines, input, problems);
            errors.throwIfAny();
            return Optional.of(new Result(Outcome.RECORDED_BEFORE, SupplierOrders.view(earlier.get(), lines),
                    "This shipment (" + earlier.get().carrier + " " + earlier.get().trackingNumber
                            + ") was recorded before; nothing changed."));
        }
        if (input.revision() != null && input.revision() < 1) {
            errors.add("revision", "must be a whole number from 1 (the revision you read)",
                    input.revision().toString());
            errors.throwIfAny();
        }
        String refusal = refusal(d, input.revision());
        if (d.status == Dropshipment.Status.CANCELLED) {
            recordCancelledAttempt(d, order, input.carrier(), input.trackingNumber(), actor);
            return Optional.of(new Result(Outcome.REFUSED_CANCELLED, null, refusal));
        }
        if (refusal != null) {
            throw new ConflictException(refusal);
        }
        Plan plan = plan(d, lines, input, problems);
        errors.throwIfAny();
        DropshipShipment shipment = record(d, order, lines, plan, actor);
        return Optional.of(new Result(Outcome.SHIPPED, SupplierOrders.view(shipment, lines),
                "Shipment recorded: " + plan.carrier() + " " + plan.trackingNumber() + ". The merchant sees it now."));
    }

    /**
     * Acknowledges revision {@code revision} of the supplier's dropshipment {@code id}: records it, writes it on both
     * timelines and fires {@link DropshipAcknowledged} (the merchant's webhook); empty when the supplier cannot see it.
     * The same revision again is answered as done (a retry) and fires nothing.
     *
     * @throws ValidationException
     *             when {@code revision} is below 1 (revisions count from 1)
     * @throws ConflictException
     *             when {@code revision} is not the dropshipment's current one (the merchant changed it again: read the
     *             new change first)
     */
    @Transactional
    public Optional<Acknowledged> acknowledge(long supplierId, long id, int revision, Actor actor) {
        var locked = locks.forSupplier(supplierId, id);
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        if (revision < 1) {
            throw ValidationException.of("revision", "must be a whole number from 1 (the revision you acknowledge)",
                    Integer.toString(revision));
        }
        Dropshipment d = locked.get().dropshipment();
        if (revision <= d.acknowledgedRevision) {
            return Optional.of(new Acknowledged(d.acknowledgedRevision, d.acknowledgedAt, false));
        }
        if (revision != d.revision) {
            throw new ConflictException(revision < d.revision
                    ? "Revision " + revision + " is not the latest: the merchant changed this order again (revision "
                            + d.revision + (d.changeSummary == null ? "" : ": " + d.changeSummary)
                            + "). Read the change and acknowledge revision " + d.revision + "."
                    : "There is no revision " + revision + " of this order; the latest is " + d.revision + ".");
        }
        d.acknowledgedRevision = revision;
        d.acknowledgedAt = Instant.now(clock);
        String detail = d.reference + ": revision " + revision + " acknowledged"
                + (d.changeSummary == null || revision == 1 ? "" : " (" + d.changeSummary + ")");
        timeline.record(Subject.dropshipment(d.supplierId, d.id), actor, ShippingEvent.ACKNOWLEDGED, detail,
                Visibility.INTERNAL);
        timeline.record(Subject.salesOrder(d.merchantId, d.salesOrderId), asSupplier(d, actor),
                ShippingEvent.ACKNOWLEDGED, detail, Visibility.INTERNAL);
        DropshipConnection c = DropshipConnection.findById(d.connectionId);
        acknowledged.fire(new DropshipAcknowledged(d.merchantId, d.supplierId, locked.get().salesOrder().reference,
                d.reference, c == null ? null : c.supplierName, revision, revision == 1 ? null : d.changeSummary,
                d.status.name(), d.acknowledgedAt));
        return Optional.of(new Acknowledged(revision, d.acknowledgedAt, true));
    }

    /** The answer of {@link #acknowledge}: the revision acknowledged, when, and whether this call recorded it. */
    public record Acknowledged(int revision, Instant at, boolean recorded) {
    }

    /**
     * Whether the merchant changed the dropshipment after sending it and the supplier has not acknowledged the change
     * yet. Revision 1 is the dropshipment as first sent: nothing to acknowledge before shipping.
     */
    public static boolean changePending(Dropshipment d) {
        return d.revision > 1 && d.revision > d.acknowledgedRevision;
    }

    /**
     * Why the dropshipment cannot be shipped now, in words for the supplier, or null when it can. Shipping waits for an
     * unacknowledged change: it may have moved the address or lowered a quantity, and a parcel on its way cannot be
     * called back.
     */
    static String refusal(Dropshipment d, Integer seenRevision) {
        if (d.status == Dropshipment.Status.CANCELLED) {
            return "The merchant cancelled " + d.reference + (d.cancelReason == null ? "" : " (" + d.cancelReason + ")")
                    + ": it must not be shipped. The attempt is noted on the order for you and the merchant.";
        }
        if (d.status == Dropshipment.Status.SHIPPED) {
            return d.reference + " is already shipped in full (maybe by someone else meanwhile); nothing changed.";
        }
        if (seenRevision != null && seenRevision > d.revision) {
            return "There is no revision " + seenRevision + " of " + d.reference + " yet; the latest is " + d.revision
                    + ". Nothing was shipped: send the revision you read.";
        }
        if (seenRevision != null && seenRevision != d.revision) {
            return "The merchant changed " + d.reference + " meanwhile (now revision " + d.revision
                    + (d.changeSummary == null ? "" : ": " + d.changeSummary) + "). Nothing was shipped: "
                    + (changePending(d) ? "read the change, acknowledge it, then ship." : "revision " + d.revision
                            + " is acknowledged already; read it, then ship with revision " + d.revision + ".");
        }
        if (changePending(d)) {
            return "The merchant changed " + d.reference + " (revision " + d.revision
                    + (d.changeSummary == null ? "" : ": " + d.changeSummary)
                    + ") and you have not acknowledged it yet. Acknowledge the change first, then ship.";
        }
        return null;
    }

    /** The shipment of this dropshipment with the same carrier and tracking number (case and spaces aside), if any. */
    static Optional<DropshipShipment> recordedBefore(Dropshipment d, String carrier, String trackingNumber) {
        if (carrier == null || trackingNumber == null || carrier.isBlank() || trackingNumber.isBlank()) {
            return Optional.empty();
        }
        return recordedBefore(DropshipShipment.<DropshipShipment> list("dropshipmentId = ?1 order by id", d.id),
                carrier, trackingNumber);
    }

    /** The same among shipments already loaded (a dropshipment's, by id). */
    static Optional<DropshipShipment> recordedBefore(List<DropshipShipment> shipments, String carrier,
            String trackingNumber) {
        if (carrier == null || trackingNumber == null || carrier.isBlank() || trackingNumber.isBlank()) {
            return Optional.empty();
        }
        return shipments.stream().filter(s -> s.carrier.equalsIgnoreCase(carrier.strip())
                && s.trackingNumber.equalsIgnoreCase(trackingNumber.strip())).findFirst();
    }

    /**
     * A retry must ask for what was recorded: lines that name other quantities are a different shipment under a
     * tracking number already used, and refused.
     */
    static void checkSameLines(DropshipShipment earlier, List<DropshipmentLine> lines, ShipInput input,
            Problems problems) {
        if (input.lines() == null || input.lines().isEmpty()) {
            return;
        }
        checkSameLines(earlier, DropshipShipmentLine.list("dropshipShipmentId", earlier.id), lines, input, problems);
    }

    /** The same with the earlier shipment's lines already loaded. */
    static void checkSameLines(DropshipShipment earlier, List<DropshipShipmentLine> carried,
            List<DropshipmentLine> lines, ShipInput input, Problems problems) {
        if (input.lines() == null || input.lines().isEmpty()) {
            return;
        }
        Map<Long, Integer> recorded = new HashMap<>();
        carried.forEach(l -> recorded.put(l.dropshipmentLineId, l.quantity));
        for (int i = 0; i < input.lines().size(); i++) {
            LineInput in = input.lines().get(i);
            DropshipmentLine line = line(lines, in, i, problems);
            if (line == null) {
                continue;
            }
            int was = recorded.getOrDefault(line.id, 0);
            String q = in.quantity() == null ? "" : in.quantity().strip();
            // blank asked for "all that remained", which the earlier shipment took when it carried the line
            boolean same = q.isEmpty() ? was > 0 : q.matches("[0-9]{1,9}") && Integer.parseInt(q) == was;
            if (!same) {
                problems.add(i, "quantity",
                        "differs from the shipment recorded before under " + earlier.carrier + " "
                                + earlier.trackingNumber + " (" + was + " of line " + line.position
                                + "); a new shipment needs its own tracking number",
                        q);
            }
        }
    }

    /** Checks a request against the dropshipment as it is now; every problem goes to {@code problems}. */
    Plan plan(Dropshipment d, List<DropshipmentLine> lines, ShipInput input, Problems reported) {
        int[] lineProblems = { 0 };
        Problems problems = (line, field, message, value) -> {
            lineProblems[0] += line < 0 ? 0 : 1;
            reported.add(line, field, message, value);
        };
        String carrier = text(problems, "carrier", input.carrier(), true);
        String tracking = text(problems, "trackingNumber", input.trackingNumber(), true);
        String method = text(problems, "shippingMethod", input.shippingMethod(), false);
        LocalDate shipDate = shipDate(d.supplierId, reported, input.shipDate()); // a shipment's field, no line's
        Map<DropshipmentLine, Integer> quantities = new LinkedHashMap<>();
        if (input.lines() == null || input.lines().isEmpty()) {
            lines.stream().filter(l -> remaining(l) > 0).forEach(l -> quantities.put(l, remaining(l)));
        } else {
            for (int i = 0; i < input.lines().size(); i++) {
                LineInput in = input.lines().get(i);
                DropshipmentLine line = line(lines, in, i, problems);
                if (line == null) {
                    continue;
                }
                if (quantities.containsKey(line)) {
                    // named by the field the request used for the line
                    problems.add(i, in.sku() == null ? "position" : "sku",
                            "names line " + line.position + " again; give each line once with its total",
                            in.sku() == null ? in.position() : in.sku());
                    continue;
                }
                Integer q = quantity(in.quantity(), line, i, problems);
                if (q != null && q > 0) {
                    quantities.put(line, q);
                }
            }
        }
        // a shipment carries at least one unit: an empty one would mark the order shipped with nothing in the parcel
        if (quantities.isEmpty() && lineProblems[0] == 0) {
            problems.add(-1, "lines",
                    input.lines() == null || input.lines().isEmpty()
                            ? "nothing remains to ship on " + d.reference + "; a shipment carries at least one unit"
                            : "ship at least one unit of a line",
                    null);
        }
        return new Plan(carrier, tracking, shipDate, method == null ? d.shippingMethod : method, quantities);
    }

    private static DropshipmentLine line(List<DropshipmentLine> lines, LineInput in, int index, Problems problems) {
        String position = in.position() == null ? "" : in.position().strip();
        String sku = in.sku() == null ? "" : in.sku().strip();
        if (!position.isEmpty()) {
            var found = lines.stream().filter(l -> Integer.toString(l.position).equals(position)).findFirst();
            if (found.isEmpty()) {
                problems.add(index, "position", "is not a line of this order (lines 1 to " + lines.size() + ")",
                        position);
                return null;
            }
            DropshipmentLine line = found.get();
            // both given: they must name the same line, or the supplier meant another one than the position ships
            if (!sku.isEmpty() && !line.supplierSku.equalsIgnoreCase(sku) && !line.sku.equalsIgnoreCase(sku)) {
                problems.add(index, "sku",
                        "does not match position " + position + ": line " + position + " is " + line.supplierSku
                                + (line.sku.equalsIgnoreCase(line.supplierSku) ? ""
                                        : " (your merchant's " + line.sku + ")")
                                + ", not " + sku + "; give the position or the SKU of the line you ship",
                        sku);
                return null;
            }
            return line;
        }
        if (sku.isEmpty()) {
            problems.add(index, "sku", "is required: the SKU (yours or the merchant's) or the line's position", null);
            return null;
        }
        var bySupplierSku = lines.stream().filter(l -> l.supplierSku.equalsIgnoreCase(sku)).toList();
        var matches = bySupplierSku.isEmpty() ? lines.stream().filter(l -> l.sku.equalsIgnoreCase(sku)).toList()
                : bySupplierSku;
        if (matches.size() != 1) {
            problems.add(index, "sku",
                    matches.isEmpty() ? "is not on this order"
                            : "names " + matches.size() + " lines of this order; give the line's position instead",
                    sku);
            return null;
        }
        return matches.get(0);
    }

    private static Integer quantity(String raw, DropshipmentLine line, int index, Problems problems) {
        String q = raw == null ? "" : raw.strip();
        int remaining = remaining(line);
        if (q.isEmpty()) {
            return remaining;
        }
        if (!q.matches("[0-9]{1,9}")) {
            problems.add(index, "quantity", "must be a whole number of units, 0 or more", q);
            return null;
        }
        int n = Integer.parseInt(q);
        if (n > 0 && line.quantity == 0) {
            // a line is 0 once the merchant removed it after sending (never "only 0 of 0 remain")
            problems.add(index, "quantity", "line " + line.position + " (" + line.supplierSku
                    + ") was removed from the order by the merchant: nothing of it is to ship", q);
            return null;
        }
        if (n > remaining) {
            problems.add(index, "quantity",
                    "line " + line.position + " (" + line.supplierSku + "): only " + remaining + " of " + line.quantity
                            + " remain" + (line.quantityShipped > 0
                                    ? " (" + line.quantityShipped + " shipped already, maybe meanwhile)" : ""),
                    q);
            return null;
        }
        return n;
    }

    /**
     * A one-line text of at most {@link #MAX_TEXT} characters (carrier, tracking number, method); null when refused.
     */
    static String text(Problems problems, String field, String raw, boolean required) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            if (required) {
                problems.add(-1, field, "is required", null);
            }
            return null;
        }
        if (v.length() > MAX_TEXT) {
            problems.add(-1, field, "must be at most " + MAX_TEXT + " characters", v);
            return null;
        }
        if (Unicode.breaksOneLine(v)) {
            problems.add(-1, field, "must be one line, without control characters", null);
            return null;
        }
        return v;
    }

    /**
     * A ship date written YYYY-MM-DD, from {@link #MAX_DAYS_BACK} days before to {@link #MAX_DAYS_AHEAD} after today in
     * the calendar of the organisation that ships; null when refused.
     */
    LocalDate shipDate(long shipperId, Problems problems, String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            problems.add(-1, "shipDate", "is required (YYYY-MM-DD)", null);
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            problems.add(-1, "shipDate", io.portlink.platform.Fields.isoDateProblem(v), v);
            return null;
        }
        LocalDate today = Organization.<Organization> findById(shipperId).format().today(clock);
        if (date.isBefore(today.minusDays(MAX_DAYS_BACK)) || date.isAfter(today.plusDays(MAX_DAYS_AHEAD))) {
            problems.add(-1, "shipDate", "must lie between " + problems.date(today.minusDays(MAX_DAYS_BACK)) + " and "
                    + problems.date(today.plusDays(MAX_DAYS_AHEAD)) + " (today is " + problems.date(today) + ")", v);
            return null;
        }
        return date;
    }

    static int remaining(DropshipmentLine line) {
        return Math.max(0, line.quantity - line.quantityShipped);
    }

    /**
     * Writes a planned shipment: its rows, the dropshipment's lines and status, the merchant's sales order lines and
     * status, both timelines, and the event. The dropshipment and its sales order are locked.
     */
    DropshipShipment record(Dropshipment d, SalesOrder order, List<DropshipmentLine> lines, Plan plan, Actor actor) {
        return record(d, order, lines, SalesOrderLine.list("salesOrderId = ?1 order by position", order.id), plan,
                actor);
    }

    /**
     * {@link #record(Dropshipment, SalesOrder, List, Plan, Actor)} with the sales order's lines already loaded (a
     * file's import loads those of all its orders in a few queries): runs no query, so Hibernate has nothing to flush
     * before one and a file's shipments are written in JDBC batches at the end.
     */
    DropshipShipment record(Dropshipment d, SalesOrder order, List<DropshipmentLine> lines,
            List<SalesOrderLine> salesOrderLines, Plan plan, Actor actor) {
        Instant now = Instant.now(clock);
        DropshipShipment s = new DropshipShipment();
        s.dropshipmentId = d.id;
        s.carrier = plan.carrier();
        s.trackingNumber = plan.trackingNumber();
        s.shipDate = plan.shipDate();
        s.shippingMethod = plan.shippingMethod();
        s.createdAt = now;
        s.createdBy = actor.label().length() > 300 ? actor.label().substring(0, 300) : actor.label();
        s.persist();
        Map<Long, SalesOrderLine> orderLines = new LinkedHashMap<>();
        salesOrderLines.forEach(l -> orderLines.put(l.id, l));
        List<DropshipShipped.Line> eventLines = new ArrayList<>();
        // each side reads its own SKUs and its own date format (the supplier's SKU on the supplier's timeline)
        String head = d.reference + ": " + s.carrier + ' ' + s.trackingNumber + ", shipped ";
        String method = s.shippingMethod == null ? "" : " via " + s.shippingMethod;
        StringBuilder supplierDetail = new StringBuilder(head)
                .append(Organization.<Organization> findById(d.supplierId).format().date(s.shipDate)).append(method);
        StringBuilder merchantDetail = new StringBuilder(head)
                .append(Organization.<Organization> findById(d.merchantId).format().date(s.shipDate)).append(method);
        for (var e : plan.quantities().entrySet()) {
            DropshipmentLine line = e.getKey();
            DropshipShipmentLine sl = new DropshipShipmentLine();
            sl.dropshipShipmentId = s.id;
            sl.dropshipmentLineId = line.id;
            sl.quantity = e.getValue();
            sl.persist();
            line.quantityShipped += e.getValue();
            SalesOrderLine orderLine = orderLines.get(line.salesOrderLineId);
            orderLine.quantityShipped += e.getValue();
            supplierDetail.append("; ").append(line.supplierSku).append(" × ").append(e.getValue());
            merchantDetail.append("; ").append(line.sku).append(" × ").append(e.getValue());
            eventLines.add(new DropshipShipped.Line(orderLine.position, orderLine.sku, line.supplierSku, e.getValue(),
                    orderLine.quantity, orderLine.quantityShipped));
        }
        boolean all = lines.stream().allMatch(l -> remaining(l) == 0);
        Dropshipment.Status before = d.status;
        d.status = all ? Dropshipment.Status.SHIPPED : Dropshipment.Status.PARTIALLY_SHIPPED;
        if (all && d.shippedAt == null) {
            d.shippedAt = now;
        }
        Subject supplierSide = Subject.dropshipment(d.supplierId, d.id);
        Subject merchantSide = Subject.salesOrder(d.merchantId, order.id);
        Actor supplier = asSupplier(d, actor);
        timeline.record(supplierSide, actor, ShippingEvent.SHIPPED, supplierDetail.toString(), Visibility.INTERNAL);
        timeline.record(merchantSide, supplier, ShippingEvent.SHIPPED, merchantDetail.toString(), Visibility.INTERNAL);
        if (before != d.status) {
            timeline.record(supplierSide, actor, ShippingEvent.STATUS, label(before) + " → " + label(d.status),
                    Visibility.INTERNAL);
        }
        SalesOrder.Status orderBefore = order.status;
        if (order.status != SalesOrder.Status.CANCELLED) {
            order.status = statusAfterShipping(orderLines.values());
            order.updatedAt = now;
        }
        if (orderBefore != order.status) {
            timeline.record(merchantSide, supplier, ShippingEvent.STATUS,
                    label(orderBefore) + " → " + label(order.status), Visibility.INTERNAL);
        }
        shipped.fire(new DropshipShipped(d.merchantId, d.supplierId, order.id, order.reference, d.id, d.reference, s.id,
                s.carrier, s.trackingNumber, s.shipDate, s.shippingMethod, List.copyOf(eventLines), d.status,
                order.status, now));
        return s;
    }

    /**
     * A sales order's status after a shipment, whoever shipped (a supplier or the merchant): SHIPPED when every line
     * that stands (removed lines aside) has shipped in full, else PARTIALLY_SHIPPED.
     */
    static SalesOrder.Status statusAfterShipping(java.util.Collection<SalesOrderLine> lines) {
        return lines.stream().filter(l -> l.removedAt == null).allMatch(l -> l.quantityShipped >= l.quantity)
                ? SalesOrder.Status.SHIPPED : SalesOrder.Status.PARTIALLY_SHIPPED;
    }

    /**
     * Writes a refused attempt to ship a cancelled dropshipment on both timelines (the supplier's and the merchant's),
     * once per dropshipment and revision: a retried request or a re-uploaded file is refused again but adds nothing,
     * since both sides already read that the merchant cancelled it. Called under the dropshipment's row lock, so two
     * attempts at once write one entry.
     */
    void recordCancelledAttempt(Dropshipment d, SalesOrder order, String carrier, String tracking, Actor actor) {
        String revision = " (revision " + d.revision + ")";
        if (timeline.latestOf(Subject.dropshipment(d.supplierId, d.id), ShippingEvent.SHIP_REFUSED)
                .filter(e -> e.detail() != null && e.detail().endsWith(revision)).isPresent()) {
            return;
        }
        String what = (carrier == null ? "" : carrier.strip() + " ") + (tracking == null ? "" : tracking.strip());
        String detail = "Shipping " + d.reference + (what.isBlank() ? "" : " (" + what.strip() + ")")
                + " refused: the merchant cancelled it" + (d.cancelReason == null ? "" : " (" + d.cancelReason + ")")
                + revision;
        timeline.record(Subject.dropshipment(d.supplierId, d.id), actor, ShippingEvent.SHIP_REFUSED, detail,
                Visibility.INTERNAL);
        timeline.record(Subject.salesOrder(d.merchantId, order.id), asSupplier(d, actor), ShippingEvent.SHIP_REFUSED,
                detail, Visibility.INTERNAL);
    }

    /** The supplier's actor as the merchant's timeline names it: "supplier <organisation>: <who>". */
    /**
     * The supplier as the merchant's timeline names it: the organisation, as the merchant calls it on the connection
     * ("Mugs Direct (supplier)"), never the supplier's staff member or key, whom the merchant has no business knowing
     * (as the supplier's timeline names the merchant's organisation, not its staff).
     */
    private static Actor asSupplier(Dropshipment d, Actor actor) {
        DropshipConnection c = DropshipConnection.findById(d.connectionId);
        String name = c != null && c.supplierName != null ? c.supplierName
                : Organization.<Organization> findById(d.supplierId).name;
        return new Actor(actor.type(), null, name + " (supplier)");
    }

    /** A status as people read it: PARTIALLY_SHIPPED → "Partially shipped". */
    public static String label(Enum<?> status) {
        String name = status.name().replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
