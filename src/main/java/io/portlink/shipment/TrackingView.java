package io.portlink.shipment;

import java.util.List;

/**
 * Everything the customer's tracking page shows, and nothing else: an allow-list. It is built from the shipment's
 * customer-facing fields only ({@link TrackingPages}); no internal field, internal note, customer contact or other
 * shipment ever enters it. Texts are ready to print (dates formatted by the organisation's country in the customer's
 * language; every time in the delivery stop's zone, named, by {@link ShipmentTimes}); the URLs are the page's own,
 * under its token.
 *
 * @param organization
 *            the organisation's name
 * @param logoUrl
 *            the logo through the token, or null without a logo
 * @param title
 *            the shipment's title (what the customer sees, e.g. "2019 Toyota Land Cruiser 300")
 * @param stage
 *            the current stage, or null when the progress tracker is off
 * @param steps
 *            the pipeline's stages in order for the tracker; empty when it is off
 * @param estimatedArrival
 *            the current ETA formatted (a date alone for a manual date; else date and time in the delivery stop's zone,
 *            the zone named), or null when off, not known, while a problem is open, or once delivered
 * @param arrivalLate
 *            the ETA shown has passed (its instant is before now; a date alone, the day is over in the delivery stop's
 *            zone) and the shipment has not arrived: the page says it is running late
 * @param notes
 *            the customer notes, newest first (at most {@link TrackingPages#NOTES_SHOWN}); empty when off
 * @param heroUrl
 *            the hero photo through the token, or null when off or none
 * @param photoUrls
 *            the picked gallery photos through the token, in the picked order
 * @param language
 *            the page's language (en, de, fr, es)
 * @param origin
 *            the pickup stop, or null without stops
 * @param destination
 *            the delivery stop, or null without stops
 * @param history
 *            customer-visible updates, newest first (at most {@link TrackingPages#HISTORY_SHOWN})
 * @param position
 *            where the shipment was last seen, or null: none yet, or delivered (never a position after delivery)
 * @param carriage
 *            carrier, tracking number and sender, or null when there is none of them to show
 * @param delivery
 *            after delivery: its time and the proof of delivery; null before
 * @param arrivedAt
 *            the delivery stop's actual arrival (formatted in its zone, named), or null before it: from then on the
 *            page shows it instead of the ETA, the distance and the last position
 */
public record TrackingView(String organization, String logoUrl, String title, Step stage, List<Step> steps,
        String estimatedArrival, boolean arrivalLate, List<Note> notes, String heroUrl, List<String> photoUrls,
        String language, Place origin, Place destination, List<Update> history, LastPosition position,
        Carriage carriage, Delivery delivery, String arrivedAt) {

    /**
     * A stop as the customer reads it: name and address as staff wrote them, the window's ends formatted in the stop's
     * own zone (null when not set), that zone's name (Europe/Berlin), and the actual arrival and departure in that
     * zone, if any (the page shows the departure of the origin: when the goods left the pickup).
     */
    public record Place(String name, String address, String windowFrom, String windowTo, String zone, String arrived,
            String departed) {

        /** Whether a window is known. */
        public boolean hasWindow() {
            return windowFrom != null || windowTo != null;
        }
    }

    /** What an update says; the page words it in the customer's language. */
    public enum Event {
        STAGE, ETA, ETA_CLEARED, PICKUP_ARRIVED, PICKUP_LEFT, STOP_ARRIVED, STOP_LEFT, DELIVERY_ARRIVED,
        /** Problems reported (ShipmentExceptions): the customer's neutral word per kind. */
        DELAYED, DAMAGE_REPORTED, DELIVERY_REFUSED, PROBLEM_REPORTED
    }

    /**
     * One customer-visible update: when (formatted in the delivery stop's zone, named), what, the stage reached (for
     * STAGE) and the new estimated arrival (for ETA, formatted), or for a problem the note staff shared with the
     * customer (null when not shared); {@code label} is the event as the customer reads it ({@link Words#event}).
     */
    public record Update(String at, Event event, Step stage, String value, String label) {
    }

    /**
     * The last position: when it was recorded (formatted in the delivery stop's zone, named), the distance left to the
     * delivery stop (formatted km, null without its coordinates), and the map, or null when the map is off, the
     * position not fresh, or no tile server is configured.
     */
    public record LastPosition(String recordedAt, String distanceKm, MapTile map) {
    }

    /**
     * One map tile around the position, from the configured tile server (the only third party the page may name), and
     * the marker's place on it in 8-pixel steps (0–31 from the tile's left and top edges: CSS classes, no inline
     * style).
     */
    public record MapTile(String url, int markerX, int markerY) {
    }

    /**
     * Who carries the goods: the carrier's name and tracking number (either may be null), and the sender's name only
     * when the organisation shows it ({@link ShipmentSettings#showVendorName}), else null.
     */
    public record Carriage(String carrier, String trackingNumber, String sender) {

        static Carriage of(Shipment s, ShipmentSettings settings) {
            String sender = settings.showVendorName ? s.senderName : null;
            return s.carrier == null && s.trackingNumber == null && sender == null ? null
                    : new Carriage(s.carrier, s.trackingNumber, sender);
        }
    }

    // ---- after delivery (issue 10, section 5)

    /**
     * The completed record: when it was delivered (formatted in the delivery stop's zone, named), and when the
     * organisation shows the proof of delivery, the receiver's name, its photos and signature through the page's token
     * (else null and empty).
     */
    public record Delivery(String deliveredAt, String receiverName, List<String> photoUrls, String signatureUrl) {

        /** Whether any of the proof is shown. */
        public boolean hasProof() {
            return receiverName != null || !photoUrls.isEmpty() || signatureUrl != null;
        }
    }

    // ---- end after delivery

    /** Where a step of the tracker stands against the shipment's stage. */
    public enum State {
        DONE, CURRENT, AHEAD;

        /** The step's CSS class: the name in lower case, made once. */
        public final String css = name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * One stage of the tracker: its name as the organisation wrote it, and its standard milestone when every stage of
     * the pipeline is named by its milestone's own English label (the freight default: then the page says them in the
     * customer's language), else null (shown as written). The last stage, once reached, is DONE. {@code label} is what
     * the page shows: the standard milestone in the page's language ({@link Words#milestone}), else the name as
     * written.
     */
    public record Step(String name, Milestone standard, State state, String label) {

        /** Passed already. */
        public boolean done() {
            return state == State.DONE;
        }

        /** The shipment's stage now. */
        public boolean current() {
            return state == State.CURRENT;
        }
    }

    /**
     * The page's words that depend on its language, said in Java once per page rather than by a {@code {#when}} block
     * of the template per stage and update (the page's hottest part): what the tracking page's message bundle says for
     * a milestone and an event in one of {@link io.portlink.platform.Locales#LANGUAGES}.
     */
    public interface Words {

        /** The milestone's name in {@code language} (en, de, fr, es). */
        String milestone(Milestone milestone, String language);

        /** The event's words in {@code language} (en, de, fr, es). */
        String event(Event event, String language);
    }

    /** A customer note: its date (formatted) and text. */
    public record Note(String date, String text) {
    }

    /** Whether the page shows any photo. */
    public boolean hasPhotos() {
        return heroUrl != null || !photoUrls.isEmpty();
    }
}
