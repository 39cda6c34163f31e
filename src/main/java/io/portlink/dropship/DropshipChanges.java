package io.portlink.dropship;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;

/**
 * The merchant's changes to a sales order after it arrived: cancel (with a reason), a new ship-to, a line's quantity, a
 * line removed. Each applies to the order and to its dropshipments that are not cancelled:
 * <ul>
 * <li>a dropshipment still {@link Dropshipment.Status#ROUTED} (the supplier does not have it yet) is simply
 * updated;</li>
 * <li>one the supplier has ({@code sentAt} set) gets a new {@code revision} with {@code changeSummary} and
 * {@code changedAt}, an entry on both timelines (the merchant's order, the supplier's dropshipment), and a mail to the
 * supplier's admins through the outbox, in the same transaction: the change reaches the supplier at once, who must
 * acknowledge it ("change not yet acknowledged" until {@code acknowledgedRevision == revision}).</li>
 * </ul>
 * A dropshipment the supplier has whose every line is removed is cancelled with that change (reason "every line
 * removed"). Refused with a message saying why: anything on a cancelled order, changes touching a line with shipped
 * units or a shipped dropshipment, cancelling an order any part of which has shipped. The order's row is locked first,
 * so a change and a routing of the same order never interleave.
 */
@ApplicationScoped
public class DropshipChanges {

    @Inject
    Clock clock;

    @Inject
    Timeline timeline;

    @Inject
    DropshipMails mails;

    @Inject
    jakarta.enterprise.event.Event<SalesOrderChanged> changed;

    /**
     * A dropshipment a change reached: its reference, its new revision when the supplier had it (else null), and how
     * many of the supplier's admins were e-mailed. Never their addresses: the merchant sees the supplier's
     * organisation, not its staff (README "Dropship").
     */
    public record Told(String reference, Integer revision, int adminsMailed) {
    }

    /** What a change did: its summary, and each dropshipment it touched. */
    public record Change(String reference, String summary, List<Told> dropshipments) {
    }

    /**
     * Cancels the order and its dropshipments, once: the first reason stays. Empty for no such order.
     *
     * @throws ValidationException
     *             without a reason (1 to 1000 characters)
     * @throws ConflictException
     *             when already cancelled for another reason (saying when, by whom and why; the same reason again is a
     *             retry: answered as done, nothing changes), or when a dropshipment has shipped (in part or whole)
     */
    @Transactional
    public Optional<Change> cancel(long organizationId, String reference, String reason, Actor actor) {
        var errors = new ValidationException.Builder();
        String why = new Fields(errors, null, 1000).text("reason", reason, true, 1000);
        errors.throwIfAny();
        return locked(organizationId, reference).map(order -> {
            if (order.status == SalesOrder.Status.CANCELLED && why.equals(order.cancelReason)) {
                // a retry of the cancel that went through: answered as done, nothing written or published again
                return new Change(order.reference, "Nothing changed: already cancelled", List.of());
            }
            refuseIfAlreadyCancelled(order);
            List<Dropshipment> live = live(order);
            for (Dropshipment d : live) {
                if (d.status == Dropshipment.Status.SHIPPED || d.status == Dropshipment.Status.PARTIALLY_SHIPPED
                        || d.shippedAt != null) {
                    throw new ConflictException("dropshipment " + d.reference + " has already shipped"
                            + (d.status == Dropshipment.Status.PARTIALLY_SHIPPED ? " in part" : "") + ", so order "
                            + order.reference + " can no longer be cancelled; nothing was changed");
                }
            }
            if (order.status == SalesOrder.Status.SHIPPED || order.status == SalesOrder.Status.PARTIALLY_SHIPPED) {
                throw new ConflictException("order " + order.reference + " has already shipped"
                        + (order.status == SalesOrder.Status.PARTIALLY_SHIPPED ? " in part" : "")
                        + ", so it can no longer be cancelled; nothing was changed");
            }
            Instant now = Instant.now(clock);
            order.status = SalesOrder.Status.CANCELLED;
            order.cancelReason = why;
            order.updatedAt = now;
            String summary = "Cancelled: " + why;
            // the order's own entry first: what each dropshipment was sent follows it on the timeline
            timeline.record(Subject.salesOrder(organizationId, order.id), actor, SalesOrderEvent.CANCELLED, why,
                    Visibility.INTERNAL);
            List<Told> told = new ArrayList<>();
            List<SalesOrderChanged.Copy> copies = new ArrayList<>();
            for (Dropshipment d : live) {
                d.status = Dropshipment.Status.CANCELLED;
                d.cancelledAt = now;
                d.cancelReason = why;
                told.add(tell(order, d, summary, actor, now));
                copies.add(copy(d));
            }
            changed.fire(new SalesOrderChanged(organizationId, order.reference, SalesOrderChanged.Kind.CANCELLED, why,
                    order.status.name(), List.copyOf(copies), List.of(), null, null, now));
            return new Change(order.reference, summary, told);
        });
    }

    /**
     * Gives the order a new ship-to; its dropshipments follow. The same ship-to again changes nothing. Empty for no
     * such order.
     *
     * @throws ValidationException
     *             naming each problem (name and address required)
     * @throws ConflictException
     *             when cancelled, when a dropshipment has shipped, or when any line has shipped units (a partly shipped
     *             order), naming those lines
     */
    @Transactional
    public Optional<Change> changeShipTo(long organizationId, String reference, String name, String company,
            String address, String phone, Actor actor) {
        var errors = new ValidationException.Builder();
        Fields f = new Fields(errors, null, 1000);
        var to = new SalesOrderDraft.ShipTo(f.line("name", name, true, 200), f.line("company", company, false, 200),
                f.text("address", address, true, 1000), f.phone("phone", phone));
        errors.throwIfAny();
        return locked(organizationId, reference).map(order -> {
            refuseIfCancelled(order);
            if (Objects.equals(order.shipToName, to.name()) && Objects.equals(order.shipToCompany, to.company())
                    && Objects.equals(order.shipToAddress, to.address())
                    && Objects.equals(order.shipToPhone, to.phone())) {
                return new Change(order.reference, "Nothing changed", List.of());
            }
            List<Dropshipment> live = live(order);
            for (Dropshipment d : live) {
                if (d.status == Dropshipment.Status.SHIPPED) {
                    throw new ConflictException("dropshipment " + d.reference + " has shipped, so its address can no"
                            + " longer change; nothing was changed");
                }
            }
            refuseIfAnyLineShipped(order);
            Instant now = Instant.now(clock);
            order.shipToName = to.name();
            order.shipToCompany = to.company();
            order.shipToAddress = to.address();
            order.shipToPhone = to.phone();
            order.updatedAt = now;
            String summary = "Ship-to changed to " + to.name() + (to.company() == null ? "" : ", " + to.company())
                    + ", " + to.address().replace('\n', ' ') + (to.phone() == null ? "" : ", " + to.phone());
            timeline.record(Subject.salesOrder(organizationId, order.id), actor, SalesOrderEvent.ADDRESS_CHANGED,
                    summary, Visibility.INTERNAL);
            List<Told> told = new ArrayList<>();
            List<SalesOrderChanged.Copy> copies = new ArrayList<>();
            for (Dropshipment d : live) {
                d.shipToName = to.name();
                d.shipToCompany = to.company();
                d.shipToAddress = to.address();
                d.shipToPhone = to.phone();
                told.add(tell(order, d, summary, actor, now));
                copies.add(copy(d));
            }
            changed.fire(new SalesOrderChanged(organizationId, order.reference, SalesOrderChanged.Kind.SHIP_TO_CHANGED,
                    summary, order.status.name(), List.copyOf(copies), List.of(),
                    new SalesOrderChanged.ShipTo(to.name(), to.company(), to.address(), to.phone()), null, now));
            return new Change(order.reference, summary, told);
        });
    }

    /**
     * Sets a line's quantity (whole units; 0 removes the line). Empty for no such order or line.
     *
     * @throws ValidationException
     *             for a quantity that is no whole number from 0 to {@value SalesOrderDraft#MAX_QUANTITY}
     * @throws ConflictException
     *             when cancelled, when the line has shipped units and the quantity would grow or go below them (down to
     *             what shipped closes the rest), its dropshipment has shipped, or it is the order's last line (cancel
     *             the order instead)
     */
    @Transactional
    public Optional<Change> changeLine(long organizationId, String reference, int position, String quantity,
            Actor actor) {
        String q = quantity == null ? "" : quantity.strip();
        if (!q.matches("[0-9]{1,7}") || Integer.parseInt(q) > SalesOrderDraft.MAX_QUANTITY) {
            throw ValidationException.of("quantity", "must be a whole number of units from 0 to "
                    + SalesOrderDraft.MAX_QUANTITY + " (0 removes the line)", q);
        }
        int units = Integer.parseInt(q);
        return locked(organizationId, reference).flatMap(order -> {
            refuseIfCancelled(order);
            SalesOrderLine line = SalesOrderLine
                    .<SalesOrderLine> find("salesOrderId = ?1 and position = ?2", order.id, position).firstResult();
            if (line == null || line.removedAt != null) {
                return Optional.empty();
            }
            if (units == line.quantity) {
                return Optional.of(new Change(order.reference, "Nothing changed", List.of()));
            }
            DropshipmentLine dl = DropshipmentLine.<DropshipmentLine> find(
                    "salesOrderLineId = ?1 and dropshipmentId in (select d.id from Dropshipment d where d.status <> ?2)",
                    line.id, Dropshipment.Status.CANCELLED).firstResult();
            Dropshipment d = dl == null ? null : Dropshipment.findById(dl.dropshipmentId);
            String what = "line " + line.position + " (" + line.sku + ")";
            int shipped = Math.max(line.quantityShipped, dl == null ? 0 : dl.quantityShipped);
            // a line with shipped units may only go down, to no less than shipped: what will never come is closed
            // (the customer's order then completes), and nothing shipped is taken back
            if (shipped > 0 && (units < shipped || units > line.quantity)) {
                throw new ConflictException(
                        what + " has shipped units (" + shipped + " of " + line.quantity + "), so it can no longer "
                                + (units == 0 ? "be removed" : units > line.quantity ? "grow" : "go below what shipped")
                                + "; it can go down to " + shipped + " to close what remains; nothing was changed");
            }
            if (d != null && d.status == Dropshipment.Status.SHIPPED) {
                throw new ConflictException("dropshipment " + d.reference + " has shipped, so " + what
                        + " can no longer change; nothing was changed");
            }
            if (units == 0 && SalesOrderLine.count("salesOrderId = ?1 and removedAt is null", order.id) == 1) {
                throw new ConflictException(what + " is the order's last line: cancel the order instead");
            }
            Instant now = Instant.now(clock);
            String summary = units == 0 ? what + " removed" : what + ": " + line.quantity + " → " + units;
            var lineChange = new SalesOrderChanged.LineChange(line.position, line.sku, line.quantity, units);
            if (units == 0) {
                line.removedAt = now;
            } else {
                line.quantity = units;
            }
            order.updatedAt = now;
            timeline.record(Subject.salesOrder(organizationId, order.id), actor,
                    units == 0 ? SalesOrderEvent.LINE_REMOVED : SalesOrderEvent.LINE_CHANGED, summary,
                    Visibility.INTERNAL);
            List<Told> told = new ArrayList<>();
            if (dl != null) {
                if (d.sentAt == null && units == 0) {
                    dl.delete(); // the supplier never saw it
                    if (DropshipmentLine.count("dropshipmentId = ?1", d.id) == 0) {
                        d.status = Dropshipment.Status.CANCELLED;
                        d.cancelledAt = now;
                        d.cancelReason = "every line removed";
                    }
                    told.add(tell(order, d, summary, actor, now));
                } else {
                    dl.quantity = units;
                    // the supplier has it but nothing is left to ship: cancelled with this change (a new revision the
                    // supplier acknowledges), never an open dropshipment of 0 units, nor a shipment of nothing
                    boolean empty = units == 0
                            && DropshipmentLine.count("dropshipmentId = ?1 and quantity > 0", d.id) == 0;
                    if (empty) {
                        d.status = Dropshipment.Status.CANCELLED;
                        d.cancelledAt = now;
                        d.cancelReason = "every line removed";
                    }
                    // the supplier reads the change in its own terms: its line number and its SKU
                    String theirs = "line " + dl.position + " (" + (dl.supplierSku != null ? dl.supplierSku : dl.sku)
                            + ")";
                    String toSupplier = units == 0 ? theirs + " removed"
                            : theirs + ": " + lineChange.quantityBefore() + " → " + units;
                    told.add(tell(order, d,
                            empty ? toSupplier + "; " + d.reference + " cancelled: every line removed" : toSupplier,
                            actor, now));
                }
            }
            if (units < lineChange.quantityBefore()) {
                completeWhatShipped(order, d, actor, now);
            }
            changed.fire(new SalesOrderChanged(organizationId, order.reference,
                    units == 0 ? SalesOrderChanged.Kind.LINE_REMOVED : SalesOrderChanged.Kind.LINE_CHANGED, summary,
                    order.status.name(), d == null ? List.of() : List.of(copy(d)), List.of(), null, lineChange, now));
            return Optional.of(new Change(order.reference, summary, told));
        });
    }

    /**
     * After a line was removed or went down (to what shipped, at the least): a partly shipped dropshipment with nothing
     * left to ship has shipped (as the supplier's last shipment would have made it), and so has a partly shipped order
     * whose every standing line has shipped in full ({@link Shipping#statusAfterShipping}); each change of status on
     * its timeline. Without this both stayed "Partially shipped" with nothing left for anyone to ship.
     */
    private void completeWhatShipped(SalesOrder order, Dropshipment d, Actor actor, Instant now) {
        if (d != null && d.status == Dropshipment.Status.PARTIALLY_SHIPPED
                && DropshipmentLine.count("dropshipmentId = ?1 and quantityShipped < quantity", d.id) == 0) {
            d.status = Dropshipment.Status.SHIPPED;
            if (d.shippedAt == null) {
                d.shippedAt = now;
            }
            timeline.record(Subject.dropshipment(d.supplierId, d.id), actor, ShippingEvent.STATUS,
                    Shipping.label(Dropshipment.Status.PARTIALLY_SHIPPED) + " → " + Shipping.label(d.status),
                    Visibility.INTERNAL);
        }
        if (order.status == SalesOrder.Status.PARTIALLY_SHIPPED) {
            SalesOrder.Status after = Shipping
                    .statusAfterShipping(SalesOrderLine.<SalesOrderLine> list("salesOrderId", order.id));
            if (after != order.status) {
                timeline.record(Subject.salesOrder(order.organizationId, order.id), actor, ShippingEvent.STATUS,
                        Shipping.label(order.status) + " → " + Shipping.label(after), Visibility.INTERNAL);
                order.status = after;
            }
        }
    }

    private static Optional<SalesOrder> locked(long organizationId, String reference) {
        return SalesOrder.<SalesOrder> find("organizationId = ?1 and reference = ?2", organizationId, reference)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    private static void refuseIfCancelled(SalesOrder order) {
        if (order.status == SalesOrder.Status.CANCELLED) {
            throw new ConflictException("order " + order.reference + " is cancelled; nothing was changed");
        }
    }

    /**
     * A second cancel would overwrite the first one's reason (which the supplier has read) and tell the sales channel
     * again: refused, saying when (the organisation's date and time), by whom and why the order was cancelled.
     */
    private void refuseIfAlreadyCancelled(SalesOrder order) {
        if (order.status != SalesOrder.Status.CANCELLED) {
            return;
        }
        var first = timeline.latestOf(Subject.salesOrder(order.organizationId, order.id), SalesOrderEvent.CANCELLED);
        Instant at = first.map(Timeline.Entry::at).orElse(order.updatedAt);
        String by = first.map(e -> " by " + e.actor()).orElse("");
        String when = Organization.<Organization> findById(order.organizationId).format().dateTime(at);
        throw new ConflictException("order " + order.reference + " is already cancelled (on " + when + by
                + (order.cancelReason == null ? "" : ", reason: " + order.cancelReason) + "); nothing was changed");
    }

    /**
     * A partly shipped order's parcels are on their way to its ship-to: a new one would send the rest elsewhere.
     * Refused naming the shipped lines (README: ship-to is 409 once anything has shipped).
     */
    private static void refuseIfAnyLineShipped(SalesOrder order) {
        List<SalesOrderLine> shipped = SalesOrderLine
                .list("salesOrderId = ?1 and quantityShipped > 0 order by position", order.id);
        if (!shipped.isEmpty()) {
            StringBuilder lines = new StringBuilder();
            for (SalesOrderLine l : shipped) {
                lines.append(lines.isEmpty() ? "" : ", ").append("line ").append(l.position).append(" (").append(l.sku)
                        .append("): ").append(l.quantityShipped).append(" of ").append(l.quantity);
            }
            throw new ConflictException("order " + order.reference + " has lines already shipped (" + lines
                    + "), so its ship-to can no longer change; nothing was changed");
        }
    }

    private static List<Dropshipment> live(SalesOrder order) {
        return Dropshipment.list("salesOrderId = ?1 and status <> ?2 order by id", order.id,
                Dropshipment.Status.CANCELLED);
    }

    /** The dropshipment as the change left it, for the merchant's sales channel (no lines, no prices). */
    private static SalesOrderChanged.Copy copy(Dropshipment d) {
        DropshipConnection c = DropshipConnection.findById(d.connectionId);
        return new SalesOrderChanged.Copy(d.reference, c == null ? null : c.supplierName, d.revision, d.sentAt != null,
                List.of());
    }

    /**
     * The change reaches one dropshipment: updated in place while the supplier does not have it; otherwise a new
     * revision, both timelines and the supplier's mail.
     */
    private Told tell(SalesOrder order, Dropshipment d, String summary, Actor actor, Instant now) {
        if (d.sentAt == null) {
            return new Told(d.reference, null, 0);
        }
        d.revision++;
        d.changeSummary = summary.length() > 2000 ? summary.substring(0, 2000) : summary;
        d.changedAt = now;
        DropshipmentChange change = new DropshipmentChange();
        change.dropshipmentId = d.id;
        change.revision = d.revision;
        change.summary = d.changeSummary;
        change.changedAt = now;
        change.persist();
        String merchant = Organization.<Organization> findById(order.organizationId).name;
        List<String> to = mails.change(d, merchant,
                DropshipmentLine.list("dropshipmentId = ?1 order by position", d.id));
        // the supplier sees the merchant's organisation, never the merchant's staff
        timeline.record(Subject.dropshipment(d.supplierId, d.id),
                new Actor(actor.type(), null, merchant + " (merchant)"), SalesOrderEvent.CHANGED_BY_MERCHANT,
                "revision " + d.revision + " from " + merchant + ": " + d.changeSummary + " (to acknowledge)",
                Visibility.INTERNAL);
        DropshipConnection connection = DropshipConnection.findById(d.connectionId);
        String supplier = connection == null ? "the supplier" : connection.supplierName;
        // the merchant sees the supplier's organisation, never its staff: how many were e-mailed, not who
        timeline.record(Subject.salesOrder(order.organizationId, order.id), actor, SalesOrderEvent.CHANGE_SENT,
                d.reference + " revision " + d.revision + " sent to the supplier"
                        + (to.isEmpty() ? " (" + supplier + " has no admin to e-mail)"
                                : ", e-mailed to " + supplier + "'s "
                                        + (to.size() == 1 ? "admin" : to.size() + " admins"))
                        + "; waiting for the supplier's acknowledgement",
                Visibility.INTERNAL);
        return new Told(d.reference, d.revision, to.size());
    }
}
