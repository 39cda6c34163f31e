package io.portlink.shipment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

/**
 * A photo of a shipment as listed: type and size decided from its bytes, place in the gallery. The bytes are kept by a
 * {@link PhotoStore}, so listing photos never reads them.
 */
@Entity
public class ShipmentPhoto extends StoredImage {

    /** shipment_photo.file_name's length in characters (V21); a longer uploaded name is cut to it. */
    public static final int FILE_NAME_LENGTH = 200;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Shipment shipment;

    /** Gallery order, from 0. */
    @Column(nullable = false)
    public int position;

    /** The uploaded file's name, for staff only. */
    @Column(length = FILE_NAME_LENGTH)
    public String fileName;

    @Column(nullable = false)
    public Instant uploadedAt;
}
