package io.portlink.purchasing;

/**
 * Which actions an order offers staff, decided in one place for the queue's buttons and the server's refusals alike: a
 * reminder or a fresh link only for an open order whose vendor has an e-mail address and was sent the order; the first
 * e-mail ("send") only for an order never sent; sharing by hand or adding an address for a vendor without e-mail;
 * re-source, cancel and "mark handled" for a decline nobody dealt with yet.
 *
 * @param remind
 *            "Send reminder"
 * @param resend
 *            "E-mail new link" (the current link stops, a new one is e-mailed)
 * @param send
 *            "E-mail the order": the first e-mail of an order never sent (same route as resend)
 * @param share
 *            "Share the link": on the order's page, regenerate and share by WhatsApp, SMS or copy
 * @param addEmail
 *            "Add an e-mail": the vendor has no address yet
 * @param reSource
 *            order the same lines from another vendor, cancelling this one
 * @param cancel
 *            cancel a declined order, with a reason
 * @param markHandled
 *            the decline is dealt with elsewhere: the order stays declined but leaves the bucket
 * @param markNoted
 *            the vendor's reopening is seen: the order leaves "Reopened by vendor"
 */
public record QueueActions(boolean remind, boolean resend, boolean send, boolean share, boolean addEmail,
        boolean reSource, boolean cancel, boolean markHandled, boolean markNoted) {

    /** The actions for an order in this state; {@code sent}: the vendor was told (by e-mail or by hand). */
    public static QueueActions of(OrderStatus status, boolean sent, boolean vendorHasEmail, boolean reopened,
            boolean declineHandled) {
        boolean open = !status.isClosed();
        boolean openDecline = status == OrderStatus.DECLINED && !declineHandled;
        boolean openReopen = open && reopened;
        return new QueueActions(open && sent && vendorHasEmail, open && sent && vendorHasEmail,
                open && !sent && vendorHasEmail, open && !vendorHasEmail, open && !vendorHasEmail,
                openDecline || openReopen, openDecline, openDecline, openReopen);
    }

    /** The actions for an order as stored (must run inside a transaction: reads the vendor). */
    public static QueueActions of(PurchaseOrder order) {
        return of(order.status, sent(order.status, order.notifiedAt, order.firstOpenedAt), order.vendor.email != null,
                order.reopenedAt != null, order.declineHandledAt != null);
    }

    /**
     * Whether the vendor has the order, as far as Portlink knows: it was e-mailed or shared by hand, a person opened
     * its link, or the vendor answered (an integration may share links itself).
     */
    public static boolean sent(OrderStatus status, java.time.Instant notifiedAt, java.time.Instant firstOpenedAt) {
        return notifiedAt != null || firstOpenedAt != null || status != OrderStatus.PENDING;
    }

    /** Whether any action is offered at all. */
    public boolean any() {
        return remind || resend || send || share || addEmail || reSource || cancel || markHandled || markNoted;
    }

    /**
     * Why a reminder or a fresh link by e-mail cannot go to this order's vendor, in the reader's words; null when it
     * can. {@code reminder}: a reminder (needs an order already sent), else a link e-mail (a first one is a "send").
     */
    public static String mailRefusal(PurchaseOrder order, boolean reminder) {
        String what = reminder ? "no reminder is sent" : "no link is e-mailed";
        if (order.status.isClosed()) {
            return order.reference + " is closed (" + order.status.label.toLowerCase() + "): " + what
                    + " for a declined, cancelled or delivered order.";
        }
        if (order.vendor.email == null) {
            return order.vendor.name + " has no e-mail address, so " + what
                    + ": share the link by WhatsApp, SMS or copy (Regenerate, then share it), or add an e-mail"
                    + " address for the vendor.";
        }
        if (reminder && !sent(order.status, order.notifiedAt, order.firstOpenedAt)) {
            return order.reference + " was never sent to " + order.vendor.name
                    + ", so there is nothing to remind about: send it first (E-mail the order, or share its link and"
                    + " mark it as sent).";
        }
        return null;
    }
}
