package io.portlink.shipment;

/**
 * What the shared timeline records about a shipment (the kind of a {@link io.portlink.timeline.TimelineEntry}). Stage
 * and ETA changes and customer notes are customer-visible; the rest is for staff. A customer-visible entry's detail
 * never carries an internal field.
 */
public enum ShipmentEvent {
    CREATED("Created"), UPDATED("Details edited"), STAGE_CHANGED("Stage changed"), ETA_CHANGED("Estimated arrival"),
    NOTE_ADDED("Note"), PHOTO_ADDED("Photo added"), PHOTO_REMOVED("Photo removed"), HERO_PHOTO("Hero photo"),
    PHOTOS_REORDERED("Gallery order"), DELETED("Deleted"),
    /** Stops and windows set (internal); arrival and departure at a stop (customer-visible: detail "KIND position"). */
    STOPS_CHANGED("Stops changed"), STOP_ARRIVED("Arrived at stop"), STOP_DEPARTED("Departed from stop"),
    /** The tracking link's life (internal: staff's record of who shared, stopped or changed the customer's page). */
    TRACKING_LINK_CREATED("Tracking link created"), TRACKING_LINK_REVOKED("Tracking link revoked"),
    TRACKING_LINK_REGENERATED("Tracking link regenerated"), TRACKING_LINK_EXPIRY("Tracking link expiry"),
    TRACKING_LINK_OPTIONS("Tracking page options"), TRACKING_LINK_REQUESTED("New tracking link asked for"),
    /** The expiry job ended a tracking or driver link (its expiry, or the days after delivery, passed). */
    TRACKING_LINK_EXPIRED("Tracking link expired"), DRIVER_LINK_EXPIRED("Driver link expired"),
    /** The tracking-link mail to the customer (internal). */
    TRACKING_MAIL_QUEUED("Tracking link e-mail queued"), TRACKING_MAIL_SENT("Tracking link e-mailed"),
    TRACKING_MAIL_DEAD("Tracking link e-mail failed"),
    /** Milestone rules and delay alerts (internal). */
    MILESTONE_MAIL_QUEUED("Milestone e-mail queued"), LATE("Late"), BACK_ON_TIME("Back on time"),
    DELAY_MAIL_QUEUED("Delay e-mail to the customer queued"),
    /** Carrier and tracking number set (customer-visible: the page shows them anyway). */
    CARRIAGE("Carrier and tracking number"),
    /**
     * Problems (exceptions): the customer-visible entry says only a neutral word ("Delayed"); the note is internal
     * unless staff share it.
     */
    EXCEPTION_REPORTED("Problem reported"), EXCEPTION_NOTE("Problem note"), EXCEPTION_RESOLVED("Problem resolved"),
    /** The driver link's life and what the driver did through it (internal, besides stage changes). */
    DRIVER_LINK_CREATED("Driver link created"), DRIVER_LINK_REVOKED("Driver link revoked"),
    DRIVER_LINK_REGENERATED("Driver link regenerated"), PROOF_OF_DELIVERY("Proof of delivery"),
    /** The retention job deleted photos and proof-of-delivery images, or positions (internal; counts, no data). */
    RETENTION_IMAGES_REMOVED("Images removed (retention policy)"),
    RETENTION_POSITIONS_REMOVED("Positions removed (retention policy)");

    /** How staff read it. */
    public final String label;

    ShipmentEvent(String label) {
        this.label = label;
    }

    /** The label of a stored kind; the kind itself for one this version does not know. */
    public static String labelOf(String kind) {
        for (ShipmentEvent e : values()) {
            if (e.name().equals(kind)) {
                return e.label;
            }
        }
        return kind;
    }
}
