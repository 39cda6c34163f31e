package io.portlink.mail;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.portlink.order.PurchaseOrder;
import io.portlink.organization.Organization;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A mail waiting to be delivered, written in the same transaction as the change that caused it. Its bodies carry a link
 * token until it is sent or dead; then they are erased.
 */
@Entity
public class OutboxMessage extends PanacheEntity {

    public enum Kind {
        PO_AND_LINK, LINK_ONLY,
        /** A staff invitation; belongs to no order. */
        INVITATION
    }

    public enum Status {
        PENDING, SENT,
        /** Tried the maximum number of times; staff see it and can send a new link. */
        DEAD
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    @ManyToOne(fetch = FetchType.LAZY)
    public PurchaseOrder order;

    public Long linkId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Kind kind;

    /** Fixed when queued, so a retry after a crash is recognisably the same mail. */
    @Column(nullable = false)
    public String messageId;

    @Column(nullable = false)
    public String recipient;

    @Column(nullable = false)
    public String subject;

    /** The HTML body shows the organisation's logo, attached inline at delivery. */
    public boolean withLogo;

    public String bodyText;
    public String bodyHtml;

    /** The buyer: Reply-To (when there is an e-mail) and the contact printed in the PDF. */
    public String buyerName;
    public String buyerEmail;
    public String buyerPhone;

    /** The vendor link printed in the PDF with its QR code; erased with the bodies. */
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

    /** Sent, but not yet on its order's timeline and status (a run that died between the two records). */
    public boolean orderUpdatePending;

    public String lastError;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant sentAt;

    /**
     * A new message, due now, not yet persisted. The subject loses any CR/LF (header values never carry them from user
     * data) and the Message-ID is fixed here, so a retry after a crash is recognisably the same mail.
     */
    static OutboxMessage pending(Organization organization, Kind kind, String recipient, String subject,
            String mailDomain, Instant now) {
        OutboxMessage message = new OutboxMessage();
        message.organization = organization;
        message.kind = kind;
        message.recipient = recipient;
        message.subject = subject.replaceAll("[\\r\\n\\t]+", " ").strip();
        message.messageId = "<" + java.util.UUID.randomUUID() + "@" + mailDomain + ">";
        message.status = Status.PENDING;
        message.nextAttemptAt = now;
        message.createdAt = now;
        return message;
    }
}
