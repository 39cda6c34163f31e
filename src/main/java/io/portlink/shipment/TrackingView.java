package io.portlink.shipment;

import java.util.List;

/**
 * Everything the customer's tracking page shows, and nothing else: an allow-list. It is built from the shipment's
 * customer-facing fields only ({@link TrackingPages}); no internal field, internal note, customer contact or other
 * shipment ever enters it. Texts are ready to print (dates formatted by the organisation's country in the customer's
 * language); the URLs are the page's own, under its token.
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
 *            the formatted date, or null when off or not set
 * @param notes
 *            the customer notes, newest first (at most {@link TrackingPages#NOTES_SHOWN}); empty when off
 * @param heroUrl
 *            the hero photo through the token, or null when off or none
 * @param photoUrls
 *            the picked gallery photos through the token, in the picked order
 * @param language
 *            the page's language (en, de, fr, es)
 * @param carriage
 *            carrier, tracking number and sender, or null when there is none of them to show
 */
public record TrackingView(String organization, String logoUrl, String title, Step stage, List<Step> steps,
        String estimatedArrival, List<Note> notes, String heroUrl, List<String> photoUrls, String language,
        Carriage carriage) {

    /**
     * Who carries the goods: the carrier's name and tracking number (either may be null), and the sender's name only
     * when the organisation shows it ({@link ShipmentSettings#showVendorName}), else null.
     */
    public record Carriage(String carrier, String trackingNumber, String sender) {

        static Carriage of(Shipment s, ShipmentSettings settings) {
            String sender = settings != null && settings.showVendorName ? s.senderName : null;
            return s.carrier == null && s.trackingNumber == null && sender == null ? null
                    : new Carriage(s.carrier, s.trackingNumber, sender);
        }
    }

    /** Where a step of the tracker stands against the shipment's stage. */
    public enum State {
        DONE, CURRENT, AHEAD
    }

    /**
     * One stage of the tracker: its name as the organisation wrote it, and its standard milestone when every stage of
     * the pipeline is named by its milestone's own English label (the freight default: then the page says them in the
     * customer's language), else null (shown as written). The last stage, once reached, is DONE.
     */
    public record Step(String name, Milestone standard, State state) {

        /** Passed already. */
        public boolean done() {
            return state == State.DONE;
        }

        /** The shipment's stage now. */
        public boolean current() {
            return state == State.CURRENT;
        }
    }

    /** A customer note: its date (formatted) and text. */
    public record Note(String date, String text) {
    }

    /** Whether the page shows any photo. */
    public boolean hasPhotos() {
        return heroUrl != null || !photoUrls.isEmpty();
    }
}
