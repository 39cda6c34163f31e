package io.portlink.shipment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** What the page of one tracking link shows, saved on that link (one row per CUSTOMER_SHIPMENT access link). */
@Entity
public class TrackingLinkOptions extends PanacheEntityBase {

    @Id
    public Long accessLinkId;

    @Column(nullable = false)
    public boolean showHeroPhoto;
    @Column(nullable = false)
    public boolean showEstimatedArrival;
    @Column(nullable = false)
    public boolean showProgress;
    @Column(nullable = false)
    public boolean showCustomerNotes;

    @Column(nullable = false)
    public Instant updatedAt;
}
