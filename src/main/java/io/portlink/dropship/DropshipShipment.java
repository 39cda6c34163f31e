package io.portlink.dropship;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One parcel a supplier sent for a {@link Dropshipment} (V40): carrier, tracking number, ship date (the supplier's
 * calendar day), method, and the lines it carried ({@link DropshipShipmentLine}). Never changed once written; a
 * dropshipment may have several. (carrier, tracking number) names it within its dropshipment, so a retried request
 * finds it instead of shipping twice.
 */
@Entity
public class DropshipShipment extends PanacheEntity {

    @Column(nullable = false)
    public long dropshipmentId;

    @Column(nullable = false)
    public String carrier;

    @Column(nullable = false)
    public String trackingNumber;

    @Column(nullable = false)
    public LocalDate shipDate;

    public String shippingMethod;

    @Column(nullable = false)
    public Instant createdAt;

    /** Who recorded it, as the supplier's timeline names them (e.g. a staff e-mail or "API"). */
    @Column(nullable = false)
    public String createdBy;
}
