package io.portlink.purchasing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.Links;
import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.mail.VendorMail;
import io.portlink.timeline.Actor;

/**
 * Amending purchase orders: revision N becomes N+1 with what changed recorded per line and field, and the vendor is
 * asked to acknowledge it. See {@link #amend}.
 */
@ApplicationScoped
public class OrderRevisions {

    /**
     * Timeline details are at most this long, the column's length (the full list stays in {@link OrderRevision}).
     */
    static final int DETAIL_MAX = io.portlink.timeline.TimelineEntry.DETAIL_LENGTH;

    @Inject
    Clock clock;

    @Inject
    OrderLocks locks;

    @Inject
    OrderTimeline timeline;

    @Inject
    VendorLinks vendorLinks;

    @Inject
    VendorMail mail;

    @Inject
    Event<OrderAmended> amended;

    @Inject
    Instance<ShippedQuantities> shippedQuantities;

    /**
     * What an amendment did. {@code changed} false: the draft equals the order, nothing was written or sent and
     * {@code revision} is the order's unchanged one. {@code vendorMailed}: a "PO changed" mail was queued;
     * {@code awaitsAcknowledgement}: the vendor is asked to acknowledge {@code revision} (false when the vendor never
     * got the order, or only consignee details changed, which the vendor never sees).
     */
    public record Amended(String reference, int revision, boolean changed, List<RevisionChange> changes,
            boolean vendorMailed, boolean awaitsAcknowledgement) {
    }

    /**
     * Amends an order of the organisation to {@code draft} (the whole order as it should be now: lines, quantities,
     * prices, requested date, delivery address, consignee; the same shape as creating it), if the order is still at
     * {@code expectedRevision}. Under the order's row lock, so of two amendments of one revision at once exactly one
     * wins and the other gets a {@link StaleRevisionException}.
     * <p>
     * Lines are matched to the order's lines by SKU, then (lines without a SKU on either side) by position; a matched
     * line keeps its line number, an unmatched new line is added with the next free number, an unmatched old line is
     * removed. The vendor cannot change by an amendment (its contact details in the draft are ignored: they belong to
     * the vendor record). Changes make revision N+1: an {@link OrderRevision} with the changes, an AMENDED timeline
     * entry ({@code revision 2: line 1 (Mug): quantity 10 → 12; ...}), the order's content hash follows (so the amended
     * order POSTed again is "unchanged"), and, when the vendor had been sent the order and a change is one the vendor
     * sees, the order awaits the vendor's acknowledgement and a "PO changed" mail with the new PDF goes to the vendor's
     * e-mail (none without one: the portal banner still shows). No changes: nothing happens.
     *
     * @return empty when the organisation has no order {@code reference}
     *
     * @throws StaleRevisionException
     *             the order is no longer at {@code expectedRevision}
     * @throws ValidationException
     *             the draft names another reference or vendor; the order is closed (delivered, declined, cancelled:
     *             field {@code status}); a line would drop below what was shipped of it, or a line with shipments would
     *             be removed (field {@code lines[i].quantity} or {@code lines}); all at once
     */
    @Transactional
    public Optional<Amended> amend(long organizationId, String reference, int expectedRevision, OrderDraft draft,
            Actor actor) {
        return locks.order(organizationId, reference).map(order -> amend(order, expectedRevision, draft, actor));
    }

    private Amended amend(PurchaseOrder order, int expectedRevision, OrderDraft draft, Actor actor) {
        if (order.revision != expectedRevision) {
            if (expectedRevision < order.revision && draft.sameContent(order.contentHash)) {
                // the same amendment again (a retry after a lost answer): the order already is what was asked
                return new Amended(order.reference, order.revision, false, List.of(), false,
                        order.changeUnacknowledged());
            }
            throw new StaleRevisionException(order.reference, expectedRevision, order.revision);
        }
        var errors = new ValidationException.Builder();
        if (!order.reference.equals(draft.reference())) {
            errors.add("reference", "must be the order's reference " + order.reference
                    + " (a reference cannot be amended; create a new order instead)", draft.reference());
        }
        if (!sameVendor(order.vendor, draft.vendor())) {
            errors.add("vendor", "must stay " + order.vendor.name + " (an amendment cannot change the vendor; cancel"
                    + " the order and create a new one for the other vendor)", draft.vendor().name());
        }
        if (order.status.isClosed()) {
            errors.add("status", "a " + order.status.label.toLowerCase() + " order cannot be amended",
                    order.status.label);
        }
        errors.throwIfAny();

        List<OrderLine> old = List.copyOf(order.lines);
        OrderLine[] matched = match(old, draft.lines());
        List<RevisionChange> changes = new ArrayList<>();
        Map<Long, BigDecimal> shipped = shipped(order);
        Set<OrderLine> kept = new HashSet<>();
        for (int i = 0; i < matched.length; i++) {
            if (matched[i] != null) {
                kept.add(matched[i]);
            }
        }
        shippedProblems(old, matched, draft.lines(), shipped)
                .forEach(e -> errors.add(e.field(), e.message(), e.value()));
        for (OrderLine line : old) {
            if (!kept.contains(line)) {
                changes.add(new RevisionChange(line.lineNo, item(line.sku, line.description), line.unit,
                        RevisionChange.Field.LINE_REMOVED, plain(line.quantity), null));
            }
        }
        int nextLineNo = old.stream().mapToInt(l -> l.lineNo).max().orElse(0) + 1;
        List<Runnable> writes = new ArrayList<>();
        for (int i = 0; i < matched.length; i++) {
            OrderDraft.Line n = draft.lines().get(i);
            OrderLine line = matched[i];
            if (line == null) {
                int lineNo = nextLineNo++;
                changes.add(new RevisionChange(lineNo, item(n.sku(), n.description()), n.unit(),
                        RevisionChange.Field.LINE_ADDED, null, plain(n.quantity())));
                writes.add(() -> add(order, lineNo, n));
                continue;
            }
            String name = item(line.sku, line.description);
            int no = line.lineNo;
            text(changes, no, name, line.unit, RevisionChange.Field.SKU, line.sku, n.sku());
            text(changes, no, name, line.unit, RevisionChange.Field.DESCRIPTION, line.description, n.description());
            number(changes, no, name, line.unit, RevisionChange.Field.QUANTITY, line.quantity, n.quantity());
            text(changes, no, name, line.unit, RevisionChange.Field.UNIT, line.unit, n.unit());
            number(changes, no, name, line.unit, RevisionChange.Field.UNIT_PRICE, line.unitPrice, n.unitPrice());
            text(changes, no, name, line.unit, RevisionChange.Field.CURRENCY, line.currency, n.currency());
            writes.add(() -> {
                line.sku = n.sku();
                line.description = n.description();
                line.quantity = n.quantity();
                line.unit = n.unit();
                line.unitPrice = n.unitPrice();
                line.currency = n.currency();
            });
        }
        errors.throwIfAny();
        text(changes, null, null, null, RevisionChange.Field.REQUESTED_DATE,
                order.requestedDate == null ? null : order.requestedDate.toString(),
                draft.requestedDate() == null ? null : draft.requestedDate().toString());
        text(changes, null, null, null, RevisionChange.Field.DELIVERY_ADDRESS, order.deliveryAddress,
                draft.deliveryAddress());
        Consignee c = draft.consignee();
        text(changes, null, null, null, RevisionChange.Field.CONSIGNEE_NAME, order.consigneeName, c.name());
        text(changes, null, null, null, RevisionChange.Field.CONSIGNEE_EMAIL, order.consigneeEmail, c.email());
        text(changes, null, null, null, RevisionChange.Field.CONSIGNEE_PHONE, order.consigneePhone, c.phone());
        text(changes, null, null, null, RevisionChange.Field.CONSIGNEE_LANGUAGE, order.consigneeLanguage, c.language());
        if (changes.isEmpty()) {
            // nothing new (the same body at the current revision): the order's own state, as a retry with the older
            // revision is answered
            return new Amended(order.reference, order.revision, false, List.of(), false, order.changeUnacknowledged());
        }

        // removed lines go first: their rows are deleted, the others updated or added
        for (OrderLine line : old) {
            if (!kept.contains(line)) {
                order.lines.remove(line);
                line.delete();
            }
        }
        writes.forEach(Runnable::run);
        order.lines.sort(java.util.Comparator.comparingInt(l -> l.lineNo));
        order.requestedDate = draft.requestedDate();
        order.deliveryAddress = draft.deliveryAddress();
        order.consigneeName = c.name();
        order.consigneeEmail = c.email();
        order.consigneePhone = c.phone();
        order.consigneeLanguage = c.language();
        order.contentHash = draft.contentHash();
        Instant now = Instant.now(clock);
        order.updatedAt = now;
        boolean outstanding = order.changeUnacknowledged(); // an earlier revision the vendor still has to acknowledge
        order.revision++;

        boolean vendorVisible = changes.stream().anyMatch(RevisionChange::vendorVisible);
        // the vendor acknowledges only what it was sent and can see; anything else is acknowledged by nobody's wait
        boolean awaits = vendorVisible && order.vendorHasIt();
        if (!awaits && !outstanding) {
            order.acknowledgedRevision = order.revision;
        }
        OrderRevision revision = new OrderRevision();
        revision.purchaseOrderId = order.id;
        revision.revision = order.revision;
        revision.createdAt = now;
        revision.createdBy = actor.label();
        revision.changes = RevisionChange.toJson(changes);
        revision.vendorVisible = vendorVisible;
        revision.persist();
        // stored plain: the API gives the timeline to programs, which read 1000, not 1.000
        timeline.record(order, actor, OrderEvent.AMENDED, detail(order.revision, changes, null));

        boolean mailed = false;
        if (awaits && order.vendor.email != null) {
            Links.Issued link = vendorLinks.issue(order, null, null, actor.label());
            mail.queueChange(order, link, changes, actor);
            mailed = true;
        }
        if (shipped.values().stream().anyMatch(q -> q.signum() > 0)) {
            // only an order with shipments can have been amended down to them (no new transaction for the others)
            amended.fire(new OrderAmended(order.id, actor));
        }
        return new Amended(order.reference, order.revision, true, List.copyOf(changes), mailed,
                order.changeUnacknowledged());
    }

    static String detail(int revision, List<RevisionChange> changes, Locales.Format format) {
        StringBuilder detail = new StringBuilder("revision ").append(revision).append(": ");
        for (int i = 0; i < changes.size(); i++) {
            String next = (i == 0 ? "" : "; ") + changes.get(i).english(format);
            if (detail.length() + next.length() > DETAIL_MAX - 40) {
                detail.append("; … ").append(changes.size() - i).append(" more (see the revision history)");
                break;
            }
            detail.append(next);
        }
        return detail.toString();
    }

    /**
     * For each new line, the order line it continues, or null for an added line: by equal SKU first, then lines without
     * a SKU (on either side) by position.
     */
    static OrderLine[] match(List<OrderLine> old, List<OrderDraft.Line> lines) {
        OrderLine[] matched = new OrderLine[lines.size()];
        Set<OrderLine> taken = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String sku = lines.get(i).sku();
            if (sku == null) {
                continue;
            }
            for (OrderLine line : old) {
                if (!taken.contains(line) && sku.equals(line.sku)) {
                    matched[i] = line;
                    taken.add(line);
                    break;
                }
            }
        }
        for (int i = 0; i < lines.size() && i < old.size(); i++) {
            OrderLine line = old.get(i);
            if (matched[i] == null && !taken.contains(line) && (line.sku == null || lines.get(i).sku() == null)) {
                matched[i] = line;
                taken.add(line);
            }
        }
        return matched;
    }

    private void add(PurchaseOrder order, int lineNo, OrderDraft.Line n) {
        OrderLine line = new OrderLine();
        line.order = order;
        line.lineNo = lineNo;
        line.sku = n.sku();
        line.description = n.description();
        line.quantity = n.quantity();
        line.unit = n.unit();
        line.unitPrice = n.unitPrice();
        line.currency = n.currency();
        line.persist();
        order.lines.add(line);
    }

    /**
     * What an amendment's lines would do against what was shipped of the order's lines: a shipped line left out
     * (removed), a quantity below what was shipped of its line. {@code lines} may be partly read (a null quantity is
     * not compared), so a form refusing other cells names these in the same answer; the amendment itself checks the
     * same. Empty for no such order or a closed one. Field names as in {@link #amend}: {@code lines},
     * {@code lines[i].quantity}; the values plain numbers.
     */
    @Transactional
    public List<ValidationException.FieldError> shippedProblems(long organizationId, String reference,
            List<OrderDraft.Line> lines) {
        return PurchaseOrder.<PurchaseOrder> find("organization.id = ?1 and reference = ?2", organizationId, reference)
                .firstResultOptional().filter(o -> !o.status.isClosed()).map(order -> {
                    List<OrderLine> old = List.copyOf(order.lines);
                    return shippedProblems(old, match(old, lines), lines, shipped(order));
                }).orElse(List.of());
    }

    private static List<ValidationException.FieldError> shippedProblems(List<OrderLine> old, OrderLine[] matched,
            List<OrderDraft.Line> lines, Map<Long, BigDecimal> shipped) {
        var errors = new ValidationException.Builder();
        Set<OrderLine> kept = new HashSet<>();
        for (OrderLine line : matched) {
            if (line != null) {
                kept.add(line);
            }
        }
        for (OrderLine line : old) {
            BigDecimal s = shipped.getOrDefault(line.id, BigDecimal.ZERO);
            if (!kept.contains(line) && s.signum() > 0) {
                errors.add("lines", "line " + line.lineNo + " (" + item(line.sku, line.description) + ") has "
                        + plain(s) + " shipped already and cannot be removed", null);
            }
        }
        for (int i = 0; i < matched.length; i++) {
            OrderLine line = matched[i];
            BigDecimal quantity = lines.get(i).quantity();
            BigDecimal s = line == null ? BigDecimal.ZERO : shipped.getOrDefault(line.id, BigDecimal.ZERO);
            if (line != null && quantity != null && quantity.compareTo(s) < 0) {
                errors.add(
                        "lines[" + i + "].quantity", "line " + line.lineNo + " (" + item(line.sku, line.description)
                                + ") has " + plain(s) + " shipped already: the quantity cannot go below that",
                        plain(quantity));
            }
        }
        return errors.errors();
    }

    private Map<Long, BigDecimal> shipped(PurchaseOrder order) {
        if (order.lines.isEmpty() || !shippedQuantities.isResolvable()) {
            return Map.of();
        }
        return shippedQuantities.get().shippedOfOrder(order.id);
    }

    private static boolean sameVendor(Vendor vendor, Vendors.Contact contact) {
        if (contact == null) {
            return false;
        }
        if (Objects.equals(vendor.matchKey, contact.key())) {
            return true;
        }
        // the vendor named without its e-mail, or with its e-mail and another spelling of its name
        return (contact.email() == null && Objects.equals(vendor.nameKey, VendorNames.key(contact.name())))
                || (contact.email() != null && vendor.email != null && vendor.email.equalsIgnoreCase(contact.email()));
    }

    private static String item(String sku, String description) {
        return description != null ? description : sku;
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }

    private static void text(List<RevisionChange> changes, Integer line, String item, String unit,
            RevisionChange.Field field, String from, String to) {
        if (!Objects.equals(from, to)) {
            changes.add(new RevisionChange(line, item, unit, field, from, to));
        }
    }

    private static void number(List<RevisionChange> changes, Integer line, String item, String unit,
            RevisionChange.Field field, BigDecimal from, BigDecimal to) {
        boolean same = from == null ? to == null : to != null && from.compareTo(to) == 0;
        if (!same) {
            changes.add(new RevisionChange(line, item, unit, field, plain(from), plain(to)));
        }
    }
}
