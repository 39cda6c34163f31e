package io.portlink.purchasing.mail;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.portlink.organization.Logos;
import io.portlink.outbox.OutboxEvents;
import io.portlink.outbox.OutboxHandler;
import io.portlink.outbox.OutboxMessage;
import io.portlink.purchasing.OrderEvent;
import io.portlink.purchasing.OrderLocks;
import io.portlink.purchasing.OrderTimeline;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.timeline.Actor;

/**
 * The purchasing side of vendor mails in the outbox (kinds {@code PO_AND_LINK}, {@code LINK_ONLY}, {@code PO_CHANGED},
 * ... queued by {@link VendorMail}): attaches the purchase order's PDF at delivery, and records the outcome on the
 * order: a delivered mail puts MAIL_SENT and "notified" on its timeline and clears "dead mail"; a mail given up sets
 * "dead mail" and puts MAIL_DEAD there. Both wait for the order's lock (a vendor acting on it meanwhile) and run in the
 * outbox's transaction.
 */
@ApplicationScoped
public class PurchaseOrderMails implements OutboxHandler {

    static final Set<String> KINDS = VendorMail.Purpose.kinds();

    @Inject
    OrderTimeline timeline;

    @Inject
    Orders orders;

    @Inject
    OrderLocks locks;

    @Inject
    Logos logos;

    @Override
    public Set<String> kinds() {
        return KINDS;
    }

    /**
     * A mail queued with the PDF (its link URL kept for the PDF): the order's PDF with the link and buyer the mail was
     * queued with; the PDF is laid out at send time.
     */
    @Override
    public List<Attachment> attachments(OutboxMessage m) {
        if (m.linkUrl == null || m.purchaseOrderId == null) {
            return List.of();
        }
        PurchaseOrder order = PurchaseOrder.findById(m.purchaseOrderId);
        Logos.Image logo = order.organization.logoDigest == null ? null : logos.of(order.organization.id).orElse(null);
        Buyer buyer = new Buyer(m.contactName, m.contactEmail, m.contactPhone);
        PurchaseOrderPdf.Document document = PoDocuments.of(order, m.linkUrl,
                buyer.label() == null && buyer.phone() == null ? null : buyer, PoDocuments.logo(logo));
        return List.of(new Attachment(PurchaseOrderPdf.fileName(document.reference()), "application/pdf",
                () -> PurchaseOrderPdf.render(document)));
    }

    /**
     * A reminder, a request to re-confirm the date or a request for news is withdrawn when the order no longer asks it
     * of the vendor by the time it goes out: a reminder once the vendor confirmed (or the order closed), the others
     * once the order closed (delivered, declined, cancelled). The reminder job and staff queue them under the order's
     * lock, but a vendor may answer in the seconds before the outbox sends them. The order is read, not locked. New
     * orders, changes and cancellations always go out.
     */
    @Override
    public String withdrawal(OutboxMessage m) {
        boolean reminder = VendorMail.Purpose.REMINDER.kind(false).equals(m.kind);
        boolean asking = reminder || VendorMail.Purpose.RECONFIRM.kind(false).equals(m.kind)
                || VendorMail.Purpose.UPDATE.kind(false).equals(m.kind);
        if (!asking || m.purchaseOrderId == null) {
            return null;
        }
        PurchaseOrder order = PurchaseOrder.findById(m.purchaseOrderId);
        if (order == null) {
            return null;
        }
        if (order.status.isClosed()) {
            return "not sent: the order was " + order.status.label.toLowerCase(Locale.ROOT) + " before it went out";
        }
        return reminder && !order.status.awaitsConfirmation()
                ? "not sent: the vendor confirmed the order before it went out" : null;
    }

    void delivered(@Observes OutboxEvents.Delivered mail) {
        if (!KINDS.contains(mail.kind()) || mail.subject().purchaseOrderId() == null) {
            return;
        }
        PurchaseOrder order = locks.order(mail.subject().purchaseOrderId()); // waits for a vendor acting on it
        timeline.record(order, Actor.system(), OrderEvent.MAIL_SENT,
                "e-mail delivered to " + mail.recipient() + " (link #" + mail.linkId() + ")");
        orders.notified(order, Actor.system(), "by e-mail to " + mail.recipient());
        order.mailDead = false;
    }

    void gaveUp(@Observes OutboxEvents.GaveUp mail) {
        if (!KINDS.contains(mail.kind()) || mail.subject().purchaseOrderId() == null) {
            return;
        }
        PurchaseOrder order = locks.order(mail.subject().purchaseOrderId());
        order.mailDead = true;
        timeline.record(order, Actor.system(), OrderEvent.MAIL_DEAD, "e-mail to " + mail.recipient()
                + " could not be delivered after " + mail.attempts() + " tries: " + mail.error());
    }
}
