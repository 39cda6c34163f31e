package io.portlink.shipment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The shipment feature's settings row of one organisation: the pipeline new shipments use, and whether every new
 * shipment gets a tracking link at once.
 */
@Entity
public class ShipmentSettings extends PanacheEntityBase {

    @Id
    public Long organizationId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public ShipmentPipeline pipeline;

    /** Create a tracking link with every new shipment (in its transaction). */
    @Column(name = "tracking_link_for_new", nullable = false)
    public boolean trackingLinkForNew;
}
