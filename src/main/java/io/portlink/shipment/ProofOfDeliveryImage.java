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

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One image of a {@link ProofOfDelivery}, checked (JPEG or PNG) and with its metadata removed: a photo (position from
 * 0) or the receiver's drawn signature (a PNG, position 0).
 */
@Entity
public class ProofOfDeliveryImage extends PanacheEntity {

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

    @Column(nullable = false)
    public String contentType;
    @Column(nullable = false)
    public int byteSize;
    @Column(nullable = false)
    public int width;
    @Column(nullable = false)
    public int height;
    @Column(nullable = false)
    public String digest;

    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false)
    public byte[] content;
}
