package io.portlink.shipment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A shipment's proof of delivery, one at most (a unique index): who received it, the driver's note, when (the server's
 * clock, UTC), and the driver link it came through. Its photos and signature are {@link ProofOfDeliveryImage}s.
 */
@Entity
public class ProofOfDelivery extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Shipment shipment;

    @Column(nullable = false)
    public String receiverName;

    public String note;

    @Column(nullable = false)
    public Instant deliveredAt;

    public Long accessLinkId;

    /** When the retention job deleted the images (photos, signature), and after how many days (V67); null: kept. */
    public Instant imagesRemovedAt;
    public Integer imagesRemovedAfterDays;
}
