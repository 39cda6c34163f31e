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
 * @param delivery
 *            after delivery: its time and the proof of delivery; null before
 */
public record TrackingView(String organization, String logoUrl, String title, Step stage, List<Step> steps,
        String estimatedArrival, List<Note> notes, String heroUrl, List<String> photoUrls, String language,
        Delivery delivery) {

    // ---- after delivery (issue 10, section 5)

    /**
     * The completed record: when it was delivered (formatted, the organisation's zone), and when the organisation shows
     * the proof of delivery, the receiver's name, its photos and signature through the page's token (else null and
     * empty).
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
