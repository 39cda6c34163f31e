package io.portlink.purchasing.mail;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.portlink.link.Links;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.OrderEvent;
import io.portlink.purchasing.OrderTimeline;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.RevisionChange;
import io.portlink.purchasing.SendOption;
import io.portlink.purchasing.ShippedQuantities;
import io.portlink.purchasing.VendorContact;
import io.portlink.purchasing.VendorMessages;
import io.portlink.purchasing.VendorTexts;
import io.portlink.timeline.Actor;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Puts vendor mails into the outbox; the delivery job sends them. */
@ApplicationScoped
public class VendorMail {

    @Inject
    OrderTimeline timeline;

    @Inject
    Outbox outbox;

    @Inject
    Instance<ShippedQuantities> shippedQuantities;

    /** Lines a mail lists; the rest are counted ("… and 12 more lines"). */
    static final int MAIL_LINES = 10;

    /** What the mail templates show. */
    public record MailModel(String organization, String reference, String vendorName, String url, String requestedDate,
            int lineCount, List<String> lineSummaries, boolean withPdf, String intro, boolean withLogo, Buyer buyer,
            List<String> changes, String reason, String greetingName, String title, String whatToDo) {

        /** The Content-ID the logo is attached under; the HTML body refers to it as {@code cid:}. */
        public static final String LOGO_CID = Outbox.LOGO_CID;

        /** Lines beyond the ones the mail lists ({@link #MAIL_LINES}); never 1. */
        public int moreLines() {
            return lineCount - lineSummaries.size();
        }
    }

    /** Why a mail about an order goes out; decides its subject and first sentence. */
    public enum Purpose {
        NEW_ORDER,
        /** The link was sent but the order is still not confirmed. */
        REMINDER,
        /** The expected delivery date is near: does it still hold? */
        RECONFIRM,
        /** Staff ask a confirmed order for news (no expected date yet, or already dispatched). */
        UPDATE,
        /** The order was amended: what changed, to acknowledge (see {@link #queueChange}). */
        CHANGED,
        /** Staff cancelled the order: the reason, to acknowledge (see {@link #queueCancel}). */
        CANCELLED;

        /**
         * The outbox kind a mail of this purpose is queued under: a new order keeps {@code PO_AND_LINK} or
         * {@code LINK_ONLY}; the others name their purpose ({@code PO_REMINDER}, {@code PO_CHANGED}, ...) so staff see
         * which mail went out. Whether the PDF is attached is the message's link URL, not its kind.
         */
        public String kind(boolean pdf) {
            return switch (this) {
            case NEW_ORDER -> (pdf ? SendOption.PO_AND_LINK : SendOption.LINK_ONLY).name();
            case REMINDER -> "PO_REMINDER";
            case RECONFIRM -> "PO_RECONFIRM";
            case UPDATE -> "PO_UPDATE";
            case CHANGED -> "PO_CHANGED";
            case CANCELLED -> "PO_CANCELLED";
            };
        }

        /** Every outbox kind {@link #kind} gives. */
        public static java.util.Set<String> kinds() {
            var kinds = new java.util.HashSet<String>();
            for (Purpose p : values()) {
                kinds.add(p.kind(true));
                kinds.add(p.kind(false));
            }
            return java.util.Set.copyOf(kinds);
        }

        /** What staff read for a vendor mail's outbox kind, e.g. "PO changed"; the kind itself when unknown. */
        public static String label(String kind) {
            return switch (kind) {
            case "PO_AND_LINK" -> "new order: PO + link";
            case "LINK_ONLY" -> "new order: link only";
            case "PO_REMINDER" -> "reminder";
            case "PO_RECONFIRM" -> "date reconfirmation";
            case "PO_UPDATE" -> "request for news";
            case "PO_CHANGED" -> "PO changed";
            case "PO_CANCELLED" -> "cancellation";
            default -> kind;
            };
        }
    }

    /** Order line id to what shipped of it; empty without the fulfilment feature or before the order is stored. */
    private Map<Long, BigDecimal> shipped(PurchaseOrder order) {
        return order.id == null || order.lines.isEmpty() || !shippedQuantities.isResolvable() ? Map.of()
                : shippedQuantities.get().shippedOfOrder(order.id);
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance vendorLinkHtml(MailModel mail);

        static native TemplateInstance vendorLinkText(MailModel mail);
    }

    /**
     * Must run inside the caller's transaction: the mail exists if and only if the change commits. Its kind is the
     * {@link SendOption}'s name ({@code PO_AND_LINK} or {@code LINK_ONLY}, see {@link Purpose#kind});
     * {@link PurchaseOrderMails} attaches the PDF and records the outcome on the order.
     */
    public OutboxMessage queue(PurchaseOrder order, Links.Issued link, SendOption send, Actor actor) {
        return queue(order, link, send == SendOption.PO_AND_LINK, Purpose.NEW_ORDER, actor);
    }

    public OutboxMessage queue(PurchaseOrder order, Links.Issued link, boolean pdf, Purpose purpose, Actor actor) {
        return queue(order, link, pdf, purpose, actor, null);
    }

    /**
     * The "PO changed" mail of an amendment (the order already amended, at its new revision): what changed in the
     * vendor's language and formats, the new PDF attached, the link to acknowledge. Must run inside the amendment's
     * transaction.
     */
    public OutboxMessage queueChange(PurchaseOrder order, Links.Issued link, List<RevisionChange> changes,
            Actor actor) {
        Locales.Format format = order.organization.formatFor(order.vendor.language);
        VendorMessages text = VendorTexts.in(format.language());
        List<String> lines = changes.stream().filter(RevisionChange::vendorVisible).map(c -> c.forVendor(text, format))
                .toList();
        return queue(order, link, true, Purpose.CHANGED, actor, lines, null, null);
    }

    /** The cancellation mail with its reason and the link to acknowledge; inside the cancel's transaction. */
    public OutboxMessage queueCancel(PurchaseOrder order, Links.Issued link, String reason, Actor actor) {
        return queue(order, link, false, Purpose.CANCELLED, actor, List.of(), reason, null);
    }

    /**
     * As above, to one of the vendor's contacts (its address, in its language) instead of the vendor's own address when
     * {@code contact} is not null.
     *
     * @throws ValidationException
     *             when the recipient has no e-mail address
     */
    public OutboxMessage queue(PurchaseOrder order, Links.Issued link, boolean pdf, Purpose purpose, Actor actor,
            VendorContact contact) {
        return queue(order, link, pdf, purpose, actor, List.of(), null, contact);
    }

    private OutboxMessage queue(PurchaseOrder order, Links.Issued link, boolean pdf, Purpose purpose, Actor actor,
            List<String> changes, String reason, VendorContact contact) {
        String recipient = contact != null ? contact.email : order.vendor.email;
        if (recipient == null) {
            throw contact != null
                    ? ValidationException.of("contact",
                            contact.name + " of " + order.vendor.name
                                    + " has no e-mail address; share the link by WhatsApp, SMS or copy instead",
                            null)
                    : ValidationException.of("vendor.email", "vendor " + order.vendor.name
                            + " has no e-mail address; share the link by WhatsApp, SMS or copy instead", null);
        }
        String language = contact != null && contact.language != null ? contact.language : order.vendor.language;
        Locales.Format format = order.organization.formatFor(language);
        VendorMessages text = VendorTexts.in(format.language());
        String org = order.organization.name;
        // "… and 1 more lines" would take the room of the line itself: listed whole up to one over the limit
        int listed = order.lines.size() <= MAIL_LINES + 1 ? MAIL_LINES + 1 : MAIL_LINES;
        // a line of which something shipped says what is left, so a reminder does not ask for what already went
        Map<Long, BigDecimal> shipped = purpose == Purpose.CANCELLED ? Map.of() : shipped(order);
        var lines = order.lines.stream().limit(listed).map(l -> {
            String line = format.number(l.quantity) + (l.unit == null ? "" : " " + l.unit) + " × "
                    + (l.description != null ? l.description : l.sku);
            BigDecimal sent = shipped.get(l.id);
            if (sent == null || sent.signum() <= 0) {
                return line;
            }
            BigDecimal remaining = ShippedQuantities.remaining(l.quantity, sent);
            return line + " ("
                    + text.shipped_of(format.number(sent), format.number(l.quantity), format.number(remaining)) + ")";
        }).toList();
        String intro = switch (purpose) {
        case NEW_ORDER -> text.intro_new_order(org, order.reference);
        case REMINDER -> text.intro_reminder(org, order.reference);
        case RECONFIRM -> text.intro_reconfirm(org, order.reference, format.date(order.expectedDate));
        case UPDATE -> text.intro_update(org, order.reference);
        case CHANGED -> text.intro_changed(org, order.reference, order.revision);
        case CANCELLED -> text.intro_cancelled(org, order.reference);
        };
        Buyer buyer = Buyer.forSend(order, actor).orElse(null);
        boolean cancelled = purpose == Purpose.CANCELLED; // lines and date no longer matter
        String subject = switch (purpose) {
        case NEW_ORDER -> text.subject_new_order(order.reference, org);
        case REMINDER -> text.subject_reminder(order.reference, org);
        case RECONFIRM -> text.subject_reconfirm(order.reference);
        case UPDATE -> text.subject_update(order.reference);
        case CHANGED -> text.subject_changed(order.reference, order.revision);
        case CANCELLED -> text.subject_cancelled(order.reference);
        };
        // each purpose asks for the one thing it is about: a cancellation is not to be confirmed
        String whatToDo = switch (purpose) {
        case NEW_ORDER, REMINDER -> text.what_to_do();
        case RECONFIRM -> text.what_to_do_reconfirm();
        case UPDATE -> text.what_to_do_update();
        case CHANGED -> text.what_to_do_changed();
        case CANCELLED -> text.what_to_do_cancelled();
        };
        // a chosen contact is greeted by name; the vendor's name stays where the company is meant
        String greeting = contact != null && contact.name != null && !contact.name.isBlank() ? contact.name
                : order.vendor.name;
        var model = new MailModel(order.organization.name, order.reference, order.vendor.name, link.url(),
                cancelled ? null : format.date(order.requestedDate), cancelled ? 0 : order.lines.size(),
                cancelled ? List.of() : lines, pdf, intro, order.organization.logoDigest != null, buyer, changes,
                reason, greeting, subject, whatToDo);
        OutboxMessage message = outbox.mail(order.organization, purpose.kind(pdf), recipient, subject);
        message.purchaseOrderId = order.id;
        message.linkId = link.linkId();
        message.withLogo = model.withLogo();
        if (buyer != null) {
            message.contactName = buyer.name();
            message.contactEmail = buyer.email();
            message.contactPhone = buyer.phone();
        }
        message.linkUrl = pdf ? link.url() : null;
        message.bodyText = Templates.vendorLinkText(model).setLocale(format.language()).render();
        message.bodyHtml = Templates.vendorLinkHtml(model).setLocale(format.language()).render();
        message.persist();
        timeline.record(order, actor, OrderEvent.MAIL_QUEUED,
                (purpose == Purpose.NEW_ORDER ? (pdf ? "PO + link" : "link only")
                        : purpose == Purpose.CHANGED ? "PO changed (revision " + order.revision + ")"
                                : purpose.name().toLowerCase())
                        + " to " + recipient + " (link #" + link.linkId() + ")");
        return message;
    }

}
