package io.portlink.shipment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A delivered shipment's record on its links: how long they keep working after delivery (the organisation's
 * {@link ShipmentSettings#linkDaysAfterDelivery}, 30 days without a settings row), and the proof of delivery the
 * customer's page shows when the organisation allows it ({@link ShipmentSettings#showProofOfDelivery}).
 */
final class AfterDelivery {

    private AfterDelivery() {
    }

    /** Whether a delivered shipment's links have ended: {@code deliveredAt} + the organisation's days is not ahead. */
    static boolean pastRetention(Shipment s, Clock clock) {
        if (s.deliveredAt == null) {
            return false;
        }
        int days = ShipmentSettings.of(s.organization.id).linkDaysAfterDelivery;
        return !s.deliveredAt.plus(Duration.ofDays(days)).isAfter(Instant.now(clock));
    }

    /**
     * Refuses a new {@code what} ("tracking", "driver") link of a delivered shipment whose links have ended
     * ({@link #pastRetention}): it could never open, and the one answer that shows its address would hand out a dead
     * link.
     *
     * @throws io.portlink.platform.ConflictException
     *             naming the delivery, the days and how to give the shipment links again
     */
    static void refuseEndedLinks(Shipment s, Clock clock, String what) {
        if (pastRetention(s, clock)) {
            int days = ShipmentSettings.of(s.organization.id).linkDaysAfterDelivery;
            throw new io.portlink.platform.ConflictException("the shipment " + s.reference + " was delivered "
                    + s.organization.format().dateTime(s.deliveredAt) + " and its " + what + " links end " + days
                    + " days after delivery (the organisation's retention policy), so a new link would not open;"
                    + " raise those days to give the shipment links again");
        }
    }

    /** Whether the organisation shows the proof of delivery to customers (false without a settings row: opt-in). */
    static boolean showsProof(long organizationId) {
        return ShipmentSettings.of(organizationId).showProofOfDelivery;
    }

    /**
     * The tracking page's delivery block, or null before delivery: the delivery time, and when the organisation shows
     * it the proof (receiver's name, photos and signature through the page's own URLs under {@code base}).
     */
    static TrackingView.Delivery view(Shipment s, ShipmentTimes times, String base) {
        if (s.deliveredAt == null) {
            return null;
        }
        Optional<ProofOfDelivery> pod = ProofOfDelivery.<ProofOfDelivery> find("shipment.id", s.id)
                .firstResultOptional();
        if (pod.isEmpty() || !showsProof(s.organization.id)) {
            return new TrackingView.Delivery(times.at(s.deliveredAt), null, List.of(), null);
        }
        long photos = ProofOfDeliveryImage.count("proof.id = ?1 and kind = ?2", pod.get().id,
                ProofOfDeliveryImage.Kind.PHOTO);
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= photos; i++) {
            urls.add(base + "/delivery/photos/" + i);
        }
        boolean signed = ProofOfDeliveryImage.count("proof.id = ?1 and kind = ?2", pod.get().id,
                ProofOfDeliveryImage.Kind.SIGNATURE) > 0;
        return new TrackingView.Delivery(times.at(pod.get().deliveredAt), pod.get().receiverName, urls,
                signed ? base + "/delivery/signature" : null);
    }

    /** The n-th photo (from 1) or the signature (n = 0) of a shipment's proof, when the organisation shows it. */
    static Optional<ProofOfDeliveryImage> image(Shipment s, int n) {
        if (s.deliveredAt == null || !showsProof(s.organization.id)) {
            return Optional.empty();
        }
        return ProofOfDelivery.<ProofOfDelivery> find("shipment.id", s.id).firstResultOptional()
                .flatMap(
                        pod -> n == 0
                                ? ProofOfDeliveryImage.<ProofOfDeliveryImage> find("proof.id = ?1 and kind = ?2",
                                        pod.id, ProofOfDeliveryImage.Kind.SIGNATURE).firstResultOptional()
                                : ProofOfDeliveryImage
                                        .<ProofOfDeliveryImage> find("proof.id = ?1 and kind = ?2 order by position",
                                                pod.id, ProofOfDeliveryImage.Kind.PHOTO)
                                        .page(n - 1, 1).firstResultOptional());
    }
}
