package io.portlink.portal;

import io.portlink.shipment.Milestone;
import io.portlink.shipment.TrackingView;
import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Everything a customer reads on the tracking page ({@code /t/}), in English here and translated in
 * {@code messages/track_<language>.properties} (de, fr, es). Templates use {@code {track:key}}.
 */
@MessageBundle(value = "track", locale = "en")
public interface TrackingMessages {

    @Message("en")
    String lang();

    @Message("Shipment tracking")
    String page_title();

    @Message("Your shipment from")
    String shipment_from();

    @Message("Status")
    String status();

    @Message("Progress")
    String progress();

    @Message("done")
    String step_done();

    @Message("now")
    String step_current();

    @Message("Estimated arrival")
    String estimated_arrival();

    /** Beside an ETA that has passed while the shipment has not arrived. */
    @Message("Later than expected")
    String eta_late();

    @Message("Updates")
    String updates();

    @Message("Photos")
    String photos();

    @Message("Photo {n}")
    String photo(int n);

    @Message("Photo of the shipment")
    String hero_alt();

    @Message("Carrier")
    String carrier();

    @Message("Tracking number")
    String tracking_number();

    @Message("Sent by")
    String sender();

    @Message("Private tracking link · please do not forward it")
    String footer();

    @Message("From")
    String origin();

    @Message("To")
    String destination();

    @Message("Time window")
    String window();

    /** What follows a label before its value: ":" (French puts a no-break space before it). */
    @Message(":")
    String colon();

    @Message("times in {zone}")
    String times_in(String zone);

    /** When the goods left the pickup, in the origin's block. */
    @Message("Left")
    String departed();

    @Message("Arrived")
    String arrived();

    @Message("History")
    String history();

    @Message("Last position")
    String last_position();

    @Message("{km} km to go")
    String distance_left(String km);

    @Message("Map around the shipment's last position")
    String map_alt();

    @Message("{#when event}{#is STAGE}Status{#is ETA}New estimated arrival{#is ETA_CLEARED}Estimated arrival withdrawn"
            + "{#is PICKUP_ARRIVED}Arrived for pickup{#is PICKUP_LEFT}Picked up, on the way"
            + "{#is STOP_ARRIVED}Arrived at a stop on the way{#is STOP_LEFT}Left a stop on the way"
            + "{#is DELIVERY_ARRIVED}Arrived at the destination"
            + "{#is DELAYED}Delayed{#is DAMAGE_REPORTED}Damage reported{#is DELIVERY_REFUSED}Delivery refused"
            + "{#is PROBLEM_REPORTED}Problem reported{/when}")
    String event(TrackingView.Event event);

    @Message("{#when milestone}{#is BOOKED}Booked{#is DISPATCHED}Dispatched{#is IN_TRANSIT}In transit"
            + "{#is ARRIVED}Arrived{#is OUT_FOR_DELIVERY}Out for delivery{#is READY_FOR_COLLECTION}Ready for collection"
            + "{#is DELIVERED}Delivered{/when}")
    String milestone(Milestone milestone);

    // ---- after delivery (issue 10, section 5)

    @Message("Delivered")
    String delivered_title();

    @Message("Delivered at")
    String delivered_at();

    @Message("Received by")
    String received_by();

    @Message("Delivery photo {n}")
    String delivery_photo(int n);

    @Message("Receiver's signature")
    String signature();
}
