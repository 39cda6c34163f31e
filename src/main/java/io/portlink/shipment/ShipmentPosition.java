package io.portlink.shipment;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * Where a shipment was at a time: latitude and longitude in degrees (WGS 84, six decimals, about 0.1 m), the time the
 * device recorded it (UTC) and its source ({@code api}, {@code driver}, or the API's own word). One row per point and
 * time.
 */
@Entity
public class ShipmentPosition extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Shipment shipment;

    @Column(nullable = false)
    public Instant recordedAt;
    @Column(nullable = false, precision = 9, scale = 6)
    public BigDecimal latitude;
    @Column(nullable = false, precision = 9, scale = 6)
    public BigDecimal longitude;
    @Column(nullable = false)
    public String source;
    /** When Portlink received it (UTC). */
    @Column(nullable = false)
    public Instant receivedAt;
    /** The driver link that sent it ({@link DriverPages}); null for the API. */
    public Long accessLinkId;
}
