package io.portlink.dropship;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** One line of a {@link Dropshipment} (V40): a copy of a sales order line as passed to the supplier. */
@Entity
public class DropshipmentLine extends PanacheEntity {

    @Column(nullable = false)
    public long dropshipmentId;

    @Column(nullable = false)
    public long salesOrderLineId;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String sku;

    @Column(nullable = false)
    public String supplierSku;

    public String description;

    /** Whole units; 0 once the merchant removed the line after sending. */
    @Column(nullable = false)
    public int quantity;

    /** Only when the connection passes prices. */
    @Column(precision = 19, scale = 4)
    public BigDecimal unitPrice;

    @Column(nullable = false)
    public int quantityShipped;
}
