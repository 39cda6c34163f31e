package io.portlink.purchasing;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

@Entity
public class OrderLine extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public PurchaseOrder order;

    public int lineNo;
    public String sku;
    public String description;
    @Column(nullable = false)
    public BigDecimal quantity;
    public String unit;
    public BigDecimal unitPrice;
    public String currency;
}
