package io.portlink.link;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.portlink.order.PurchaseOrder;
import io.portlink.organization.Organization;
import io.portlink.vendor.Vendor;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A secret capability URL. The row binds one organisation + scope + subject (+ recipient); only the SHA-256 of the
 * token is kept. Rows are never deleted, so a token value is never reused.
 */
@Entity
// only the columns a transaction changed are written: open counters and other bulk updates are never overwritten
@DynamicUpdate
public class AccessLink extends PanacheEntity {

    public enum Scope {
        /** The vendor's order it was made for, and that vendor's other orders with the organisation. */
        VENDOR
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Vendor vendor;

    /** The order the link lands on. */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public PurchaseOrder order;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Scope scope;

    @Column(nullable = false)
    public String tokenHash;

    /** Prefix and first characters of the token: what staff and logs may see. */
    @Column(nullable = false)
    public String tokenHint;

    public String recipientName;
    public String recipientContact;

    @Column(nullable = false)
    public Instant createdAt;
    public String createdBy;
    public Instant expiresAt;
    public Instant revokedAt;

    /**
     * Opens by people (the page shown by a browser, or a form posted); bot opens (HEAD, agents on the machine list) are
     * counted apart and never set these.
     */
    public Instant firstOpenedAt;
    public Instant lastOpenedAt;
    public int openCount;
    public int botOpenCount;
    public Instant lastBotOpenAt;
    public Instant lastActionAt;

    /** SHA-256 of the nonce of the latest render of a page of this link (see {@code Links.confirmOpen}). */
    public String renderNonceHash;
    public Instant renderedAt;

    public boolean isUsable(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now)) && organization.isActive();
    }

    /** How the link reads as an actor on a timeline. */
    public String actorLabel() {
        StringBuilder label = new StringBuilder("vendor link #").append(id);
        String who = recipientName != null ? recipientName : vendor.name;
        label.append(" (").append(who);
        if (recipientContact != null) {
            label.append(", ").append(recipientContact);
        } else if (vendor.email != null) {
            label.append(", ").append(vendor.email);
        }
        return label.append(')').toString();
    }
}
