package io.portlink.shipment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A photo of a shipment as listed: type and size decided from its bytes, place in the gallery. The bytes are kept by a
 * {@link PhotoStore}, so listing photos never reads them.
 */
@Entity
public class ShipmentPhoto extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Shipment shipment;

    /** Gallery order, from 0. */
    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String contentType;
    @Column(nullable = false)
    public int byteSize;
    @Column(nullable = false)
    public int width;
    @Column(nullable = false)
    public int height;
    /** SHA-256 of the stored bytes (after location metadata was removed). */
    @Column(nullable = false)
    public String digest;
    /** The uploaded file's name, for staff only. */
    public String fileName;

    @Column(nullable = false)
    public Instant uploadedAt;
}
