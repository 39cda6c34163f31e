package io.portlink.shipment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** A gallery photo picked for one tracking link, at a place in the link's gallery (from 0). */
@Entity
public class TrackingLinkPhoto extends PanacheEntity {

    @Column(nullable = false)
    public Long accessLinkId;

    @Column(nullable = false)
    public Long shipmentPhotoId;

    @Column(nullable = false)
    public int position;
}
