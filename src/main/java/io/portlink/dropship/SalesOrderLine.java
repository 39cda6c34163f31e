package io.portlink.dropship;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** One line of a {@link SalesOrder} (V40), positions from 1. Quantities are whole units. */
@Entity
public class SalesOrderLine extends PanacheEntity {

    @Column(nullable = false)
    public long salesOrderId;

    @Column(nullable = false)
    public int position;

    /** The merchant's product of {@link #sku}, when the catalogue has it (routing needs it). */
    public Long productId;

    @Column(nullable = false)
    public String sku;

    public String description;

    /** Above 0. */
    @Column(nullable = false)
    public int quantity;

    /** The merchant's price; passed to a supplier only when its connection passes prices. */
    @Column(precision = 19, scale = 4)
    public BigDecimal unitPrice;

    /** Sum over the dropship shipments carrying this line. */
    @Column(nullable = false)
    public int quantityShipped;

    /** When the merchant removed the line (V45); null while it stands. A removed line is never routed. */
    public Instant removedAt;
}
