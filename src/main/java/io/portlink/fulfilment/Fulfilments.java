package io.portlink.fulfilment;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.Consignee;
import io.portlink.purchasing.OrderAmended;
import io.portlink.purchasing.OrderEvent;
import io.portlink.purchasing.OrderLine;
import io.portlink.purchasing.OrderLocks;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.OrderTimeline;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.ShippedQuantities;
import io.portlink.purchasing.VendorDesk;
import io.portlink.purchasing.VendorInput;
import io.portlink.purchasing.VendorMessages;
import io.portlink.shipment.Milestone;
import io.portlink.shipment.MilestoneMail;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentDraft;
import io.portlink.shipment.ShipmentPipeline;
import io.portlink.shipment.ShipmentTriggered;
import io.portlink.shipment.Shipments;
import io.portlink.timeline.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Partial fulfilment through the vendor link: the vendor ships all or part of an order (quantities per line, carrier,
 * tracking number, ship date, expected delivery), each time as a new shipment of the order's organisation that is moved
 * to its DISPATCHED stage (so its milestone rules fire) and carries the expected delivery as its ETA. Backorders are
 * fine; shipping more than remains of a line is refused, naming the line. All of one form or nothing, under the order's
 * row lock ({@link VendorDesk#act(String, String, VendorDesk.Action, VendorDesk.Rules)}), so two tabs never over-ship.
 * Also the read side: per line ordered, shipped, remaining; the order's derived {@link FulfilmentStatus}; its
 * shipments.
 */
@ApplicationScoped
public class Fulfilments {

    private static final Logger LOG = Logger.getLogger(Fulfilments.class);

    /** Most shipments one order lists (a page; an order with more is shipped in absurdly small parts). */
    public static final int SHIPMENTS_SHOWN = 100;

    @Inject
    VendorDesk desk;

    @Inject
    Shipments shipments;

    @Inject
    io.portlink.shipment.Pipelines pipelines;

    @Inject
    OrderTimeline timeline;

    @Inject
    OrderLocks locks;

    @Inject
    Clock clock;

    /**
     * The ship form as posted: {@code lines} (line numbers) and {@code quantities} pair up by position; a blank or 0
     * quantity ships nothing of that line. {@code shipDate} and {@code expectedDelivery} are ISO dates (the date
     * input), optional. {@code everything}: ship all that remains, whatever the quantities say (the short "tracking"
     * form).
     * <p>
     * {@code corrects}: the short tracking form's shipment, drawn once all was shipped to correct that shipment's
     * tracking; blank when it was drawn to ship everything.
     */
    public record ShipForm(List<String> lines, List<String> quantities, String carrier, String trackingNumber,
            String shipDate, String expectedDelivery, boolean everything, String corrects) {
    }

    /**
     * Applies a vendor's ship form (or the short tracking form: everything that remains). See {@link VendorDesk#act}
     * for the outcomes; refusals are {@link ValidationException}s in the vendor's language naming line, field and
     * value.
     */
    @Transactional
    public VendorDesk.Outcome ship(String token, String reference, VendorDesk.Action action, ShipForm form) {
        return desk.act(token, reference, action,
                (order, actor, text, current) -> ship(order, actor, text, current, form));
    }

    /**
     * The vendor's progress form ({@link VendorDesk.Kind#STATUS}): {@link VendorDesk#act}, except that "Dispatched" and
     * "Delivered" are refused while the order's shipments left part of it to ship. An order shipped line by line is
     * dispatched when all of it has shipped and delivered when its shipments are; marked so by hand, staff would read
     * "Dispatched" over goods still at the vendor, or the order would close with goods still owed. An order none of
     * whose lines was shipped (the vendor reports progress only) may still be marked either. The refusal is a
     * {@link ValidationException} in the vendor's language saying how many lines are still to ship.
     * <p>
     * Marked delivered, the order's shipments not yet delivered are moved to their Delivered stage (in a pipeline that
     * has one; another stays for staff to move), so that the customer's tracking page and milestone mails follow what
     * the vendor reported.
     */
    @Transactional
    public VendorDesk.Outcome status(String token, String reference, VendorDesk.Action action) {
        String step = action.status() == null ? "" : action.status().strip();
        boolean delivered = OrderStatus.DELIVERED.name().equalsIgnoreCase(step);
        boolean dispatched = OrderStatus.DISPATCHED.name().equalsIgnoreCase(step);
        boolean preparing = OrderStatus.PREPARING.name().equalsIgnoreCase(step);
        return desk.actChecked(token, reference, action, (order, text) -> {
            if (order.status.isClosed() || !(delivered || dispatched || preparing)) {
                return; // the form's own rules answer these
            }
            Map<Long, BigDecimal> shipped = shippedOfOrder(order.id);
            if (shipped.isEmpty()) {
                return;
            }
            long left = order.lines.stream().filter(l -> remaining(l, shipped).signum() > 0).count();
            if (preparing) {
                if (left == 0) {
                    // everything left already (an order amended down to what shipped): staff would read
                    // "Preparing" over goods on their way or delivered
                    throw VendorDesk.noLongerFits("status", text.error_preparing_all_shipped());
                }
                return;
            }
            if (left > 0) {
                String lines = Locales.count(left, text.lang());
                throw ValidationException.of("status",
                        delivered ? text.error_delivered_lines_left(lines, order.organization.name)
                                : text.error_dispatched_lines_left(lines, order.organization.name),
                        null);
            }
        }, (order, actor) -> {
            if (order.status == OrderStatus.DELIVERED) {
                deliverShipments(order, actor);
            }
        });
    }

    /** The order's live shipments not yet delivered, moved to their pipeline's Delivered stage by {@code actor}. */
    private void deliverShipments(PurchaseOrder order, Actor actor) {
        ShipmentActor by = ShipmentActor.of(actor);
        for (Shipment s : Shipment.<Shipment> list("purchaseOrderId = ?1 and deletedAt is null and deliveredAt is null",
                order.id)) {
            if (s.pipeline.stages.stream().anyMatch(st -> st.milestone == Milestone.DELIVERED)) {
                shipments.changeStage(order.organization.id, s.id, Milestone.DELIVERED.name(), by);
            }
        }
    }

    /**
     * The vendor's decline ({@link VendorDesk.Kind#DECLINE}): {@link VendorDesk#act}, except that an order of which any
     * line has shipped is no longer declined: goods have left, and the buyer would read "declined" over a delivery on
     * its way. The refusal is a {@link ValidationException} in the vendor's language saying to write to the buyer.
     */
    @Transactional
    public VendorDesk.Outcome decline(String token, String reference, VendorDesk.Action action) {
        return desk.actChecked(token, reference, action, (order, text) -> {
            if (order.status.declinable() && !shippedOfOrder(order.id).isEmpty()) {
                throw ValidationException.of("status", text.error_decline_shipped(order.organization.name), null);
            }
        });
    }

    private boolean ship(PurchaseOrder order, Actor actor, VendorMessages text, boolean current, ShipForm form) {
        if (!order.status.acceptsTracking() || order.status == OrderStatus.DELIVERED) {
            throw VendorDesk.noLongerFits("status",
                    text.error_closed(text.status(order.status), order.organization.name));
        }
        Locales.Format format = order.organization.formatFor(order.vendor.language);
        VendorInput input = new VendorInput(text);
        String carrier = input.line(text.carrier(), form.carrier(), 100, null);
        String tracking = input.trackingNumber(form.trackingNumber(), true);
        LocalDate shipDate = date(input, text, format, form.shipDate(), true);
        LocalDate expected = date(input, text, format, form.expectedDelivery(), false);
        if (shipDate != null && expected != null && expected.isBefore(shipDate)) {
            input.add(text.error_delivery_before_ship(format.date(expected), format.date(shipDate)));
        }
        Map<Long, BigDecimal> shipped = shippedOfOrder(order.id);
        Map<OrderLine, BigDecimal> ship = new LinkedHashMap<>();
        int before = input.problems();
        Map<Integer, String> typed = form.everything() ? Map.of()
                : typed(input, text, form, order.lines.stream().map(l -> l.lineNo).collect(Collectors.toSet()));
        boolean linesRefused = input.problems() > before; // a line unknown or twice: said, not "ship something"
        List<String> tooMuch = new ArrayList<>();
        boolean unreadable = false; // a quantity refused for how it was written (its own message says so)
        for (OrderLine line : order.lines) {
            BigDecimal remaining = remaining(line, shipped);
            BigDecimal quantity;
            if (form.everything()) {
                quantity = remaining;
            } else {
                String raw = typed.get(line.lineNo);
                quantity = quantity(input, text, format, line, raw);
                unreadable |= quantity == null;
                if (quantity != null && quantity.compareTo(remaining) > 0) {
                    String message = text.error_ship_too_much(line.lineNo, name(line), format.number(quantity),
                            format.number(remaining));
                    input.add(message);
                    tooMuch.add(message);
                    quantity = null;
                }
            }
            if (quantity != null && quantity.signum() > 0) {
                ship.put(line, quantity);
            }
        }
        // More than remains is the vendor's to fix, whether typed so or shipped meanwhile by another tab: the message
        // says what remains now, and the page shows it (the version cannot tell: opening a page changes the order).
        if (ship.isEmpty() && tooMuch.isEmpty() && !unreadable && !linesRefused && !form.everything()) {
            input.add(text.error_ship_nothing());
        }
        input.throwIfAny();
        if (ship.isEmpty()) {
            // the short tracking form on an order shipped in full: a correction of the latest shipment's tracking
            return correctLatest(order, actor, text, carrier, tracking, shipDate, form.corrects());
        }
        if (form.everything() && !shipped.isEmpty()) {
            // the short form is drawn only while nothing has shipped; once part has, "everything under this tracking"
            // no longer says what the vendor meant (another tab shipped part meanwhile): the page shows the parcels
            throw VendorDesk.noLongerFits("trackingNumber",
                    text.error_tracking_form_part_shipped(latestShipment(order.id).map(s -> s.reference).orElse("")));
        }
        if (recordedBefore(order, carrier, tracking, ship)) {
            // the same parcel sent again (a page reloaded, a form posted twice from two tabs): nothing new
            return false;
        }
        ShipmentActor by = ShipmentActor.of(actor);
        long org = order.organization.id;
        long n = Shipment.count("purchaseOrderId", order.id) + 1;
        String reference = freeReference(org, order, n);
        // the allow-list: the reference, the order's delivery address, its consignee as the shipment's customer (so
        // its milestone rules mail the receiving side); never prices, never the vendor (the page names the sender only
        // if the organisation allows it). The title is what the consignee reads on /t/ and in its mails: a neutral
        // "Delivery 2" in its language, never the PO reference (the buyer's business with the vendor).
        Consignee to = order.consignee();
        String title = MilestoneMail.deliveryTitle(order.organization.formatFor(to.language()).language(), (int) n);
        // in the pipeline the organisation chose for vendors' shipments (else its default)
        ShipmentPipeline pipeline = pipelines.forVendorShipments(org);
        var created = shipments.create(org, new ShipmentDraft(reference, title, to.name(), to.email(), to.phone(),
                to.language(), null, order.deliveryAddress, null, null, null, null, null, null, null), pipeline.id, by);
        shipments.setCarriage(org, created.id(), carrier, tracking, order.id, order.vendor.name, shipDate, by);
        // A custom pipeline without a dispatched stage: the shipment stays in its first stage for staff to move. Asked
        // first, not caught: a refused change (@Transactional) would mark the vendor's whole transaction rollback-only,
        // and the page would say "saved" over a shipment that was never stored.
        if (pipeline.stages.stream().anyMatch(
                st -> st.milestone == Milestone.DISPATCHED || st.name.equalsIgnoreCase(Milestone.DISPATCHED.name()))) {
            shipments.changeStage(org, created.id(), Milestone.DISPATCHED.name(), by);
        }
        if (expected != null) {
            shipments.setEstimatedArrival(org, created.id(), expected, by);
        }
        StringBuilder detail = new StringBuilder(reference).append(": ").append(carrier == null ? "" : carrier + " ")
                .append(tracking);
        for (var e : ship.entrySet()) {
            ShipmentLine l = new ShipmentLine();
            l.shipmentId = created.id();
            l.orderLineId = e.getKey().id;
            l.quantity = e.getValue();
            l.persist();
            detail.append("; line ").append(e.getKey().lineNo).append(" × ")
                    .append(e.getValue().stripTrailingZeros().toPlainString());
            shipped.merge(e.getKey().id, e.getValue(), BigDecimal::add);
        }
        // the order's own carrier and tracking are a copy of its latest shipment's (staff list, search, old readers)
        order.carrier = carrier;
        order.trackingNumber = tracking;
        timeline.record(order, actor, OrderEvent.TRACKING, detail.toString());
        if (order.status.awaitsConfirmation()) {
            // shipping is the vendor's answer: an order partly shipped no longer waits for a confirmation (nor gets
            // reminders asking for one), and counts as answered in the vendor's scorecard
            timeline.record(order, actor, OrderEvent.CONFIRMED, "by shipping " + reference);
            order.status = OrderStatus.ACKNOWLEDGED;
        }
        boolean allShipped = order.lines.stream().allMatch(l -> remaining(l, shipped).signum() <= 0);
        if (allShipped) {
            dispatched(order, actor, "");
        }
        return true;
    }

    /**
     * Whether the order has a live shipment with this tracking number (and carrier, in any case) that carries exactly
     * these quantities of these lines: the same parcel reported again, which adds nothing. A parcel of the same
     * tracking number with other lines or quantities is another part of the order, and is recorded.
     */
    private static boolean recordedBefore(PurchaseOrder order, String carrier, String tracking,
            Map<OrderLine, BigDecimal> ship) {
        List<Shipment> same = Shipment
                .<Shipment> find("purchaseOrderId = ?1 and trackingNumber = ?2 and deletedAt is null order by id",
                        order.id, tracking)
                .page(0, SHIPMENTS_SHOWN).list().stream().filter(s -> carrier == null ? s.carrier == null
                        : s.carrier != null && s.carrier.equalsIgnoreCase(carrier))
                .toList();
        for (Shipment s : same) {
            Map<Long, BigDecimal> lines = new HashMap<>();
            ShipmentLine.<ShipmentLine> list("shipmentId", s.id)
                    .forEach(l -> lines.merge(l.orderLineId, l.quantity, BigDecimal::add));
            if (lines.size() == ship.size() && ship.entrySet().stream().allMatch(
                    e -> lines.containsKey(e.getKey().id) && lines.get(e.getKey().id).compareTo(e.getValue()) == 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A shipment of an order was delivered: when every line of the order is shipped in full and every live shipment of
     * it is delivered, the order moves to its delivered status by the vendor's own path
     * ({@link VendorDesk#deliveredInFull}: timeline, closed, queue). After the shipment's transaction commits, in a new
     * one; once: an order already delivered or closed is left alone. A failure is logged: the order's derived
     * fulfilment status (from its shipments) still reads delivered.
     */
    void onDelivered(@Observes(during = TransactionPhase.AFTER_SUCCESS) ShipmentTriggered event) {
        if (event.trigger() != ShipmentTriggered.Trigger.DELIVERED) {
            return;
        }
        // After the shipment's commit, in a transaction of its own: the delivery path holds the shipment's row lock and
        // a vendor correcting tracking holds the order's, then wants the shipment's; taking the order's lock here,
        // inside the shipment's transaction, would let the two wait on each other. Each delivery asks once its own
        // commit is visible, so of two shipments delivered at once the later one always sees both.
        try {
            QuarkusTransaction.requiringNew().run(() -> orderDelivered(event));
        } catch (RuntimeException e) {
            LOG.errorf(e, "shipment #%d was delivered but its order's delivered status could not be recorded",
                    event.shipmentId());
        }
    }

    /**
     * An order amended down to what its shipments carry has nothing left to ship: it moves on as its last shipment
     * would have moved it. Confirmed or preparing, it is dispatched; when every live shipment of it is delivered as
     * well, it is delivered and closes ({@link VendorDesk#deliveredInFull}). Without this, staff and vendor would read
     * "Confirmed" over goods that all left, and an order whose goods all arrived would stay open until someone marked
     * it. After the amendment commits (its mail to the vendor queued as for any amendment), in a transaction of its own
     * under the order's lock; a shipment delivered meanwhile asks again after its own commit ({@link #onDelivered}) and
     * sees the amended lines. An order none of whose lines shipped, or that closed meanwhile, is left alone. A failure
     * is logged: the amendment stands, and the order's derived fulfilment status still reads shipped or delivered.
     */
    void onAmended(@Observes(during = TransactionPhase.AFTER_SUCCESS) OrderAmended event) {
        try {
            QuarkusTransaction.requiringNew().run(() -> amendedToWhatShipped(event));
        } catch (RuntimeException e) {
            LOG.errorf(e, "order #%d was amended to what has shipped but could not move on", event.orderId());
        }
    }

    private void amendedToWhatShipped(OrderAmended event) {
        PurchaseOrder order = locks.order(event.orderId());
        if (order.status.isClosed() || order.lines.isEmpty() || !allShipped(order)) {
            return;
        }
        if (dispatched(order, event.actor(), " (amended to what has shipped)")) {
            order.updatedAt = Instant.now(clock);
            PurchaseOrder.flush(); // deliveredInFull locks again and reads the order as this transaction wrote it
        }
        desk.deliveredInFull(order.id, event.actor(), Fulfilments::everyShipmentDelivered);
    }

    /**
     * A confirmed or preparing order all of whose lines have shipped moves to Dispatched, with a STATUS entry
     * ("Confirmed → Dispatched" and {@code why}); true when it moved. The one rule for a last shipment and an
     * amendment.
     */
    private boolean dispatched(PurchaseOrder order, Actor actor, String why) {
        if (order.status != OrderStatus.ACKNOWLEDGED && order.status != OrderStatus.PREPARING) {
            return false;
        }
        timeline.record(order, actor, OrderEvent.STATUS,
                order.status.label + " → " + OrderStatus.DISPATCHED.label + why);
        order.status = OrderStatus.DISPATCHED;
        return true;
    }

    /** Whether every live shipment of the order is delivered (one count of those that are not). */
    private static boolean everyShipmentDelivered(PurchaseOrder order) {
        return Shipment.count("purchaseOrderId = ?1 and deletedAt is null and deliveredAt is null", order.id) == 0;
    }

    private void orderDelivered(ShipmentTriggered event) {
        Shipment s = Shipment.findById(event.shipmentId());
        if (s == null || s.purchaseOrderId == null) {
            return;
        }
        PurchaseOrder order = PurchaseOrder.findById(s.purchaseOrderId);
        if (order == null || order.status.isClosed() || !allShipped(order)) {
            return; // a backorder: more shipments to come (each of them will be delivered, and asks again)
        }
        // under the order's lock: another shipment of the order delivered at this moment waits here, then sees this one
        desk.deliveredInFull(order.id, event.actor().timeline(),
                locked -> allShipped(locked) && everyShipmentDelivered(locked));
    }

    private static boolean allShipped(PurchaseOrder order) {
        Map<Long, BigDecimal> shipped = shippedOfOrder(order.id);
        return order.lines.stream().allMatch(l -> remaining(l, shipped).signum() <= 0);
    }

    private boolean correctLatest(PurchaseOrder order, Actor actor, VendorMessages text, String carrier,
            String tracking, LocalDate shipDate, String corrects) {
        Optional<Shipment> latest = latestShipment(order.id);
        if (latest.isEmpty()) {
            throw VendorDesk.noLongerFits("quantity", text.error_nothing_left());
        }
        Shipment s = latest.get();
        if (java.util.Objects.equals(s.carrier, carrier) && java.util.Objects.equals(s.trackingNumber, tracking)) {
            return false;
        }
        if (corrects == null || !corrects.strip().equals(s.reference)) {
            // drawn to ship everything, and another tab shipped it all meanwhile; or drawn to correct a shipment that
            // is
            // no longer the latest: applied, it would overwrite a parcel's tracking the vendor never saw on this page
            throw VendorDesk.noLongerFits("trackingNumber", text.error_tracking_form_outdated(s.reference));
        }
        String before = (s.carrier == null ? "" : s.carrier + " ") + (s.trackingNumber == null ? "" : s.trackingNumber);
        shipments.setCarriage(order.organization.id, s.id, carrier, tracking, order.id, s.senderName,
                shipDate != null ? shipDate : s.shippedOn, ShipmentActor.of(actor));
        order.carrier = carrier;
        order.trackingNumber = tracking;
        timeline.record(order, actor, OrderEvent.TRACKING, s.reference + ": " + (carrier == null ? "" : carrier + " ")
                + tracking + (before.isBlank() ? "" : " (corrected from " + before.strip() + ")"));
        return true;
    }

    /** The order's latest live shipment (by creation), whose tracking the short form corrects. */
    private static Optional<Shipment> latestShipment(long orderId) {
        return Shipment
                .<Shipment> find("purchaseOrderId = ?1 and deletedAt is null order by createdAt desc, id desc", orderId)
                .firstResultOptional();
    }

    /** {@code <order reference>-<n>}, the first n from {@code from} (the order's shipment count + 1) not taken (64). */
    private String freeReference(long org, PurchaseOrder order, long from) {
        long n = from;
        while (true) {
            String suffix = "-" + n;
            String base = order.reference.length() + suffix.length() > 64
                    ? order.reference.substring(0, 64 - suffix.length()) : order.reference;
            if (shipments.idOf(org, base + suffix).isEmpty()) {
                return base + suffix;
            }
            n++;
        }
    }

    /**
     * The quantities typed per line number: the form sends {@code line} and {@code quantity} fields in pairs. A form
     * whose pairs cannot be matched (more lines than quantities or the reverse) or that names a line twice is refused
     * with what is wrong, rather than guessed at: shipping 6 of a line sent twice, or dropping a line without its
     * quantity, would ship what nobody typed.
     */
    private static Map<Integer, String> typed(VendorInput input, VendorMessages text, ShipForm form,
            java.util.Set<Integer> lineNos) {
        Map<Integer, String> typed = new HashMap<>();
        List<String> lines = form.lines() == null ? List.of() : form.lines();
        List<String> quantities = form.quantities() == null ? List.of() : form.quantities();
        if (lines.size() != quantities.size()) {
            input.add(text.error_ship_lines_unmatched(Locales.count(lines.size(), text.lang()),
                    Locales.count(quantities.size(), text.lang())));
        }
        for (int i = 0; i < lines.size() && i < quantities.size(); i++) {
            String raw = lines.get(i) == null ? "" : lines.get(i).strip();
            Integer lineNo = raw.matches("[0-9]{1,9}") ? Integer.valueOf(raw) : null;
            if (lineNo == null || !lineNos.contains(lineNo)) {
                // the page sends only the order's lines: a hand-made or stale form, said rather than dropped
                input.add(text.error_ship_line_unknown(raw.length() > 20 ? raw.substring(0, 20) + "…" : raw));
                continue;
            }
            if (typed.put(lineNo, quantities.get(i)) != null) {
                input.add(text.error_ship_line_twice(lineNo));
            }
        }
        return typed;
    }

    /** How a shipped quantity is typed: digits, with a decimal point or comma and digits after it. */
    private static final java.util.regex.Pattern SHIP_QUANTITY = java.util.regex.Pattern
            .compile("[0-9]+(?:[.,][0-9]+)?");

    /**
     * One mark and exactly three digits after it, after one to three digits not starting with 0 ("1,000", "2.500"): a
     * decimal to one reader and thousands to another. Refused with both readings rather than guessed at (shipping 1
     * where 1,000 was meant). A browser's number field sends "1.000" only when that was typed; "0.250" is no thousands.
     */
    private static final java.util.regex.Pattern AMBIGUOUS = java.util.regex.Pattern
            .compile("[1-9][0-9]{0,2}[.,][0-9]{3}");

    /**
     * A number with an exponent ("1e-4"), which a browser's number field takes and sends as typed: refused, with the
     * number written out for the vendor to type.
     */
    private static final java.util.regex.Pattern EXPONENT = java.util.regex.Pattern
            .compile("[0-9]+(?:\\.[0-9]+)?[eE][+-]?[0-9]{1,2}");

    /** A typed quantity: blank is 0; a number with up to 4 decimals, dot or comma; never negative. */
    private static BigDecimal quantity(VendorInput input, VendorMessages text, Locales.Format format, OrderLine line,
            String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            return BigDecimal.ZERO;
        }
        String shown = v.length() > 20 ? v.substring(0, 20) + "…" : v;
        if (EXPONENT.matcher(v).matches()) {
            BigDecimal written = new BigDecimal(v);
            if (shipQuantity(written)) {
                // ungrouped, with the vendor's decimal comma where it has one (the form reads both marks, and a
                // grouping mark would be read as one)
                String plain = written.stripTrailingZeros().toPlainString();
                char mark = java.text.DecimalFormatSymbols.getInstance(format.locale()).getDecimalSeparator();
                input.add(text.error_ship_quantity_exponent(line.lineNo, name(line), shown,
                        mark == ',' ? plain.replace('.', ',') : plain));
                return null;
            }
        }
        BigDecimal q;
        try {
            // digits with one decimal mark; BigDecimal alone would also read 1e2 as 100 and +5 as 5
            if (!SHIP_QUANTITY.matcher(v).matches()) {
                throw new NumberFormatException(v);
            }
            if (AMBIGUOUS.matcher(v).matches()) {
                BigDecimal decimal = new BigDecimal(v.replace(',', '.'));
                BigDecimal thousands = new BigDecimal(v.replace(",", "").replace(".", ""));
                input.add(text.error_ship_quantity_ambiguous(line.lineNo, name(line), shown, format.number(decimal),
                        thousands.toPlainString()));
                return null;
            }
            q = new BigDecimal(v.indexOf('.') < 0 ? v.replace(',', '.') : v);
        } catch (NumberFormatException e) {
            input.add(text.error_ship_quantity_invalid(line.lineNo, name(line), shown));
            return null;
        }
        if (!shipQuantity(q)) {
            input.add(text.error_ship_quantity_invalid(line.lineNo, name(line), shown));
            return null;
        }
        return q;
    }

    /** Whether a number may be shipped: 0 or more, at most 4 decimals and 15 digits before the mark. */
    private static boolean shipQuantity(BigDecimal q) {
        return q.signum() >= 0 && q.stripTrailingZeros().scale() <= 4 && q.precision() - q.scale() <= 15;
    }

    private static String name(OrderLine line) {
        return line.description != null ? line.description : line.sku != null ? line.sku : "";
    }

    /** A date as the date input sends it (ISO); the ship date defaults to today (UTC) and may not be in the future. */
    private LocalDate date(VendorInput input, VendorMessages text, Locales.Format format, String value,
            boolean shipDate) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return shipDate ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            input.add(text.error_date_invalid(v.length() > 40 ? v.substring(0, 40) + "…" : v));
            return null;
        }
        // the first and last places on earth where a day begins: a ship date is the vendor's, who may be anywhere, so
        // a day that is today somewhere counts as today
        LocalDate earliestToday = LocalDate.now(clock.withZone(ZoneOffset.ofHours(-12)));
        LocalDate latestToday = LocalDate.now(clock.withZone(ZoneOffset.ofHours(14)));
        // an expected delivery is the day the goods arrive, at the buyer: from today in the organisation's zone
        LocalDate deliveryToday = LocalDate.now(clock.withZone(format.zone()));
        if (shipDate && date.isAfter(latestToday)) {
            input.add(text.error_ship_date_future(format.date(date)));
            return null;
        }
        if (shipDate && date.isBefore(earliestToday.minusYears(1))) {
            input.add(text.error_ship_date_too_old(format.date(date), format.date(earliestToday.minusYears(1))));
            return null;
        }
        if (!shipDate && date.isBefore(deliveryToday)) {
            input.add(text.error_date_past(format.date(date),
                    format.date(deliveryToday) + " (" + format.zone().getId() + ")"));
            return null;
        }
        if (!shipDate && date.isAfter(latestToday.plusYears(2))) {
            input.add(text.error_date_too_far(format.date(date), format.date(latestToday.plusYears(2))));
            return null;
        }
        return date;
    }

    // ---------------------------------------------------------------- read side

    /**
     * Shipped so far per line of one order, over live shipments; lines without any are absent. One statement whose text
     * never changes (no list parameter), so Hibernate keeps its translated plan.
     */
    static Map<Long, BigDecimal> shippedOfOrder(long orderId) {
        Map<Long, BigDecimal> shipped = new HashMap<>();
        List<Object[]> rows = ShipmentLine.getEntityManager()
                .createQuery("select l.orderLineId, sum(l.quantity) from ShipmentLine l, OrderLine ol"
                        + " where ol.id = l.orderLineId and ol.order.id = ?1 and exists"
                        + " (select 1 from Shipment s where s.id = l.shipmentId and s.deletedAt is null)"
                        + " group by l.orderLineId", Object[].class)
                .setParameter(1, orderId).getResultList();
        for (Object[] row : rows) {
            shipped.put((Long) row[0], (BigDecimal) row[1]);
        }
        return shipped;
    }

    private static BigDecimal remaining(OrderLine line, Map<Long, BigDecimal> shipped) {
        return remaining(line.quantity, shipped.getOrDefault(line.id, BigDecimal.ZERO));
    }

    private static BigDecimal remaining(BigDecimal ordered, BigDecimal shipped) {
        return ShippedQuantities.remaining(ordered, shipped);
    }

    /**
     * How far each of these orders shipped, for lists: an order absent from the answer has no live shipment
     * ({@link FulfilmentStatus#NOT_SHIPPED}). The same rule as an order's own page ({@link #view}): some quantity left
     * on a line is partially shipped, none left is shipped, and delivered once every live shipment is. One indexed
     * statement (shipments by order), and one more only for the orders that have shipments (what shipped of each line,
     * summed in the database); at most a list's page of ids.
     */
    @Transactional
    public Map<Long, FulfilmentStatus> statuses(Collection<Long> orderIds) {
        Map<Long, FulfilmentStatus> statuses = new HashMap<>();
        if (orderIds.isEmpty()) {
            return statuses;
        }
        Map<Long, Boolean> allDelivered = new HashMap<>();
        Shipment.getEntityManager()
                .createQuery(
                        "select s.purchaseOrderId, count(s), count(s.deliveredAt) from Shipment s"
                                + " where s.purchaseOrderId in ?1 and s.deletedAt is null group by s.purchaseOrderId",
                        Object[].class)
                .setParameter(1, orderIds).getResultList()
                .forEach(row -> allDelivered.put((Long) row[0], ((Long) row[1]).equals(row[2])));
        if (allDelivered.isEmpty()) {
            return statuses;
        }
        // per order: what shipped in all, and how many lines still have something left; summed per line first (a
        // line's shipments), in the database, so that no line of these orders travels to the service
        @SuppressWarnings("unchecked")
        List<Object[]> rows = OrderLine.getEntityManager().createNativeQuery("select x.order_id, sum(x.shipped),"
                + " sum(case when x.shipped < x.quantity then 1 else 0 end) from (select ol.order_id, ol.quantity,"
                + " coalesce(sum(case when s.id is null then null else sl.quantity end), 0) as shipped"
                + " from order_line ol left join shipment_line sl on sl.order_line_id = ol.id"
                + " left join shipment s on s.id = sl.shipment_id and s.deleted_at is null"
                + " where ol.order_id in (:orders) group by ol.order_id, ol.id, ol.quantity) x group by x.order_id",
                Object[].class).setParameter("orders", allDelivered.keySet()).getResultList();
        for (Object[] row : rows) {
            long order = ((Number) row[0]).longValue();
            BigDecimal sent = row[1] instanceof BigDecimal b ? b : new BigDecimal(row[1].toString());
            if (sent.signum() > 0) {
                statuses.put(order, ((Number) row[2]).longValue() > 0 ? FulfilmentStatus.PARTIALLY_SHIPPED
                        : allDelivered.get(order) ? FulfilmentStatus.DELIVERED : FulfilmentStatus.SHIPPED);
            }
        }
        return statuses;
    }

    /** The fulfilment of an order of the organisation, formatted for staff (the organisation's format). */
    @Transactional
    public Optional<OrderFulfilment> forStaff(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference).map(o -> view(o, o.organization.format()));
    }

    /** The fulfilment of an order as its vendor reads it (the vendor's language); empty for an unknown id. */
    @Transactional
    public Optional<OrderFulfilment> forVendor(long orderId) {
        return PurchaseOrder.<PurchaseOrder> findByIdOptional(orderId)
                .map(o -> view(o, o.organization.formatFor(o.vendor.language)));
    }

    /** One line of a shipment, for the API: the order line's number and the quantity (exact decimal). */
    public record ApiLine(int lineNo, BigDecimal quantity) {
    }

    /** One shipment of an order, for the API (dates ISO; {@code deliveredAt} UTC, null before delivery). */
    public record ApiShipment(String reference, String carrier, String trackingNumber, LocalDate shippedOn,
            LocalDate expectedDelivery, Milestone milestone, java.time.Instant deliveredAt, List<ApiLine> lines) {
    }

    /** An order's derived status and shipments (oldest first, at most {@value #SHIPMENTS_SHOWN}), for the API. */
    public record ApiFulfilment(FulfilmentStatus status, List<ApiShipment> shipments) {
    }

    /** {@link ApiFulfilment} of an order of the organisation; empty for an unknown reference. */
    @Transactional
    public Optional<ApiFulfilment> forApi(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference).map(o -> {
            OrderFulfilment view = view(o, o.organization.format());
            Map<Long, Integer> lineNos = new HashMap<>();
            o.lines.forEach(l -> lineNos.put(l.id, l.lineNo));
            List<ApiShipment> list = new ArrayList<>();
            for (OrderFulfilment.ShipmentView v : view.shipments()) {
                Shipment s = Shipment.findById(v.id());
                List<ApiLine> lines = ShipmentLine.<ShipmentLine> find("shipmentId = ?1 order by id", s.id).stream()
                        .map(l -> new ApiLine(lineNos.getOrDefault(l.orderLineId, 0), l.quantity.stripTrailingZeros()))
                        .toList();
                list.add(new ApiShipment(s.reference, s.carrier, s.trackingNumber, s.shippedOn, s.estimatedArrival,
                        s.stage.milestone, s.deliveredAt, lines));
            }
            return new ApiFulfilment(view.status(), list);
        });
    }

    /** The purchase order a shipment belongs to, as staff name it: its reference; empty without one. */
    @Transactional
    public Optional<String> orderOf(long organizationId, long shipmentId) {
        Shipment s = Shipment.findById(shipmentId);
        if (s == null || s.purchaseOrderId == null || s.organization.id != organizationId) {
            return Optional.empty();
        }
        PurchaseOrder o = PurchaseOrder.findById(s.purchaseOrderId);
        return o == null ? Optional.empty() : Optional.of(o.reference);
    }

    static OrderFulfilment view(PurchaseOrder order, Locales.Format format) {
        Map<Long, BigDecimal> shipped = order.lines.isEmpty() ? Map.of() : shippedOfOrder(order.id);
        // the stage comes with the shipment: every row shows it
        List<Shipment> list = Shipment.<Shipment> find(
                "from Shipment s join fetch s.stage where s.purchaseOrderId = ?1 and s.deletedAt is null"
                        + " order by s.createdAt, s.id",
                order.id).page(0, SHIPMENTS_SHOWN).list();
        List<FulfilmentReads.Carried> carried = List.of();
        if (!list.isEmpty()) {
            // the lines of the order's live shipments, by a statement whose text never changes (no list parameter);
            // those of shipments past the first page are not shown
            carried = ShipmentLine
                    .<ShipmentLine> find(
                            "from ShipmentLine l where exists (select 1 from Shipment s where s.id = l.shipmentId"
                                    + " and s.purchaseOrderId = ?1 and s.deletedAt is null) order by l.id",
                            order.id)
                    .list().stream().map(l -> new FulfilmentReads.Carried(l.shipmentId, l.orderLineId, l.quantity))
                    .toList();
        }
        List<VendorDesk.StoredLine> lines = order.lines.stream().map(l -> new VendorDesk.StoredLine(l.id, l.lineNo,
                l.sku, l.description, l.quantity, l.unit, l.unitPrice, l.currency)).toList();
        List<FulfilmentReads.Sent> shipments = list.stream()
                .map(s -> new FulfilmentReads.Sent(s.id, s.reference, s.carrier, s.trackingNumber, s.shippedOn,
                        s.estimatedArrival, s.stage.name, s.stage.milestone, s.deliveredAt != null))
                .toList();
        return view(lines, shipped, shipments, carried, format);
    }

    /**
     * The fulfilment of an order as its vendor reads it, in one plain statement on {@code c} outside any transaction
     * ({@link FulfilmentReads}: the shipped lines of its live shipments and its live shipments with their stages): the
     * same as {@link #forVendor(long)} for the order of {@code lines} (as stored, by line number) in the vendor's
     * {@code format}.
     *
     * @throws SQLException
     *             when the database cannot be read
     */
    public static OrderFulfilment forVendor(Connection c, long orderId, List<VendorDesk.StoredLine> lines,
            Locales.Format format) throws SQLException {
        return forVendor(FulfilmentReads.fulfilment(c, orderId), lines, format);
    }

    private static OrderFulfilment forVendor(FulfilmentReads.Read read, List<VendorDesk.StoredLine> lines,
            Locales.Format format) {
        Map<Long, BigDecimal> shipped = new HashMap<>();
        for (FulfilmentReads.Carried l : read.shippedLines()) {
            shipped.merge(l.orderLineId(), l.quantity(), BigDecimal::add);
        }
        return view(lines, shipped, read.shipments(), read.shippedLines(), format);
    }

    /**
     * The vendor page's fulfilment rows, read with the page in its round trip ({@link VendorDesk#read}): the statement
     * of {@link #forVendor(Connection, long, List, Locales.Format)} with the order's id as the page's subquery.
     */
    public static final VendorDesk.Companion<VendorPageRows> VENDOR_PAGE = new VendorDesk.Companion<>() {
        @Override
        public String sql(String orderId) {
            return FulfilmentReads.sql(orderId);
        }

        @Override
        public int orderIdUses() {
            return FulfilmentReads.ORDER_ID_USES;
        }

        @Override
        public VendorPageRows read(ResultSet rs) throws SQLException {
            return new VendorPageRows(FulfilmentReads.read(rs));
        }
    };

    /** What {@link #VENDOR_PAGE} read, for {@link #forVendorPage}. */
    public static final class VendorPageRows {
        private final FulfilmentReads.Read read;

        VendorPageRows(FulfilmentReads.Read read) {
            this.read = read;
        }
    }

    /**
     * The fulfilment of the order the vendor page shows from what {@link #VENDOR_PAGE} read with it, as
     * {@link #forVendor(Connection, long, List, Locales.Format)} reads it; empty when they were read for another order
     * (the order a reference reaches was replaced between the page's statement and theirs), for the caller to read it
     * by its id.
     */
    public static Optional<OrderFulfilment> forVendorPage(VendorPageRows rows, long orderId,
            List<VendorDesk.StoredLine> lines, Locales.Format format) {
        if (rows == null || rows.read.order() == null || rows.read.order() != orderId) {
            return Optional.empty();
        }
        return Optional.of(forVendor(rows.read, lines, format));
    }

    /**
     * An order's fulfilment from what was read: its lines, the quantity shipped per order line id (live shipments), its
     * live shipments (oldest first, the page shown) and the shipped lines of those shipments (by id).
     */
    private static OrderFulfilment view(List<VendorDesk.StoredLine> orderLines, Map<Long, BigDecimal> shipped,
            List<FulfilmentReads.Sent> list, List<FulfilmentReads.Carried> shippedLines, Locales.Format format) {
        List<OrderFulfilment.LineView> lines = new ArrayList<>();
        Map<Long, VendorDesk.StoredLine> byId = new HashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        boolean remains = false;
        for (VendorDesk.StoredLine l : orderLines) {
            byId.put(l.id(), l);
            BigDecimal s = shipped.getOrDefault(l.id(), BigDecimal.ZERO);
            BigDecimal left = remaining(l.quantity(), s);
            total = total.add(s);
            remains |= left.signum() > 0;
            lines.add(new OrderFulfilment.LineView(l.lineNo(), l.sku(), l.description(), l.unit(),
                    format.number(l.quantity()), format.number(s), format.number(left),
                    left.stripTrailingZeros().toPlainString(), left.signum() <= 0));
        }
        Map<Long, List<OrderFulfilment.ShippedLine>> carried = new HashMap<>();
        if (!list.isEmpty()) {
            for (FulfilmentReads.Carried sl : shippedLines) {
                VendorDesk.StoredLine l = byId.get(sl.orderLineId());
                if (l != null) {
                    carried.computeIfAbsent(sl.shipmentId(), k -> new ArrayList<>())
                            .add(new OrderFulfilment.ShippedLine(l.lineNo(),
                                    l.description() != null ? l.description() : l.sku() != null ? l.sku() : "",
                                    format.number(sl.quantity()), l.unit()));
                }
            }
        }
        List<OrderFulfilment.ShipmentView> views = list.stream()
                .map(s -> new OrderFulfilment.ShipmentView(s.id(), s.reference(), s.carrier(), s.trackingNumber(),
                        format.date(s.shippedOn()), format.date(s.expectedDelivery()), s.stage(), s.milestone(),
                        s.delivered(), carried.getOrDefault(s.id(), List.of())))
                .toList();
        FulfilmentStatus status = total.signum() == 0 ? FulfilmentStatus.NOT_SHIPPED
                : remains ? FulfilmentStatus.PARTIALLY_SHIPPED
                        : views.stream().allMatch(OrderFulfilment.ShipmentView::delivered) ? FulfilmentStatus.DELIVERED
                                : FulfilmentStatus.SHIPPED;
        return new OrderFulfilment(status, lines, views);
    }
}
