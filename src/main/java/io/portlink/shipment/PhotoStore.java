package io.portlink.shipment;

import java.util.Optional;

/**
 * Where photo bytes live. The default keeps them in the database ({@link DatabasePhotoStore}); an object store can
 * implement this as an alternative bean. Calls run inside the caller's transaction; {@code put} happens after the photo
 * row exists, {@code delete} before it is removed.
 */
public interface PhotoStore {

    /** Stores the checked, cleaned bytes of photo {@code photoId}. */
    void put(long photoId, byte[] content);

    /** The bytes of photo {@code photoId}, or empty when none are stored. */
    Optional<byte[]> get(long photoId);

    /** Removes the bytes; nothing happens when there are none. */
    void delete(long photoId);
}
