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
 * A merchant and a supplier organisation working together (V39). Created by the merchant's invitation
 * ({@link Status#INVITED}, supplier unknown), {@link Status#ACTIVE} once the supplier accepts,
 * {@link Status#DISCONNECTED} when either side ends it. One row per (merchant, supplier) pair; reconnecting reuses it.
 */
@Entity
public class DropshipConnection extends PanacheEntity {

    public enum Status {
        INVITED, ACTIVE, DISCONNECTED
    }

    @Column(nullable = false)
    public long merchantId;

    /** Null while {@link Status#INVITED}. */
    public Long supplierId;

    /** How the merchant calls the supplier; also its warehouse's name in the merchant's organisation. */
    @Column(nullable = false)
    public String supplierName;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Status status;

    /** Where the invitation went (lower case). */
    @Column(nullable = false)
    public String invitedEmail;

    /** SHA-256 (hex) of the invitation token; null once accepted. The token itself is never stored. */
    public String inviteTokenHash;

    public Instant inviteExpiresAt;

    /** The merchant's warehouse named after the supplier; set when the first product is marked dropship from it. */
    public Long warehouseId;

    /** Whether line prices reach this supplier (off: never). */
    public boolean passPrices;

    /** Whether the merchant's internal order notes reach this supplier (off: never). */
    public boolean passNotes;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant acceptedAt;

    public Instant disconnectedAt;

    /** Who disconnected: "merchant: <staff label>" or "supplier: <staff label>". */
    public String disconnectedBy;

    @Version
    public long version;
}
