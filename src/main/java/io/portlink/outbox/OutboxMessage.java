package io.portlink.outbox;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.portlink.organization.Organization;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A message waiting to be delivered, written in the same transaction as the change that caused it (see {@link Outbox}
 * for how a feature queues one). Its bodies and link carry a token until it is sent or dead; then they are erased.
 *
 * <p>
 * Its subject is what it is about: a purchase order, a shipment, or nothing (a staff invitation). At most one subject
 * id is set (a CHECK in the database). The {@link #kind} is a name owned by the feature that queued it; the outbox only
 * uses it to find that feature's {@link OutboxHandler} and to tell listeners of {@link OutboxEvents} what was sent.
 */
@Entity
public class OutboxMessage extends PanacheEntity {

    /** outbox_message.subject's length in characters (V1). */
    public static final int SUBJECT_LENGTH = 300;

    /** outbox_message.body_text's length in characters (V1). */
    public static final int BODY_TEXT_LENGTH = 100_000;

    /** outbox_message.body_html's length in characters (V1). */
    public static final int BODY_HTML_LENGTH = 200_000;

    /** outbox_message.contact_name's length in characters (V12, as buyer_name; renamed in V23). */
    public static final int CONTACT_NAME_LENGTH = 200;

    /** outbox_message.last_error's length in characters (V1): an error is cut to it before it is stored. */
    public static final int LAST_ERROR_LENGTH = 1000;

    /** How a message travels: a mail over SMTP, or a signed webhook POST to an endpoint ({@link Webhooks}). */
    public enum Channel {
        MAIL, WEBHOOK
    }

    public enum Status {
        PENDING, SENT,
        /** Tried the maximum number of times; its feature shows it (e.g. the order's "dead mail"). */
        DEAD,
        /**
         * Never sent: when it came to be sent, its feature said it was no longer wanted
         * ({@link OutboxHandler#withdrawal}, e.g. a reminder to confirm an order the vendor had confirmed meanwhile);
         * {@code lastError} says why.
         */
        WITHDRAWN
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Channel channel;

    /** The feature's name for what this message is, e.g. {@code PO_AND_LINK}; at most 64 characters. */
    @Column(nullable = false)
    public String kind;

    /** Subject: the purchase order it is about, or null. */
    public Long purchaseOrderId;

    /** Subject: the shipment it is about, or null. */
    public Long shipmentId;

    /** The webhook endpoint a WEBHOOK message goes to; null for mail. */
    public Long webhookEndpointId;

    /** The receiver's HTTP status on the last try (webhooks only); null when it gave none (timeout, refused). */
    public Integer lastStatusCode;

    /** The access link the message hands out, if any (so a resend can be recognised). */
    public Long linkId;

    /**
     * Fixed when queued, so a retry after a crash is recognisably the same mail; a webhook's event id ({@code evt_…}),
     * which receivers use as their idempotency key.
     */
    @Column(nullable = false)
    public String messageId;

    @Column(nullable = false)
    public String recipient;

    @Column(nullable = false)
    public String subject;

    /** The HTML body shows the organisation's logo, attached inline at delivery. */
    public boolean withLogo;

    /** A mail's text body; a webhook's JSON body (kept while it is dead, so staff can retry it). */
    public String bodyText;
    public String bodyHtml;

    /**
     * Whom the recipient deals with: {@code contactEmail} is the Reply-To (none when null); name and phone are there
     * for attachments that print the contact (the purchase-order PDF). Header-safe: cleaned by the feature.
     */
    public String contactName;
    public String contactEmail;
    public String contactPhone;

    /** A link for attachments to print (the PO PDF's vendor link); erased with the bodies. */
    public String linkUrl;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Status status;

    public int attempts;

    @Column(nullable = false)
    public Instant nextAttemptAt;

    /**
     * A delivery run is sending the message and owns it until then (one short lease, extended while SMTP talks); after
     * a crash the claim lapses and the message is tried again.
     */
    public Instant claimedUntil;

    /**
     * Sent, but its {@link OutboxEvents.Delivered} has not yet been handled (a run that died between recording the send
     * and telling its feature, e.g. before the order's timeline shows it). The next run fires it.
     */
    public boolean deliveredEventPending;

    /**
     * The last failed try's error, at most {@link #LAST_ERROR_LENGTH} characters: a mail server's answer, which often
     * repeats the recipient's address ("550 … &lt;ann@shop.example&gt;: unknown user"), or a webhook receiver's.
     */
    public String lastError;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant sentAt;

    /** The subject as events carry it. */
    public OutboxEvents.Subject subjectRef() {
        return new OutboxEvents.Subject(purchaseOrderId, shipmentId);
    }

    /**
     * A new mail, due now, not yet persisted. The subject loses any CR/LF (header values never carry them from user
     * data) and the Message-ID is fixed here, so a retry after a crash is recognisably the same mail.
     */
    static OutboxMessage pending(Organization organization, String kind, String recipient, String subject,
            String mailDomain, Instant now) {
        if (kind == null || kind.isBlank() || kind.length() > 64) {
            throw new IllegalArgumentException("a message kind is a name of 1 to 64 characters, got " + kind);
        }
        OutboxMessage message = new OutboxMessage();
        message.organization = organization;
        message.channel = Channel.MAIL;
        message.kind = kind;
        message.recipient = recipient;
        message.subject = subject.replaceAll("[\\r\\n\\t]+", " ").strip();
        message.messageId = "<" + java.util.UUID.randomUUID() + "@" + mailDomain + ">";
        message.status = Status.PENDING;
        message.nextAttemptAt = now;
        message.createdAt = now;
        return message;
    }

    /** A new webhook message to an endpoint, due now, not yet persisted; its body is the signed JSON. */
    static OutboxMessage webhook(Organization organization, WebhookEndpoint endpoint, String eventId, String type,
            String body, Instant now) {
        OutboxMessage message = new OutboxMessage();
        message.organization = organization;
        message.channel = Channel.WEBHOOK;
        message.kind = type;
        message.webhookEndpointId = endpoint.id;
        message.recipient = endpoint.url;
        message.subject = type;
        message.messageId = eventId;
        message.bodyText = body;
        message.status = Status.PENDING;
        message.nextAttemptAt = now;
        message.createdAt = now;
        return message;
    }
}
