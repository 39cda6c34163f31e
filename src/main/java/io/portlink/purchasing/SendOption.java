package io.portlink.purchasing;

/** What to e-mail the vendor when an order is imported or a link is sent. */
public enum SendOption {
    /** The purchase order as a PDF attachment, plus the link. */
    PO_AND_LINK,
    /** The link and a short summary. */
    LINK_ONLY,
    /** Nothing: staff share the link themselves (copy, WhatsApp, SMS, QR code). */
    NONE
}
