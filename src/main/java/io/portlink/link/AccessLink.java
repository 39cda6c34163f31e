package io.portlink.link;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.portlink.organization.Organization;
import io.portlink.platform.Tokens;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A secret capability URL. The row binds one organisation + scope + subject (+ recipient); only the SHA-256 of the
 * token is kept. Rows are never deleted, so a token value is never reused.
 * <p>
 * The subject is one of the typed id columns, as the scope says ({@link Scope#subject}); a CHECK in the database
 * refuses a row whose columns do not fit its scope. They are plain ids, not relations, so this shared core knows no
 * feature: the foreign keys live in the database, and each feature reads its own rows.
 */
@Entity
@NamedQuery(name = AccessLink.FIRST_OPEN, query = "update AccessLink set openCount = openCount + 1, lastOpenedAt = :at,"
        + " firstOpenedAt = :at where id = :id and firstOpenedAt is null")
@NamedQuery(name = AccessLink.FIRST_BOT_FETCH, query = "update AccessLink set botOpenCount = botOpenCount + 1,"
        + " lastBotOpenAt = :at where id = :id and lastBotOpenAt is null")
// only the columns a transaction changed are written: open counters and other bulk updates are never overwritten
@DynamicUpdate
public class AccessLink extends PanacheEntity {

    /**
     * A link's first person open, written at once (parameters {@code at}, {@code id}); updates nothing when another
     * request wrote it first. Later opens go through {@code OpenCounts}.
     */
    public static final String FIRST_OPEN = "AccessLink.firstOpen";

    /** A link's first machine fetch, written at once ({@code at}, {@code id}); nothing when one was written. */
    public static final String FIRST_BOT_FETCH = "AccessLink.firstBotFetch";

    /** Which id column names a link's subject. */
    public enum Subject {
        /** {@code purchaseOrderId} and {@code vendorId}. */
        PURCHASE_ORDER,
        /** {@code shipmentId}. */
        SHIPMENT,
        /** {@code staffUserId}. */
        STAFF_USER
    }

    /**
     * What a link opens, with its token prefix, its path and its rules. A token of one scope is unknown under every
     * other scope's path ({@link Links#resolve}).
     */
    public enum Scope {
        /** The vendor's order it was made for, and that vendor's other orders with the organisation. */
        VENDOR_ORDER(Tokens.VENDOR, "/v/", Subject.PURCHASE_ORDER, false, true),
        /**
         * The customer's tracking page of one shipment. At most one active (not revoked) link per shipment, enforced by
         * a unique index ({@code access_link_one_active_shipment_uk}, migration V22_1).
         */
        CUSTOMER_SHIPMENT(Tokens.TRACKING, "/t/", Subject.SHIPMENT, true, true),
        /**
         * A driver's page of one shipment. At most one active link per shipment, enforced by a unique index
         * ({@code access_link_one_active_driver_uk}, migration V34).
         */
        DRIVER(Tokens.DRIVER, "/d/", Subject.SHIPMENT, false, false),
        /** A staff invitation: the invited person chooses a password once. */
        STAFF_INVITE(Tokens.INVITATION, "/app/invite/", Subject.STAFF_USER, true, false);

        /** The token's prefix, e.g. {@code pv_}. */
        public final String prefix;
        /** The path a token of this scope is served under, with both slashes, e.g. {@code /v/}. */
        public final String path;
        /** Which id column names the subject. */
        public final Subject subject;
        /** At most one active link per subject: issuing another while one is active is refused. */
        public final boolean oneActivePerSubject;
        /** The neutral page of a gone link of this scope offers "ask for a new link" (else: "ask the sender"). */
        public final boolean mayAskForNewLink;

        Scope(String prefix, String path, Subject subject, boolean oneActivePerSubject, boolean mayAskForNewLink) {
            this.prefix = prefix;
            this.path = path;
            this.subject = subject;
            this.oneActivePerSubject = oneActivePerSubject;
            this.mayAskForNewLink = mayAskForNewLink;
        }
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Scope scope;

    /** VENDOR_ORDER: the order the link lands on, and its vendor. Null for other scopes. */
    public Long purchaseOrderId;
    public Long vendorId;

    /** CUSTOMER_SHIPMENT and DRIVER: the shipment. Null for other scopes. */
    public Long shipmentId;

    /** STAFF_INVITE: the invited user. Null for other scopes. */
    public Long staffUserId;

    @Column(nullable = false)
    public String tokenHash;

    /**
     * For a scope whose token the server can rebuild ({@code Links.rederivable}): 256 random bits (base64url) that the
     * token is the server key's HMAC of. Not the token, and useless without the server key. Null for other scopes and
     * for links issued before seeds existed.
     */
    public String tokenSeed;

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
     * When the expiry job marked the link expired ({@link LinkExpiry}): its end is on its subject's timeline and what
     * it no longer needs is dropped. Null while it has not ended by expiry, and again once staff give it back its life
     * ({@link Links#setExpiry}). Whether a link opens is still decided by {@link #isUsable}, the same before and after.
     */
    public Instant expiredAt;

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

    /**
     * No longer written: render nonces are signed and checked without a row ({@code Links.renderNonce}). Kept (and
     * cleared by the expiry job) for rows written before.
     */
    public String renderNonceHash;
    public Instant renderedAt;

    /**
     * {@link #isUsable} in SQL, for reads that take a link without loading it (the tracking and vendor pages): 1 when
     * the link opens, else 0. The link is aliased {@code l}, its organisation {@code g}, and the one parameter is now,
     * bound with {@link io.portlink.platform.SqlTimestamps#bind}. Pinned to {@link #isUsable} by
     * {@code TrackingPageReadsTest} and {@code VendorPageSqlReadTest}.
     */
    public static final String USABLE_SQL = "case when l.revoked_at is null and (l.expires_at is null"
            + " or l.expires_at > " + io.portlink.platform.SqlTimestamps.PARAMETER
            + ") and g.status = 'ACTIVE' then 1 else 0 end";

    /**
     * Whether the link opens at {@code now}: not revoked, not expired, its organisation active ({@link #USABLE_SQL}).
     */
    public boolean isUsable(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now)) && organization.isActive();
    }
}
