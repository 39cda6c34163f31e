package io.portlink.purchasing;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One event that needs a buyer, for one staff user: unique per timeline entry and user, so it is told once. An
 * {@link BuyerNoticeSetting.Mode#AT_ONCE} notice carries the id of the mail queued with it; a digest notice waits
 * ({@code digestPending}) until the user's digest lists it.
 */
@Entity
public class BuyerNotice extends PanacheEntity {

    /** {@code buyer_notice.detail}'s length in characters (the erasure cleans the detail to fit it). */
    public static final int DETAIL_LENGTH = 2000;

    @Column(nullable = false)
    public Long organizationId;

    @Column(nullable = false)
    public Long staffUserId;

    @Column(nullable = false)
    public Long purchaseOrderId;

    /** The order's timeline entry that is the event. */
    @Column(nullable = false)
    public Long timelineEntryId;

    /** The {@link OrderEvent} name. */
    @Column(nullable = false)
    public String kind;

    /** What the digest says of it (one line, at most 2,000 characters): the timeline entry's detail, copied. */
    @Column(length = DETAIL_LENGTH)
    public String detail;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public BuyerNoticeSetting.Mode delivery;

    public boolean digestPending;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant digestedAt;

    public Long outboxMessageId;
}
