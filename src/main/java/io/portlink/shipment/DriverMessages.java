package io.portlink.shipment;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Everything a driver reads on the driver's page ({@code /d/}): the page, what a button did, what a refused form must
 * fix, and the texts {@code /js/driver.js} shows (handed to it in {@code data-} attributes). English here, translated
 * in {@code messages/driver_<language>.properties} (de, fr, es). Templates use {@code {driver:key}};
 * {@link DriverPages} takes the bundle of the driver's language ({@link DriverPages#language}).
 * <p>
 * The texts for the script carry {@code %1}, {@code %2}, {@code %3} where it puts a file's name or a size: a script
 * cannot call a message with arguments.
 */
@MessageBundle(value = "driver", locale = "en")
public interface DriverMessages {

    @Message("en")
    String lang();

    @Message("Delivery")
    String page_title();

    @Message("Delivery for")
    String delivery_for();

    @Message("Status")
    String status();

    /** What follows a label before its value: French puts a no-break space before the colon. */
    @Message(":")
    String colon();

    /** A size in megabytes (MiB), {@code n} written out in the language's way: "8 MB", "9,1 MB". */
    @Message("{n} MB")
    String megabytes(String n);

    /** A standard stage's name (the freight default's), as the tracking page says it. */
    @Message("{#when milestone}{#is BOOKED}Booked{#is DISPATCHED}Dispatched{#is IN_TRANSIT}In transit"
            + "{#is ARRIVED}Arrived{#is OUT_FOR_DELIVERY}Out for delivery{#is READY_FOR_COLLECTION}Ready for collection"
            + "{#is DELIVERED}Delivered{/when}")
    String milestone(Milestone milestone);

    @Message("Stops")
    String stops();

    @Message("{#when kind}{#is 'PICKUP'}Pickup{#is 'DELIVERY'}Delivery{#else}Stop{/when}")
    String stop_kind(String kind);

    @Message("Window")
    String window();

    @Message("Arrived {time}")
    String arrived_at(String time);

    @Message("Departed {time}")
    String departed_at(String time);

    @Message("Delivered")
    String delivered_title();

    @Message("received by")
    String received_by();

    @Message("Picked up")
    String picked_up_button();

    @Message("Arrived at {stop}")
    String arrived_button(String stop);

    /** The tick an arrival further on needs while the driver is at the pickup, not picked up. */
    @Message("I have the goods and have left the pickup")
    String left_pickup_confirm();

    @Message("Share my location")
    String share_location();

    @Message("Sharing your location needs this page open and JavaScript.")
    String location_needs_script();

    @Message("Delivered: proof of delivery")
    String proof_heading();

    @Message("Photos (1 to {n})")
    String photos_label(int n);

    @Message("JPEG or PNG, each at most {photo}, all together at most {total}.")
    String photo_limits(String photo, String total);

    @Message("Receiver's name")
    String receiver_name();

    @Message("Signature (optional): sign with a finger")
    String signature_label();

    @Message("Clear")
    String clear();

    @Message("Note (optional)")
    String note_optional();

    @Message("Delivered")
    String delivered_button();

    @Message("Report a problem")
    String problem_heading();

    @Message("What happened?")
    String what_happened();

    @Message("{#when kind}{#is 'DELAY'}Delay{#is 'DAMAGE'}Damage{#is 'REFUSED'}Refused{#else}Other{/when}")
    String problem_kind(String kind);

    @Message("Note")
    String note();

    @Message("Note (needed for \"Other\")")
    String problem_note();

    @Message("Report")
    String report();

    @Message("Private driver link · please do not forward it")
    String footer();

    @Message("This form was too old or not from this page. Nothing was saved: please try again.")
    String form_refused();

    @Message("A page cannot keep photos or a signature: choose the photos again and sign again before you send.")
    String choose_again();

    // ---- what a button did (DriverPages)

    @Message("Saved: picked up.")
    String saved_picked_up();

    @Message("Every stop is reached already.")
    String all_stops_reached();

    @Message("Saved: arrived at {stop}.")
    String saved_arrived(String stop);

    @Message("Saved: the problem is reported to the office.")
    String saved_problem();

    @Message("Saved: delivered to {name}. Thank you.")
    String saved_delivered(String name);

    @Message("Already saved.")
    String already_saved();

    /** A report sent again from the page of a report already sent (the browser's Back), with other content. */
    @Message("This form was already sent once, with another report. This one was not saved: check it and send it"
            + " again.")
    String error_form_sent_before();

    @Message("Someone changed this shipment at the same moment, so nothing was saved. Check the page and try again.")
    String changed_meanwhile();

    @Message("Delivered already: nothing more to record on this shipment.")
    String delivered_already();

    /** A proof of delivery sent after another one was recorded (a second phone, a form drawn before). */
    @Message("This delivery was already recorded (received by {name}); what you entered was not saved.")
    String delivered_already_to(String name);

    /** A stop as the buttons and messages name it: "pickup", "delivery", "stop 2" (its position). */
    @Message("{#when kind}{#is 'PICKUP'}pickup{#is 'DELIVERY'}delivery{#else}stop {position}{/when}")
    String stop_label(String kind, int position);

    // ---- what a refused form must fix (DriverPages): a field's name, then what is wrong with it

    @Message("Photos")
    String photos();

    @Message("Photo {n}")
    String photo_n(int n);

    @Message("Signature")
    String signature();

    @Message("Choose what happened: delay, damage, refused or other.")
    String error_kind();

    @Message("This stop is not one of the shipment's. Reload the page and tap again.")
    String error_stop();

    @Message("This is not the next stop: stops are reached in their order. Reload the page and tap the button it shows.")
    String error_stop_not_next();

    /** An arrive button of a page drawn before staff removed or inserted a stop. */
    @Message("The stops were changed since this page was shown: nothing was saved. The page now shows them as they are; tap the button again if it is right.")
    String error_stops_changed();

    /** An arrival further on, while at the pickup not picked up, without the tick ({@link #left_pickup_confirm}). */
    @Message("You are still at the pickup: nothing was saved. Tap “Picked up” when you leave with the goods; to report “Arrived at {stop}” now, tick “I have the goods and have left the pickup” first.")
    String error_still_at_pickup(String stop);

    @Message("is required")
    String error_required();

    @Message("must be at most {max} characters, got {length}")
    String error_too_long(String max, String length);

    @Message("must not contain control characters or characters that reverse the text")
    String error_characters();

    @Message("must be on one line")
    String error_one_line();

    @Message("take or choose at least one photo of the delivered goods")
    String error_no_photo();

    @Message("at most {max} photos, got {count}")
    String error_too_many_photos(int max, int count);

    @Message("the photos are {total} together; all photos may be at most {max} together: send fewer or smaller ones")
    String error_photos_total(String total, String max);

    @Message("is {size}; a photo may be at most {max}")
    String error_photo_too_large(String size, String max);

    @Message("must be a JPEG or PNG image (SVG and other formats are not accepted); this file is none of these")
    String error_photo_format();

    @Message("is damaged or cut short")
    String error_photo_damaged();

    @Message("is {width} × {height} pixels; each side must be 1 to {max} pixels")
    String error_photo_pixels(String width, String height, String max);

    @Message("the drawn signature could not be read; clear it and sign again")
    String error_signature();

    // ---- a form refused before it was read (DriverPortal's mappers, DriverBodyLimit)

    @Message("The form was too large")
    String too_large_title();

    @Message("A part of it (a photo, the drawn signature or a text) was over its limit, so nothing was saved.")
    String too_large_detail();

    @Message("The photos were too large")
    String body_too_large_title();

    @Message("The form was {size}; it may be at most {max}, so nothing was saved.")
    String body_too_large_detail(String size, String max);

    @Message("The form could not be read")
    String unreadable_title();

    @Message("It arrived incomplete or not as a form, so nothing was saved.")
    String unreadable_detail();

    @Message("Proof of delivery takes 1 to {photos} photos, each at most {photo} and {total} together, and a signature"
            + " from the page's pad.")
    String limits(int photos, String photo, String total);

    @Message("Your photos are still on your phone. Open the page again, choose fewer or smaller photos (a phone's camera"
            + " setting for a smaller picture size helps), fill in the receiver's name and send again.")
    String photos_still_on_phone();

    @Message("Back to the delivery page")
    String back();

    // ---- for /js/driver.js (no arguments: %1, %2, %3 are put in by the script)

    @Message("Stop sharing")
    String js_stop_sharing();

    @Message("%1 MB")
    String js_megabytes();

    @Message("Sharing your location every minute while this page is open.")
    String js_sharing();

    @Message("Location sharing stopped.")
    String js_stopped();

    @Message("Location shared at %1.")
    String js_shared();

    @Message("Location not accepted (%1). Reload the page.")
    String js_not_accepted();

    @Message("The location was not accepted: the phone's time is off. Set its date and time to be set automatically.")
    String js_clock();

    @Message("This link no longer works, so the location is not shared any more.")
    String js_ended();

    @Message("No connection: the next position is tried in a minute.")
    String js_no_connection();

    @Message("Your location could not be found. Switch on the phone's location, or try again outdoors.")
    String js_unavailable();

    @Message("This page may not use your location. Allow it in the browser's settings for this site, then tap again.")
    String js_denied();

    @Message("Finding your location took too long: the next try is in a minute.")
    String js_timeout();

    @Message("Photo \"%1\" is %2; each photo may be at most %3.")
    String js_photo_too_large();

    @Message("%1 photos chosen; at most %2.")
    String js_too_many_photos();

    @Message("The photos are %1 together; at most %2. Choose fewer or smaller photos.")
    String js_photos_too_large();

    @Message("The signature is too detailed to send: clear it and sign again.")
    String js_signature_too_large();
}
