package io.portlink.purchasing;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** A reminder that went out; unique per order, kind and window, so no window is reminded twice. */
@Entity
public class Reminder extends PanacheEntity {

    public static final String UNCONFIRMED = "UNCONFIRMED";
    public static final String RECONFIRM = "RECONFIRM";
    /** Sent by staff from the queue or the order; its window is the moment it was sent. */
    public static final String MANUAL = "MANUAL";

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public PurchaseOrder order;

    @Column(nullable = false)
    public String kind;

    /** For UNCONFIRMED the reminder's number (1, 2, ...); for RECONFIRM the expected date asked about. */
    @Column(nullable = false)
    public String windowKey;

    @Column(nullable = false)
    public Instant sentAt;
}
