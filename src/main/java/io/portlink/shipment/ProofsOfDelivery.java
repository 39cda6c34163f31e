package io.portlink.shipment;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Proofs of delivery for staff (written by the driver link, {@link DriverPages#delivered}): the shipment's proof and
 * its images, and the organisation's setting whether the customer's tracking page shows it. Every method takes the
 * organisation id and finds nothing of another organisation or a deleted shipment.
 */
@ApplicationScoped
public class ProofsOfDelivery {

    @Inject
    Pipelines pipelines;

    /**
     * A proof as staff see it: receiver's name, the driver's note, when (UTC, the server's clock), how many photos, and
     * whether it is signed; when its images were deleted under the retention policy or on an erasure request (null:
     * kept) and, for the policy, after how many days (null otherwise).
     */
    public record ProofView(String receiverName, String note, Instant deliveredAt, int photos, boolean signed,
            Instant imagesRemovedAt, Integer imagesRemovedAfterDays) {
    }

    /** An image's bytes as served. */
    public record Image(String contentType, byte[] bytes) {
    }

    /** The shipment's proof of delivery, or empty (none yet, or no such shipment). */
    @Transactional
    public Optional<ProofView> proof(long organizationId, long shipmentId) {
        ProofOfDelivery p = find(organizationId, shipmentId);
        if (p == null) {
            return Optional.empty();
        }
        long photos = ProofOfDeliveryImage.count("proof.id = ?1 and kind = ?2", p.id, ProofOfDeliveryImage.Kind.PHOTO);
        long signed = ProofOfDeliveryImage.count("proof.id = ?1 and kind = ?2", p.id,
                ProofOfDeliveryImage.Kind.SIGNATURE);
        return Optional.of(new ProofView(p.receiverName, p.note, p.deliveredAt, (int) photos, signed > 0,
                p.imagesRemovedAt, p.imagesRemovedAfterDays));
    }

    /** The n-th photo (from 1) or, with n = 0, the signature of the shipment's proof; empty when there is none. */
    @Transactional
    public Optional<Image> image(long organizationId, long shipmentId, int n) {
        ProofOfDelivery p = n < 0 ? null : find(organizationId, shipmentId);
        if (p == null) {
            return Optional.empty();
        }
        ProofOfDeliveryImage i = n == 0
                ? ProofOfDeliveryImage.<ProofOfDeliveryImage> find("proof.id = ?1 and kind = ?2", p.id,
                        ProofOfDeliveryImage.Kind.SIGNATURE).firstResult()
                : ProofOfDeliveryImage.<ProofOfDeliveryImage> find("proof.id = ?1 and kind = ?2 order by position",
                        p.id, ProofOfDeliveryImage.Kind.PHOTO).page(n - 1, 1).firstResult();
        return i == null ? Optional.empty() : Optional.of(new Image(i.contentType, i.content));
    }

    private static ProofOfDelivery find(long organizationId, long shipmentId) {
        Shipment s = Shipments.live(organizationId, shipmentId).orElse(null);
        return s == null ? null : ProofOfDelivery.<ProofOfDelivery> find("shipment.id", s.id).firstResult();
    }

    /** Whether the organisation's tracking pages show the proof of delivery (off until staff turn it on). */
    @Transactional
    public boolean shownToCustomers(long organizationId) {
        pipelines.ensureDefault(organizationId);
        ShipmentSettings settings = ShipmentSettings.findById(organizationId);
        return settings.showProofOfDelivery;
    }

    /** Turns "show the proof of delivery on the tracking page" on or off; takes effect on the next page load. */
    @Transactional
    public void setShownToCustomers(long organizationId, boolean on) {
        pipelines.ensureDefault(organizationId);
        ShipmentSettings settings = ShipmentSettings.findById(organizationId);
        settings.showProofOfDelivery = on;
    }
}
