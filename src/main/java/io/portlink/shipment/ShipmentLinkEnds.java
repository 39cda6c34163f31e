package io.portlink.shipment;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.LinkEvents;
import io.portlink.link.SubjectEnds;
import io.portlink.platform.SqlTimestamps;
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
     * The live tracking and driver links of delivered shipments after an id, in id order, with the delivery time and
     * the organisation's days (null without a settings row). The scopes are literals so that PostgreSQL's partial index
     * of live shipment links ({@code access_link_live_shipment_ix}, V42) serves it. Parameter: the id to go on after.
     */
    public static final String CANDIDATES_SQL = "select l.id, s.delivered_at, ss.link_days_after_delivery from access_link l"
            + " join shipment s on s.id = l.shipment_id"
            + " left join shipment_settings ss on ss.organization_id = s.organization_id"
            + " where l.expired_at is null and l.revoked_at is null and l.scope in ('CUSTOMER_SHIPMENT', 'DRIVER')"
            + " and s.delivered_at is not null and l.id > ?1 order by l.id";

    /**
     * Unended tracking and driver links of delivered shipments, with delivery + the organisation's days after delivery
     * (30 without a settings row). The cost follows the shipments' live links, not every link ever issued.
     */
    @Override
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Ending> candidates(long afterId, int limit) {
        int defaultDays = new ShipmentSettings().linkDaysAfterDelivery;
        return ((List<Object[]>) AccessLink.getEntityManager().createNativeQuery(CANDIDATES_SQL)
                .setParameter(1, afterId).setMaxResults(limit).getResultList())
                        .stream()
                        .map(r -> new Ending(((Number) r[0]).longValue(),
                                SqlTimestamps.instant(r[1]).plus(
                                        Duration.ofDays(r[2] == null ? defaultDays : ((Number) r[2]).intValue()))))
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
