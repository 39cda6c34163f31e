package io.portlink.shipment;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.ImageCheck;
import io.portlink.platform.ImageCleaner;
import io.portlink.platform.Tokens;
import io.portlink.platform.Unicode;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Visibility;

/**
 * A shipment's photos: JPEG or PNG checked on their bytes ({@link ImageCheck}), at most
 * {@link ShipmentConfig#photoMaxBytes()} bytes, with location and other metadata removed ({@link ImageCleaner}) before
 * the bytes reach the {@link PhotoStore}. The gallery has an order; one photo may be the hero (the first one uploaded
 * becomes it). Every method finds nothing of another organisation's or a deleted shipment.
 */
@ApplicationScoped
public class ShipmentPhotos {

    private static final Set<String> TYPES = Set.of(ImageCheck.JPEG, ImageCheck.PNG);

    @Inject
    Clock clock;

    @Inject
    PhotoStore store;

    @Inject
    ShipmentConfig config;

    @Inject
    Shipments shipments;

    /** A photo as listed: {@code hero} when it is the shipment's hero photo. */
    public record PhotoView(long id, int position, String contentType, int byteSize, int width, int height,
            String digest, String fileName, Instant uploadedAt, boolean hero) {
    }

    /**
     * What {@link #add} did: {@code repeat} when the shipment's gallery held the same photo already (the same bytes
     * after cleaning), which {@code photo} then is, unchanged.
     */
    public record Added(PhotoView photo, boolean repeat) {
    }

    /** A photo's bytes as served. */
    public record Content(String contentType, String digest, byte[] bytes) {
    }

    /** The largest photo accepted, in bytes. */
    public long maxBytes() {
        return config.photoMaxBytes();
    }

    /**
     * Checks, cleans and stores a photo at the end of the gallery; {@code fileName} is kept for staff only (trimmed to
     * 200 characters). A photo whose cleaned bytes the gallery holds already is that photo ({@link Added#repeat}),
     * whoever sends it and whenever, also when the gallery is full: a retry after a lost answer, or the same file
     * chosen twice, adds nothing (two at once are one after the other, under the shipment's lock). Empty for no such
     * shipment.
     *
     * @throws ValidationException
     *             under {@code photo}: empty, too large, not a JPEG or PNG, damaged, too many pixels, gallery full
     */
    @Transactional
    public Optional<Added> add(long organizationId, long shipmentId, byte[] content, String fileName,
            ShipmentActor actor) {
        ImageCheck.Checked checked = ImageCheck.check("photo", "a photo", content, config.photoMaxBytes(),
                config.photoMaxSide(), TYPES);
        byte[] clean = ImageCleaner.strip("photo", content, checked.contentType());
        String digest = Tokens.sha256(clean);
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            // the shipment's photos are read through shipment_photo_ix; a gallery is a few dozen rows at most
            ShipmentPhoto same = ShipmentPhoto
                    .<ShipmentPhoto> find("shipment.id = ?1 and digest = ?2 order by id", s.id, digest).firstResult();
            if (same != null) {
                return new Added(view(same, s.heroPhotoId), true);
            }
            long count = ShipmentPhoto.count("shipment.id", s.id);
            if (count >= config.photosPerShipment()) {
                throw ValidationException.of("photo", "a shipment may have at most " + config.photosPerShipment()
                        + " photos; remove one before adding another", null);
            }
            Integer last = ShipmentPhoto
                    .find("select max(p.position) from ShipmentPhoto p where p.shipment.id = ?1", s.id)
                    .project(Integer.class).firstResult();
            ShipmentPhoto p = new ShipmentPhoto();
            p.shipment = s;
            p.position = last == null ? 0 : last + 1;
            p.describe(checked, clean);
            p.fileName = name(fileName);
            // as the database keeps it (microseconds): the answer now and every later read say the same time
            p.uploadedAt = Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            p.persist();
            store.put(p.id, clean);
            // staff's file name only; which photos a customer sees is the tracking link's choice
            shipments.record(s, actor, ShipmentEvent.PHOTO_ADDED, photoLabel(p), Visibility.INTERNAL);
            if (s.heroPhotoId == null) {
                s.heroPhotoId = p.id;
            }
            s.updatedAt = p.uploadedAt;
            return new Added(view(p, s.heroPhotoId), false);
        });
    }

    /** Reads an uploaded file, refusing one over the limit before reading it. */
    public Optional<Added> add(long organizationId, long shipmentId, java.nio.file.Path file, String fileName,
            ShipmentActor actor) {
        try {
            long size = java.nio.file.Files.size(file);
            if (size > config.photoMaxBytes()) {
                throw ImageCheck.tooLarge("photo", "a photo", size, config.photoMaxBytes());
            }
            return add(organizationId, shipmentId, java.nio.file.Files.readAllBytes(file), fileName, actor);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The gallery in order. */
    @Transactional
    public List<PhotoView> list(long organizationId, long shipmentId) {
        return Shipments.live(organizationId, shipmentId).map(this::list).orElse(List.of());
    }

    List<PhotoView> list(Shipment s) {
        return ShipmentPhoto.<ShipmentPhoto> list("shipment.id = ?1 order by position, id", s.id).stream()
                .map(p -> view(p, s.heroPhotoId)).toList();
    }

    /** Makes the photo the hero. False for no such photo. */
    @Transactional
    public boolean setHero(long organizationId, long shipmentId, long photoId, ShipmentActor actor) {
        return lockedPhoto(organizationId, shipmentId, photoId).map(p -> {
            if (!p.id.equals(p.shipment.heroPhotoId)) {
                p.shipment.heroPhotoId = p.id;
                p.shipment.updatedAt = Instant.now(clock);
                shipments.record(p.shipment, actor, ShipmentEvent.HERO_PHOTO, photoLabel(p), Visibility.INTERNAL);
            }
            return true;
        }).orElse(false);
    }

    /**
     * Moves the photo one place earlier ({@code by} = -1) or later (+1) in the gallery, or to the start or end with a
     * larger step. False for no such photo.
     */
    @Transactional
    public boolean move(long organizationId, long shipmentId, long photoId, int by, ShipmentActor actor) {
        return lockedPhoto(organizationId, shipmentId, photoId).map(p -> {
            List<ShipmentPhoto> all = ShipmentPhoto.list("shipment.id = ?1 order by position, id", shipmentId);
            int from = all.indexOf(p);
            int to = Math.max(0, Math.min(all.size() - 1, from + by));
            all.remove(from);
            all.add(to, p);
            // positions are rewritten densely; the unique order is the list's
            for (int i = 0; i < all.size(); i++) {
                all.get(i).position = i;
            }
            if (from != to) {
                p.shipment.updatedAt = Instant.now(clock);
                shipments.record(p.shipment, actor, ShipmentEvent.PHOTOS_REORDERED,
                        photoLabel(p) + " to place " + (to + 1), Visibility.INTERNAL);
            }
            return true;
        }).orElse(false);
    }

    /**
     * Removes the photo and its bytes, and from every tracking link's picks; a removed hero passes the role to the
     * first remaining photo.
     */
    @Transactional
    public boolean remove(long organizationId, long shipmentId, long photoId, ShipmentActor actor) {
        return lockedPhoto(organizationId, shipmentId, photoId).map(p -> {
            Shipment s = p.shipment;
            if (p.id.equals(s.heroPhotoId)) {
                s.heroPhotoId = ShipmentPhoto
                        .<ShipmentPhoto> find("shipment.id = ?1 and id <> ?2 order by position, id", s.id, p.id)
                        .firstResultOptional().map(other -> other.id).orElse(null);
                // the hero reference goes before the row it points at
                ShipmentPhoto.getEntityManager().flush();
            }
            shipments.record(s, actor, ShipmentEvent.PHOTO_REMOVED, photoLabel(p), Visibility.INTERNAL);
            TrackingLinks.unpick(p.id);
            store.delete(p.id);
            p.delete();
            s.updatedAt = Instant.now(clock);
            return true;
        }).orElse(false);
    }

    /** The bytes of a photo of a live shipment of the organisation, for staff pages. */
    @Transactional
    public Optional<Content> content(long organizationId, long shipmentId, long photoId) {
        return photo(organizationId, shipmentId, photoId)
                .flatMap(p -> store.get(p.id).map(bytes -> new Content(p.contentType, p.digest, bytes)));
    }

    /** Removes every photo of a shipment being deleted, bytes first. */
    void removeAll(Shipment s) {
        s.heroPhotoId = null;
        ShipmentPhoto.getEntityManager().flush();
        for (ShipmentPhoto p : ShipmentPhoto.<ShipmentPhoto> list("shipment.id", s.id)) {
            TrackingLinks.unpick(p.id);
            store.delete(p.id);
            p.delete();
        }
    }

    /** A photo of the shipment, with the shipment's row locked for the change (see {@link Shipments#locked}). */
    private static Optional<ShipmentPhoto> lockedPhoto(long organizationId, long shipmentId, long photoId) {
        return Shipments.locked(organizationId, shipmentId).flatMap(s -> ShipmentPhoto
                .<ShipmentPhoto> find("id = ?1 and shipment.id = ?2", photoId, s.id).firstResultOptional());
    }

    private static Optional<ShipmentPhoto> photo(long organizationId, long shipmentId, long photoId) {
        return Shipments.live(organizationId, shipmentId).flatMap(s -> ShipmentPhoto
                .<ShipmentPhoto> find("id = ?1 and shipment.id = ?2", photoId, s.id).firstResultOptional());
    }

    private static String photoLabel(ShipmentPhoto p) {
        return "photo #" + p.id + (p.fileName == null ? "" : " (" + p.fileName + ")");
    }

    private static String name(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return null;
        }
        String n = fileName.strip().replaceAll("\\p{Cntrl}", "");
        n = n.codePoints().filter(c -> !Unicode.isBidiControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return n.length() > ShipmentPhoto.FILE_NAME_LENGTH ? n.substring(0, ShipmentPhoto.FILE_NAME_LENGTH) : n;
    }

    private static PhotoView view(ShipmentPhoto p, Long heroId) {
        return new PhotoView(p.id, p.position, p.contentType, p.byteSize, p.width, p.height, p.digest, p.fileName,
                p.uploadedAt, p.id.equals(heroId));
    }
}
