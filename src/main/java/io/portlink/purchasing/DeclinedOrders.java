package io.portlink.purchasing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;

/**
 * Dealing with a declined order so it leaves the "Declined" bucket: cancel it with a reason, re-source it (the same
 * lines ordered from another vendor, this one cancelled), or mark it handled (it stays declined). Re-source also serves
 * an order its vendor reopened after declining. Each action is one transaction under the order's lock
 * ({@link OrderLocks}) and is safe to repeat: a double submit answers what the first one did.
 */
@ApplicationScoped
public class DeclinedOrders {

    /** How many "-R" suffixes are tried for a re-sourced order's reference before giving up. */
    private static final int MAX_RESOURCES = 999;

    @Inject
    Clock clock;

    @Inject
    OrderLocks locks;

    @Inject
    Orders orders;

    @Inject
    OrderTimeline timeline;

    @Inject
    VendorLinks vendorLinks;

    /**
     * What a re-source did: the new order's reference and vendor; {@code repeated}: the order had been re-sourced
     * already (a double submit), and this is that earlier order.
     */
    public record ReSourced(String reference, String vendorName, boolean repeated) {
    }

    /** A vendor a declined order can go to instead, as the re-source page lists them. */
    public record VendorChoice(long id, String name, String email, String phone) {
    }

    /** The orders linked by a re-source, for the order page: what this one replaced and what replaced it. */
    public record Resourcing(String replaces, String replacedBy) {
    }

    /**
     * Cancels a declined order with the reason staff give (required: the timeline says why).
     *
     * @return empty when the organisation has no such order
     *
     * @throws ValidationException
     *             the reason is missing, or the order is not declined (nothing is written)
     * @throws ConflictException
     *             the order changed since {@code expectedVersion} (the vendor reopened it, a colleague acted)
     */
    @Transactional
    public Optional<PurchaseOrder> cancel(long organizationId, String reference, long expectedVersion, String reason,
            Actor actor) {
        return locks.order(organizationId, reference).map(order -> {
            if (order.status == OrderStatus.CANCELLED) {
                return order; // cancelled already: a double submit, or a colleague was quicker
            }
            String why = reason == null ? "" : reason.strip();
            if (why.isEmpty()) {
                throw ValidationException.of("Reason", "say why the order is cancelled (the timeline keeps it)", null);
            }
            if (why.length() > 500) {
                throw ValidationException.of("Reason", "must be at most 500 characters", why);
            }
            requireVersion(order, expectedVersion);
            if (order.status != OrderStatus.DECLINED) {
                throw new ConflictException(order.reference + " is " + order.status.label.toLowerCase()
                        + " now, no longer declined; reload it to see what changed");
            }
            close(order, Instant.now(clock));
            timeline.record(order, actor, OrderEvent.CANCELLED, "declined order cancelled: " + why);
            return order;
        });
    }

    /**
     * The decline is dealt with outside Portlink: the order stays declined and leaves the "Declined" bucket; the
     * timeline says who and when. Repeating it changes nothing.
     *
     * @return empty when the organisation has no such order
     *
     * @throws ConflictException
     *             the order is not declined (any more): the vendor reopened it, or it was cancelled
     */
    @Transactional
    public Optional<PurchaseOrder> markHandled(long organizationId, String reference, Actor actor) {
        return locks.order(organizationId, reference).map(order -> {
            if (order.status != OrderStatus.DECLINED) {
                throw new ConflictException(order.reference + " is " + order.status.label.toLowerCase()
                        + " now, no longer declined, so there is no decline to mark handled; reload it to see why");
            }
            if (order.declineHandledAt == null) {
                Instant now = Instant.now(clock);
                // a bulk update like "reopen noted": the vendor's open page stays valid, the order itself did not
                // change
                PurchaseOrder.update("declineHandledAt = ?1 where id = ?2", now, order.id);
                timeline.record(order, actor, OrderEvent.DECLINE_HANDLED,
                        "decline marked handled; the order stays declined");
            }
            return order;
        });
    }

    /**
     * Orders the same lines from another vendor of the organisation: a new order (reference derived from the old one,
     * "PO-1" → "PO-1-R1", "PO-1-R2" for the next; unique per organisation) with the old one's lines, dates, address and
     * consignee, its first link issued and, when {@code send} asks, e-mailed; the old order is cancelled with reason
     * "re-sourced to …". Both timelines name the other order. One transaction; a repeat answers the first one's order.
     *
     * @return empty when the organisation has no such order
     *
     * @throws ValidationException
     *             every problem with the choice at once: no vendor chosen, an unknown vendor, the same vendor, an
     *             e-mail asked for a vendor without address
     * @throws ConflictException
     *             the order changed since {@code expectedVersion}, or cannot be re-sourced (it is neither declined nor
     *             reopened by its vendor)
     */
    @Transactional
    public Optional<ReSourced> reSource(long organizationId, String reference, long expectedVersion, Long vendorId,
            SendOption send, Actor actor) {
        // the organisation's row first, as every creating transaction does (see OrderLocks): the new reference is ours
        Organization org = Organization.lockForCreating(organizationId);
        return locks.order(organizationId, reference).map(order -> {
            Optional<PurchaseOrder> earlier = PurchaseOrder.find("replacesOrder = ?1", order).firstResultOptional();
            if (earlier.isPresent()) {
                return new ReSourced(earlier.get().reference, earlier.get().vendor.name, true);
            }
            var errors = new ValidationException.Builder();
            Vendor vendor = vendorId == null ? null : Vendor.findById(vendorId);
            if (vendorId == null) {
                errors.add("Vendor", "choose the vendor to order from instead", null);
            } else if (vendor == null || !vendor.organization.id.equals(organizationId)) {
                errors.add("Vendor", "is not one of your vendors", vendorId.toString());
                vendor = null;
            } else if (vendor.id.equals(order.vendor.id)) {
                errors.add("Vendor", "choose another vendor than the one that declined", vendor.name);
            } else if (send != SendOption.NONE && vendor.email == null) {
                errors.add("Send", vendor.name + " has no e-mail address: choose \"Don't send\" and share the new"
                        + " order's link by WhatsApp, SMS or copy", send.name());
            }
            errors.throwIfAny();
            requireVersion(order, expectedVersion);
            if (!QueueActions.of(order).reSource()) {
                throw new ConflictException(order.reference + " is " + order.status.label.toLowerCase()
                        + ": only a declined order, or one its vendor reopened, can be re-sourced");
            }
            String newReference = nextReference(organizationId, order.reference);
            var lines = order.lines.stream()
                    .map(l -> new OrderDraft.Line(l.sku, l.description, l.quantity, l.unit, l.unitPrice, l.currency))
                    .toList();
            var draft = new OrderDraft(newReference,
                    new Vendors.Contact(vendor.name, vendor.email, vendor.phone, vendor.language),
                    order.deliveryAddress, order.requestedDate, lines, 0, order.consignee());
            orders.write(org, vendor, draft, actor, send, OrderEvent.CREATED);
            PurchaseOrder created = PurchaseOrder.findByReference(organizationId, newReference).orElseThrow();
            created.replacesOrder = order;
            String was = order.status == OrderStatus.DECLINED
                    ? "declined by " + order.vendor.name
                            + (order.declineReason == null ? "" : ": " + order.declineReason)
                    : "reopened by " + order.vendor.name;
            timeline.record(created, actor, OrderEvent.RESOURCED,
                    "re-sourced from " + order.reference + " (" + was + ")");
            close(order, Instant.now(clock));
            timeline.record(order, actor, OrderEvent.CANCELLED, "re-sourced to " + vendor.name + " as " + newReference);
            return new ReSourced(newReference, vendor.name, false);
        });
    }

    /**
     * Up to 50 of the organisation's vendors other than the order's, by name, whose name or e-mail contains {@code q}
     * (any case; all when blank): the re-source page's choices. Paged in the database.
     */
    @Transactional
    public List<VendorChoice> choices(long organizationId, String reference, String q) {
        long exceptVendorId = PurchaseOrder.findByReference(organizationId, reference).map(o -> o.vendor.id)
                .orElse(-1L);
        String like = "%" + (q == null ? "" : q.strip().toLowerCase(java.util.Locale.ROOT)).replace("!", "!!")
                .replace("%", "!%").replace("_", "!_") + "%";
        return Vendor.<Vendor> find(
                "organization.id = ?1 and id <> ?2 and (lower(name) like ?3 escape '!' or email like ?3 escape '!')"
                        + " order by name, id",
                organizationId, exceptVendorId, like).page(0, 50).stream()
                .map(v -> new VendorChoice(v.id, v.name, v.email, v.phone)).toList();
    }

    /** What staff can do with the order now (see {@link QueueActions}); none when there is no such order. */
    @Transactional
    public QueueActions actions(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference).map(QueueActions::of)
                .orElse(new QueueActions(false, false, false, false, false, false, false, false, false));
    }

    /** Which orders a re-source linked to this one (either may be null). */
    @Transactional
    public Resourcing resourcing(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference).map(order -> {
            String replacedBy = PurchaseOrder.<PurchaseOrder> find("replacesOrder = ?1", order).firstResultOptional()
                    .map(o -> o.reference).orElse(null);
            return new Resourcing(order.replacesOrder == null ? null : order.replacesOrder.reference, replacedBy);
        }).orElse(new Resourcing(null, null));
    }

    /** "PO-1" → the first free of "PO-1-R1", "PO-1-R2"…; "PO-1-R1" → "PO-1-R2"; within the 64 characters allowed. */
    String nextReference(long organizationId, String reference) {
        String base = reference.replaceFirst("-R\\d+$", "");
        for (int n = 1; n <= MAX_RESOURCES; n++) {
            String suffix = "-R" + n;
            String candidate = base.substring(0, Math.min(base.length(), 64 - suffix.length())) + suffix;
            if (PurchaseOrder.count("organization.id = ?1 and reference = ?2", organizationId, candidate) == 0) {
                return candidate;
            }
        }
        throw new ConflictException(reference + " was re-sourced " + MAX_RESOURCES + " times; use a new reference");
    }

    private void close(PurchaseOrder order, Instant now) {
        order.status = OrderStatus.CANCELLED;
        order.closedAt = now;
        order.updatedAt = now;
        order.declineHandledAt = now;
        vendorLinks.orderClosed(order);
    }

    private static void requireVersion(PurchaseOrder order, long expectedVersion) {
        if (order.version != expectedVersion) {
            throw new ConflictException(order.reference
                    + " was changed meanwhile (by its vendor or a colleague); reload it, see the timeline, and try"
                    + " again");
        }
    }
}
