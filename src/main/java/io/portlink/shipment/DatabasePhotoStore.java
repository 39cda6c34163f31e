package io.portlink.shipment;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** Photo bytes in the {@code shipment_photo_content} table: no shared volume is needed across replicas. */
@ApplicationScoped
public class DatabasePhotoStore implements PhotoStore {

    @Override
    public void put(long photoId, byte[] content) {
        ShipmentPhotoContent row = new ShipmentPhotoContent();
        row.photoId = photoId;
        row.content = content;
        row.persist();
    }

    @Override
    public Optional<byte[]> get(long photoId) {
        return ShipmentPhotoContent.<ShipmentPhotoContent> findByIdOptional(photoId).map(c -> c.content);
    }

    @Override
    public void delete(long photoId) {
        ShipmentPhotoContent.deleteById(photoId);
    }
}
