package io.portlink.purchasing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.portlink.link.AccessLink;
import io.portlink.link.LinkEvents;
import io.portlink.link.Links;
import io.portlink.link.Target;
import io.portlink.platform.PortlinkConfig;
import io.portlink.timeline.Actor;

/**
 * The purchasing side of access links of scope VENDOR_ORDER: issuing one for an order, the expiry that follows the
 * order's life, how a link reads on the timeline, and what the link core tells about these links (a request for a new
 * link, a person's first open).
 */
@ApplicationScoped
public class VendorLinks {

    static final AccessLink.Scope SCOPE = AccessLink.Scope.VENDOR_ORDER;

    @Inject
    Clock clock;

    @Inject
    PortlinkConfig config;

    @Inject
    Links links;

    @Inject
    OrderTimeline timeline;

    @Inject
    OrderLocks locks;

    /** The URL of a vendor link's token. */
    public String url(String token) {
        return links.url(SCOPE, token);
    }

    /**
     * A new link to the order for its vendor (or one contact of theirs); a closed order's link lives the organisation's
     * days after the close. Must run inside the caller's transaction (the order and its link are written together).
     */
    public Links.Issued issue(PurchaseOrder order, String recipientName, String recipientContact, String createdBy) {
        return links.issue(SCOPE, order.organization.id, Target.purchaseOrder(order.id, order.vendor.id), recipientName,
                recipientContact, createdBy, order.closedAt == null ? null : expiryAfterClose(order));
    }

    /** Old link stops, a new one for the same recipient: one step, one transaction (the caller's). */
    public Links.Issued regenerate(AccessLink old, String createdBy) {
        PurchaseOrder order = order(old);
        return links.regenerate(old, createdBy, order.closedAt == null ? null : expiryAfterClose(order));
    }

    /** The order a vendor link lands on. */
    public static PurchaseOrder order(AccessLink link) {
        return PurchaseOrder.findById(link.purchaseOrderId);
    }

    /** The vendor a link was made for. */
    public static Vendor vendor(AccessLink link) {
        return Vendor.findById(link.vendorId);
    }

    /** How a vendor link reads as an actor on a timeline. */
    public static String actorLabel(AccessLink link) {
        Vendor vendor = vendor(link);
        StringBuilder label = new StringBuilder("vendor link #").append(link.id);
        String who = link.recipientName != null ? link.recipientName : vendor.name;
        label.append(" (").append(who);
        if (link.recipientContact != null) {
            label.append(", ").append(link.recipientContact);
        } else if (vendor.email != null) {
            label.append(", ").append(vendor.email);
        }
        return label.append(')').toString();
    }

    /** A vendor link as the actor of a timeline entry. */
    public static Actor actor(AccessLink link) {
        return Actor.link(link.id, actorLabel(link));
    }

    /** An order closed (the caller holds its lock): its links keep working for N more days, then "not available". */
    public void orderClosed(PurchaseOrder order) {
        Instant expiry = expiryAfterClose(order);
        // Managed entities, not a bulk update: the caller may hold one of these links and flush it later.
        for (AccessLink link : locks.links(order)) {
            if (link.revokedAt == null && (link.expiresAt == null || link.expiresAt.isAfter(expiry))) {
                link.expiresAt = expiry;
            }
        }
    }

    /** A closed order came back (the vendor can supply it after all; its lock held): its links live with it again. */
    public void orderReopened(PurchaseOrder order) {
        for (AccessLink link : locks.links(order)) {
            if (link.revokedAt == null) {
                links.setExpiry(link, null);
            }
        }
    }

    /** Sets a link's expiry to the end of the given day in the organisation's time zone. */
    public void setExpiry(PurchaseOrder order, long linkId, LocalDate day) {
        AccessLink link = AccessLink.findById(linkId);
        links.setExpiry(link, day.plusDays(1).atStartOfDay(order.organization.format().zone()).toInstant());
    }

    private Instant expiryAfterClose(PurchaseOrder order) {
        Integer days = order.organization.linkExpiryDays;
        return order.closedAt.plus(Duration.ofDays(days != null ? days : config.link().expiryDays()));
    }

    /** "Ask for a new link" on a vendor link: an entry on the order's timeline (the request is in the staff queue). */
    void requested(@Observes LinkEvents.Requested event) {
        if (event.scope() != SCOPE) {
            return;
        }
        AccessLink link = AccessLink.findById(event.linkId());
        timeline.record(order(link), actor(link), OrderEvent.LINK_REQUESTED,
                "asked for a new link (link #" + link.id + " no longer works)");
    }

    /** The expiry job is about to end a vendor link: the order's row first, as every writer of an order locks it. */
    void expiring(@Observes LinkEvents.Expiring event) {
        if (event.scope() == SCOPE) {
            locks.order(event.subject().purchaseOrderId());
        }
    }

    /**
     * The expiry job ended a vendor link: "link expired" on the order's timeline (internal, by Portlink), and the used
     * form nonces of the link that are past a form's life are dropped (a form drawn that long ago is refused as expired
     * anyway). Younger ones stay: staff may give the link back its life (a new expiry, or the order reopened), and a
     * form posted again must still be "already saved".
     */
    void expired(@Observes LinkEvents.Expired event) {
        if (event.scope() != SCOPE) {
            return;
        }
        PurchaseOrder order = locks.order(event.subject().purchaseOrderId());
        AccessLink link = AccessLink.findById(event.linkId());
        timeline.record(order, Actor.system(), OrderEvent.LINK_EXPIRED, "Link expired: " + actorLabel(link)
                + " stopped working " + order.organization.format().dateTime(event.endedAt()));
        PortalSubmission.delete("linkId = ?1 and at < ?2", event.linkId(),
                Instant.now(clock).minus(VendorForms.LIFE).minus(VendorForms.SKEW));
    }

    /** A person opened a vendor link: the order was opened (its row before the link's, as every writer locks them). */
    void opened(@Observes LinkEvents.Opened event) {
        if (event.scope() != SCOPE) {
            return;
        }
        PurchaseOrder.update("firstOpenedAt = ?1 where firstOpenedAt is null and id = ?2", event.at(),
                event.subject().purchaseOrderId());
    }
}
