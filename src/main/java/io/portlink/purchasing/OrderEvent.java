package io.portlink.purchasing;

/** What can happen to a purchase order, as its timeline names it (stored as the entry's kind). */
public enum OrderEvent {
    IMPORTED, LINK_CREATED, LINK_SENT, LINK_REVOKED, LINK_REGENERATED, LINK_REQUESTED, LINK_EXPIRY, REMINDER,
    DATE_RECONFIRMED, MAIL_QUEUED, MAIL_SENT, MAIL_DEAD,
    /** A queued mail was not sent: the order or its link changed before it went out (its mail's handler said so). */
    MAIL_WITHDRAWN, CONFIRMED, DECLINED, EXPECTED_DATE, STATUS, TRACKING, NOTE, CANCELLED,
    /** The vendor declined, then said it can supply the order after all; and staff taking note of it. */
    REOPENED, REOPEN_NOTED,
    /** The expiry job ended a link whose expiry passed (link.LinkExpiry). */
    LINK_EXPIRED,
    /** Two vendor rows turned out to be one vendor (migration V14_1); the order moved to the one kept. */
    VENDOR_MERGED,
    /** Staff or an integration amended the order (a new revision); the vendor acknowledged a revision or the cancel. */
    AMENDED, REVISION_ACKNOWLEDGED, CANCEL_ACKNOWLEDGED,
    /** A declined order dealt with: marked handled (it stays declined), or ordered again from another vendor. */
    DECLINE_HANDLED, RESOURCED,
    /** Staff gave a vendor without one an e-mail address, from one of its orders. */
    VENDOR_EMAIL,
    /**
     * The order was written in the staff's form, or made by re-sourcing a declined one (an import or the API says
     * {@link #IMPORTED}).
     */
    CREATED;

    /** What the staff's timeline calls the entry: "re-sourced", "link created", … */
    public String label() {
        return this == RESOURCED ? "re-sourced" : name().replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
    }
}
