package io.portlink.dropship;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One parcel the merchant itself sent for the lines of a {@link SalesOrder} that it keeps (V49): carrier, tracking
 * number, ship date (the merchant's calendar day), method, and the lines carried ({@link OwnShipmentLine}). Never
 * changed once written; (carrier, tracking number) names it within its order, so a retried request finds it.
 */
@Entity
public class OwnShipment extends PanacheEntity {

    @Column(nullable = false)
    public long salesOrderId;

    @Column(nullable = false)
    public String carrier;

    @Column(nullable = false)
    public String trackingNumber;

    @Column(nullable = false)
    public LocalDate shipDate;

    public String shippingMethod;

    @Column(nullable = false)
    public Instant createdAt;

    /** Who recorded it, as the timeline names them. */
    @Column(nullable = false)
    public String createdBy;
}
