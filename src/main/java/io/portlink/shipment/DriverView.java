package io.portlink.shipment;

import java.util.List;

/**
 * Everything the driver's page ({@code /d/{token}}) shows, and nothing else: the shipment's title, its stops (address,
 * window in the stop's own zone, arrival and departure), its stage, what the driver may do next, and each form's nonce.
 * Times are formatted text (the organisation's country; a stop's in its zone, named). No customer contact, note or
 * internal field enters it.
 *
 * @param organization
 *            the organisation's name
 * @param title
 *            the shipment's title
 * @param stage
 *            the current stage's name
 * @param stops
 *            the stops in order
 * @param canPickUp
 *            "picked up" is offered (the pickup stop has not departed and nothing is delivered)
 * @param atPickup
 *            the driver arrived at the pickup and has not picked up: "arrived" further on asks them to tick that they
 *            left it with the goods ({@link DriverPages#arrived})
 * @param nextStop
 *            the name of the stop "arrived" would mark, or null when every stop is reached
 * @param nextStopPosition
 *            that stop's position (the arrive form names it, so a second tab or tap marks no further stop), or null
 * @param nextStopId
 *            that stop's id (the arrive form names it too, so a page drawn before staff changed the stops records
 *            nothing at whatever stop now has that position), or null
 * @param delivered
 *            the proof of delivery is saved (or the shipment is delivered)
 * @param deliveredAt
 *            when it was delivered (formatted), or null
 * @param receiverName
 *            who received it, or null
 * @param nonces
 *            the forms' nonces
 * @param base
 *            the page's own path ({@code /d/<token>}), the forms' prefix
 * @param language
 *            the driver's language, of {@code platform.Locales.LANGUAGES}: the page's texts and dates are in it
 */
public record DriverView(String organization, String title, String stage, List<Stop> stops, boolean canPickUp,
        boolean atPickup, String nextStop, Integer nextStopPosition, Long nextStopId, boolean delivered,
        String deliveredAt, String receiverName, Nonces nonces, String base, String language) {

    /** One stop: kind (PICKUP, STOP, DELIVERY), name, address, window and times as text (null when not set). */
    public record Stop(String kind, String name, String address, String window, String arrived, String departed) {
    }

    /** One nonce per form of this render, and the page's nonce for positions. */
    public record Nonces(String pickup, String arrive, String deliver, String problem, String positions) {
    }
}
