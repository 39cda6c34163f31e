package io.portlink.fulfilment;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * How much of one purchase-order line one shipment carries (V31). Plain ids, as the two features share no entities; the
 * database keeps them honest with foreign keys. What is shipped of a line is the sum over its live (not deleted)
 * shipments.
 */
@Entity
public class ShipmentLine extends PanacheEntity {

    @Column(nullable = false)
    public long shipmentId;

    @Column(nullable = false)
    public long orderLineId;

    /** In the order line's unit; above 0. */
    @Column(nullable = false, precision = 19, scale = 4)
    public BigDecimal quantity;
}
