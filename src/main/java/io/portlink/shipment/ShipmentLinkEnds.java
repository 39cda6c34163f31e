package io.portlink.shipment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.LinkEvents;
import io.portlink.link.SubjectEnds;
import io.portlink.timeline.Visibility;

/**
 * The shipment side of the link expiry job ({@link io.portlink.link.LinkExpiry}) for tracking and driver links: their
 * end after delivery ({@link AfterDelivery}: delivery + the organisation's days), the shipment's row locked before the
 * link, the "link expired" entry on the shipment's timeline (internal) and the rows dropped with the link.
 */
@ApplicationScoped
public class ShipmentLinkEnds implements SubjectEnds {

    private static final List<AccessLink.Scope> SCOPES = List.of(TrackingLinks.SCOPE, DriverLinks.SCOPE);

    @Inject
    Shipments shipments;

    /**
     * Unended tracking and driver links of delivered shipments, with delivery + the organisation's days after delivery
     * (30 without a settings row). The cost follows the links of delivered shipments that still have to end.
     */
    @Override
    @Transactional
    public List<Ending> candidates(long afterId, int limit) {
        int defaultDays = new ShipmentSettings().linkDaysAfterDelivery;
        return AccessLink.getEntityManager().createQuery(
                "select l.id, s.deliveredAt, ss.linkDaysAfterDelivery from AccessLink l join Shipment s on s.id = l.shipmentId"
                        + " left join ShipmentSettings ss on ss.organizationId = s.organization.id"
                        + " where l.scope in ?1 and l.expiredAt is null and l.revokedAt is null"
                        + " and s.deliveredAt is not null and l.id > ?2 order by l.id",
                Object[].class).setParameter(1, SCOPES).setParameter(2, afterId).setMaxResults(limit).getResultList()
                .stream()
                .map(r -> new Ending((Long) r[0],
                        ((Instant) r[1])
                                .plus(Duration.ofDays(r[2] == null ? defaultDays : ((Number) r[2]).intValue()))))
                .toList();
    }

    /** The expiry job is about to end a tracking or driver link: the shipment's row first, as its writers lock it. */
    void expiring(@Observes LinkEvents.Expiring event) {
        if (SCOPES.contains(event.scope())) {
            Shipment.findById(event.subject().shipmentId(), LockModeType.PESSIMISTIC_WRITE);
        }
    }

    /**
     * The expiry job ended a tracking or driver link: "Tracking link expired" or "Driver link expired" on the
     * shipment's timeline (internal, by Portlink); a driver link's used form nonces are dropped (such a link never
     * works again: it has no expiry staff could move, and its nonces are bound to it).
     */
    void expired(@Observes LinkEvents.Expired event) {
        if (!SCOPES.contains(event.scope())) {
            return;
        }
        Shipment s = Shipment.findById(event.subject().shipmentId());
        boolean driver = event.scope() == DriverLinks.SCOPE;
        shipments.record(s, ShipmentActor.system(),
                driver ? ShipmentEvent.DRIVER_LINK_EXPIRED : ShipmentEvent.TRACKING_LINK_EXPIRED, "Link expired: link #"
                        + event.linkId() + " stopped working " + s.organization.format().dateTime(event.endedAt()),
                Visibility.INTERNAL);
        if (driver) {
            DriverFormUse.delete("accessLinkId", event.linkId());
        }
    }
}
