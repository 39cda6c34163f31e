package io.portlink.shipment;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

import io.portlink.platform.ImageCheck;
import io.portlink.platform.Tokens;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * What every stored image row of a shipment says of its bytes (a gallery {@link ShipmentPhoto}, a
 * {@link ProofOfDeliveryImage}): type and size decided from the bytes by {@link ImageCheck}, after metadata was
 * removed. Each subclass keeps its own table with these columns; only the mapping is shared.
 */
@MappedSuperclass
public abstract class StoredImage extends PanacheEntity {

    /** {@code image/jpeg} or {@code image/png}. */
    @Column(nullable = false)
    public String contentType;
    /** Bytes stored. */
    @Column(nullable = false)
    public int byteSize;
    /** Pixels. */
    @Column(nullable = false)
    public int width;
    @Column(nullable = false)
    public int height;
    /** SHA-256 (hex) of the stored bytes (after location metadata was removed). */
    @Column(nullable = false)
    public String digest;

    /** Sets type, size, pixels and digest for the stored ({@code clean}) bytes of a checked image. */
    void describe(ImageCheck.Checked checked, byte[] clean) {
        contentType = checked.contentType();
        byteSize = clean.length;
        width = checked.width();
        height = checked.height();
        digest = Tokens.sha256(clean);
    }

    /** The file name extension for a download: {@code .png} or {@code .jpg}. */
    String extension() {
        return ImageCheck.PNG.equals(contentType) ? ".png" : ".jpg";
    }
}
