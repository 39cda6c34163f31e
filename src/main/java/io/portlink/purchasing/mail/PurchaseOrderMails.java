package io.portlink.purchasing.mail;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.organization.Logos;
import io.portlink.outbox.OutboxEvents;
import io.portlink.outbox.OutboxHandler;
import io.portlink.outbox.OutboxMessage;
import io.portlink.purchasing.OrderEvent;
import io.portlink.purchasing.OrderLocks;
import io.portlink.purchasing.OrderTimeline;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.Reminder;
import io.portlink.purchasing.SendOption;
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

    @Inject
    Links links;

    @Inject
    Clock clock;

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
     * Whether a vendor mail is still wanted when it comes to be sent (the staff's words when not). A new order's mail
     * or a reminder is withdrawn when the order closed since it was queued (delivered, declined, cancelled: it would
     * hand the vendor an order it no longer has to supply), or when its link was revoked or expired since (staff sent
     * the order again, which replaced it); a reminder to confirm also once the vendor confirmed. A change and a
     * cancellation always go out ({@link #WITHDRAWN_WHEN_CLOSED}). Staff and the jobs queue these under the order's
     * lock, but a vendor or a colleague may act in the seconds before the outbox sends them. The order and the link are
     * read, not locked.
     */
    @Override
    public String withdrawal(OutboxMessage m) {
        if (m.purchaseOrderId == null) {
            return null;
        }
        PurchaseOrder order = PurchaseOrder.findById(m.purchaseOrderId);
        if (order == null || !WITHDRAWN_WHEN_CLOSED.contains(m.kind)) {
            return null;
        }
        if (order.status.isClosed()) {
            return "not sent: the order was " + order.status.label.toLowerCase(Locale.ROOT) + " before it went out";
        }
        AccessLink link = m.linkId == null ? null : AccessLink.findById(m.linkId);
        if (link != null && link.revokedAt != null) {
            return "not sent: its link #" + link.id + " was revoked or replaced before it went out";
        }
        if (link != null && link.expiresAt != null && !link.expiresAt.isAfter(Instant.now(clock))) {
            return "not sent: its link #" + link.id + " expired before it went out";
        }
        return VendorMail.Purpose.REMINDER.kind(false).equals(m.kind) && !order.status.awaitsConfirmation()
                ? "not sent: the vendor confirmed the order before it went out" : null;
    }

    /** Only the kinds {@link #withdrawal} can withdraw are asked again before sending. */
    @Override
    public boolean mayWithdraw(String kind) {
        return WITHDRAWN_WHEN_CLOSED.contains(kind);
    }

    /**
     * A vendor mail withdrawn unsent: the order's timeline says so, and a reminder is undone as if it had not been
     * asked (its record and count, and for a re-confirmation the date it asked about, so that the next one is not held
     * back by one the vendor never got; the fresh link issued for it is revoked, as no one has it). Waits for the
     * order's lock; runs in the outbox's transaction.
     */
    void withdrawn(@Observes OutboxEvents.Withdrawn mail) {
        if (!KINDS.contains(mail.kind()) || mail.subject().purchaseOrderId() == null) {
            return;
        }
        PurchaseOrder order = locks.order(mail.subject().purchaseOrderId());
        String label = VendorMail.Purpose.label(mail.kind());
        boolean reminder = REMINDING.contains(mail.kind());
        String revoked = "";
        if (reminder) {
            Reminder asked = Reminder.<Reminder> find("order = ?1 and sentAt <= ?2 order by sentAt desc, id desc",
                    order, mail.queuedAt()).firstResult();
            if (asked != null) {
                asked.delete();
                // a bulk update, as the reminder counted it: telemetry, not an edit an open form should conflict with
                PurchaseOrder.update("reminderCount = reminderCount - 1 where id = ?1 and reminderCount > 0", order.id);
            }
            if (VendorMail.Purpose.RECONFIRM.kind(false).equals(mail.kind())) {
                // the date was not asked about after all: the job asks again when it is due
                PurchaseOrder.update("reconfirmAskedFor = null where id = ?1", order.id);
            }
            AccessLink link = mail.linkId() == null ? null : AccessLink.findById(mail.linkId());
            if (link != null && link.revokedAt == null) {
                links.revoke(link);
                revoked = "; its link #" + link.id + " revoked, no one has it";
            }
        }
        timeline.record(order, Actor.system(), OrderEvent.MAIL_WITHDRAWN,
                label + " to " + mail.recipient() + " " + mail.reason() + revoked);
    }

    /**
     * The kinds a closed order no longer sends: a new order's mail and the reminders. A change and a cancellation still
     * go out, so that a vendor who had the order by any way hears of both (and acknowledges them).
     */
    private static final Set<String> WITHDRAWN_WHEN_CLOSED = Set.of(SendOption.PO_AND_LINK.name(),
            SendOption.LINK_ONLY.name(), VendorMail.Purpose.REMINDER.kind(false),
            VendorMail.Purpose.RECONFIRM.kind(false), VendorMail.Purpose.UPDATE.kind(false));

    /** The kinds that ask the vendor something on a reminder's behalf (each issued with a fresh link). */
    private static final Set<String> REMINDING = Set.of(VendorMail.Purpose.REMINDER.kind(false),
            VendorMail.Purpose.RECONFIRM.kind(false), VendorMail.Purpose.UPDATE.kind(false));

    void delivered(@Observes OutboxEvents.Delivered mail) {
        if (!KINDS.contains(mail.kind()) || mail.subject().purchaseOrderId() == null) {
            return;
        }
        PurchaseOrder order = locks.order(mail.subject().purchaseOrderId()); // waits for a vendor acting on it
        timeline.record(order, Actor.system(), OrderEvent.MAIL_SENT,
                "e-mail delivered to " + mail.recipient() + " (link #" + mail.linkId() + ")");
        orders.notified(order, Actor.system(), "e-mailed to " + mail.recipient());
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
