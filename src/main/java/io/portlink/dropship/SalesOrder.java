package io.portlink.dropship;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * What a merchant's customer bought (V40), from the API, a CSV or the sales channel's webhook; unique per merchant by
 * the channel's reference. Its lines are {@link SalesOrderLine}s; routing splits it into one {@link Dropshipment} per
 * supplier.
 */
@Entity
public class SalesOrder extends PanacheEntity {

    /** sales_order.internal_note's length in characters (V40). */
    public static final int INTERNAL_NOTE_LENGTH = 2000;

    /** sales_order.cancel_reason's length in characters (V40). */
    public static final int CANCEL_REASON_LENGTH = 1000;

    public enum Status {
        /** Nothing routed yet. */
        OPEN,
        /** Every line with a dropship supplier is routed. */
        ROUTED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED
    }

    public enum Channel {
        API, CSV, WEBHOOK, STAFF
    }

    /** The merchant. */
    @Column(nullable = false)
    public long organizationId;

    @Column(nullable = false)
    public String reference;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Channel channel;

    @Column(nullable = false)
    public String shipToName;

    public String shipToCompany;

    /** Lines separated by newlines, as the channel sent them. */
    @Column(nullable = false)
    public String shipToAddress;

    public String shipToPhone;

    /** The shipping method the customer asked for (e.g. "Ground", "Express"). */
    public String shippingMethod;

    /** The merchant's own note: passed to a supplier only when its connection passes notes. */
    public String internalNote;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Status status;

    public String cancelReason;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
