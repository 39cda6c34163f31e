package io.portlink.dropship;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** Units of one sales order line in one {@link OwnShipment} (V49); above 0. */
@Entity
public class OwnShipmentLine extends PanacheEntity {

    @Column(nullable = false)
    public long ownShipmentId;

    @Column(nullable = false)
    public long salesOrderLineId;

    @Column(nullable = false)
    public int quantity;
}
