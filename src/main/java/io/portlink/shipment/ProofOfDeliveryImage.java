package io.portlink.shipment;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One image of a {@link ProofOfDelivery} (its bytes in the row), checked (JPEG or PNG) and with its metadata removed: a
 * photo (position from 0) or the receiver's drawn signature (a PNG, position 0).
 */
@Entity
public class ProofOfDeliveryImage extends StoredImage {

    /** What the image is. */
    public enum Kind {
        PHOTO, SIGNATURE
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public ProofOfDelivery proof;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Kind kind;

    @Column(nullable = false)
    public int position;

    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false)
    public byte[] content;
}
