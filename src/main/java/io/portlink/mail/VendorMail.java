package io.portlink.mail;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.link.Links;
import io.portlink.order.Actor;
import io.portlink.order.OrderEvent;
import io.portlink.order.PurchaseOrder;
import io.portlink.order.SendOption;
import io.portlink.order.Timeline;
import io.portlink.platform.Locales;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Puts vendor mails into the outbox; the delivery job sends them. */
@ApplicationScoped
public class VendorMail {

    @Inject
    Clock clock;

    @Inject
    Timeline timeline;

    @Inject
    PortlinkConfig config;

    /** What the mail templates show. */
    public record MailModel(String organization, String reference, String vendorName, String url, String requestedDate,
            int lineCount, List<String> lineSummaries, boolean withPdf, String intro, boolean withLogo) {

        /** The Content-ID the logo is attached under; the HTML body refers to it as {@code cid:}. */
        public static final String LOGO_CID = "logo@portlink";
    }

    /** Why a mail about an order goes out; decides its subject and first sentence. */
    public enum Purpose {
        NEW_ORDER,
        /** The link was sent but the order is still not confirmed. */
        REMINDER,
        /** The expected delivery date is near: does it still hold? */
        RECONFIRM,
        /** Staff ask a confirmed order for news (no expected date yet, or already dispatched). */
        UPDATE
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance vendorLinkHtml(MailModel mail);

        static native TemplateInstance vendorLinkText(MailModel mail);
    }

    /** Must run inside the caller's transaction: the mail exists if and only if the change commits. */
    public OutboxMessage queue(PurchaseOrder order, Links.Issued link, SendOption send, Actor actor) {
        return queue(order, link, send == SendOption.PO_AND_LINK, Purpose.NEW_ORDER, actor);
    }

    public OutboxMessage queue(PurchaseOrder order, Links.Issued link, boolean pdf, Purpose purpose, Actor actor) {
        String recipient = order.vendor.email;
        if (recipient == null) {
            throw ValidationException.of("vendor.email", "vendor " + order.vendor.name
                    + " has no e-mail address; share the link by WhatsApp, SMS or copy instead", null);
        }
        Locales.Format format = order.organization.format();
        var lines = order.lines.stream().limit(10).map(l -> format.number(l.quantity)
                + (l.unit == null ? "" : " " + l.unit) + " × " + (l.description != null ? l.description : l.sku))
                .toList();
        String intro = switch (purpose) {
        case NEW_ORDER -> order.organization.name + " has sent you purchase order " + order.reference + ".";
        case REMINDER -> "A reminder: " + order.organization.name
                + " is waiting for your confirmation of purchase order " + order.reference + ".";
        case RECONFIRM -> order.organization.name + " expects purchase order " + order.reference + " on "
                + format.date(order.expectedDate) + ". Is that still right? Please confirm it or give a new date.";
        case UPDATE -> order.organization.name + " asks for news on purchase order " + order.reference
                + ": please give the expected delivery date, progress or tracking.";
        };
        var model = new MailModel(order.organization.name, order.reference, order.vendor.name, link.url(),
                format.date(order.requestedDate), order.lines.size(), lines, pdf, intro,
                order.organization.logoDigest != null);
        Instant now = Instant.now(clock);
        OutboxMessage message = new OutboxMessage();
        message.organization = order.organization;
        message.order = order;
        message.linkId = link.linkId();
        message.kind = pdf ? OutboxMessage.Kind.PO_AND_LINK : OutboxMessage.Kind.LINK_ONLY;
        message.withLogo = model.withLogo();
        message.messageId = "<" + UUID.randomUUID() + "@" + mailDomain() + ">";
        message.recipient = recipient;
        // Header values never carry CR/LF from user data.
        message.subject = oneLine(switch (purpose) {
        case NEW_ORDER -> "Purchase order " + order.reference + " from " + order.organization.name;
        case REMINDER -> "Reminder: purchase order " + order.reference + " from " + order.organization.name;
        case RECONFIRM -> "Delivery date of purchase order " + order.reference + ": still on time?";
        case UPDATE -> "Purchase order " + order.reference + ": any news?";
        });
        message.bodyText = Templates.vendorLinkText(model).render();
        message.bodyHtml = Templates.vendorLinkHtml(model).render();
        message.status = OutboxMessage.Status.PENDING;
        message.nextAttemptAt = now;
        message.createdAt = now;
        message.persist();
        timeline.record(order, actor, OrderEvent.Type.MAIL_QUEUED,
                (purpose == Purpose.NEW_ORDER ? (pdf ? "PO + link" : "link only") : purpose.name().toLowerCase())
                        + " to " + recipient + " (link #" + link.linkId() + ")");
        return message;
    }

    private String mailDomain() {
        String host = java.net.URI.create(config.publicBaseUrl()).getHost();
        return host == null ? "portlink.local" : host;
    }

    static String oneLine(String value) {
        return value.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
