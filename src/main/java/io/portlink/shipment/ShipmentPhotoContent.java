package io.portlink.shipment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The bytes of one photo, in the database ({@link DatabasePhotoStore}). */
@Entity
public class ShipmentPhotoContent extends PanacheEntityBase {

    @Id
    public Long photoId;

    @Column(nullable = false)
    public byte[] content;
}
