package io.portlink.dropship;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** How many units of one {@link DropshipmentLine} a {@link DropshipShipment} carried (V40); whole units, above 0. */
@Entity
public class DropshipShipmentLine extends PanacheEntity {

    @Column(nullable = false)
    public long dropshipShipmentId;

    @Column(nullable = false)
    public long dropshipmentLineId;

    @Column(nullable = false)
    public int quantity;
}
