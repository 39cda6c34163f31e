package io.portlink.shipment;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.link.Target;
import io.portlink.platform.ConflictException;
import io.portlink.timeline.Visibility;

/**
 * The driver's link of a shipment (access links of scope DRIVER, {@code pd_}, {@code /d/}): none until staff or the API
 * create one; at most one active per shipment (checked under the shipment's row lock, so concurrent creates take turns,
 * and backed by a partial unique index, migration V34: a twin is a conflict, never an error); revoke and regenerate;
 * deleting the shipment revokes them. The link has no expiry of its own: it ends when the organisation's retention
 * after delivery ends ({@link DriverPages}). Every method takes the organisation id and finds nothing of another
 * organisation or a deleted shipment. Every change is written to the shipment's timeline (internal).
 */
@ApplicationScoped
public class DriverLinks {

    static final AccessLink.Scope SCOPE = AccessLink.Scope.DRIVER;

    @Inject
    Links links;

    @Inject
    java.time.Clock clock;

    @Inject
    Shipments shipments;

    /** The active driver link as staff see it (never its token; instants UTC). */
    public record ActiveLink(long id, String tokenHint, Instant createdAt, String createdBy, Instant firstOpenedAt,
            Instant lastOpenedAt, int openCount, Instant lastActionAt) {
    }

    /**
     * Creates the shipment's driver link; the token is in the result only. Empty for no such shipment.
     *
     * @throws ConflictException
     *             when the shipment has an active driver link
     */
    @Transactional
    public Optional<Links.Issued> create(long organizationId, long shipmentId, ShipmentActor actor) {
        return create(organizationId, shipmentId, actor, false).map(Created::issued);
    }

    /** A link the button made; {@code replacedTwin}: it replaced the one the same person made a moment before. */
    public record Created(Links.Issued issued, boolean replacedTwin) {
    }

    /** How long after a create the same person's second create replaces the first link ({@link #createFromForm}). */
    static final java.time.Duration SECOND_CLICK = java.time.Duration.ofSeconds(60);

    /**
     * Staff's "Create driver link" button: {@link #create}, except when the active link is one this same person created
     * less than {@link #SECOND_CLICK} ago and nobody has opened. That is a double click (or a second tab): the browser
     * shows only the second answer, so the first link's address was never seen, and refusing the second click would
     * leave the person with no address at all. The first link stops and a new one is issued (recorded as a
     * regeneration, and {@link Created#replacedTwin} so that the page says so: a reload of the answer within the minute
     * looks the same, and its first address then stops too).
     *
     * @throws ConflictException
     *             when the shipment has an active driver link that is not such a twin
     */
    @Transactional
    public Optional<Created> createFromForm(long organizationId, long shipmentId, ShipmentActor actor) {
        return create(organizationId, shipmentId, actor, true);
    }

    private Optional<Created> create(long organizationId, long shipmentId, ShipmentActor actor,
            boolean replaceUnseenTwin) {
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            // before the active link's conflict: a link past the days after delivery no longer opens either
            AfterDelivery.refuseEndedLinks(s, clock, "driver");
            var active = links.active(SCOPE, Target.shipment(s.id));
            if (active.isPresent()) {
                AccessLink l = active.get();
                if (!replaceUnseenTwin || !unseenTwin(l, actor)) {
                    throw new ConflictException("the shipment " + s.reference + " has an active driver link ("
                            + l.tokenHint + "); revoke or regenerate it");
                }
                links.revoke(l);
                AccessLink.getEntityManager().flush(); // out of the unique index before the new link's insert
                Links.Issued issued = issue(s, actor);
                shipments.record(s, actor, ShipmentEvent.DRIVER_LINK_REGENERATED,
                        "link #" + l.id + " → link #" + issued.linkId() + " (a second click of Create)",
                        Visibility.INTERNAL);
                return new Created(issued, true);
            }
            Links.Issued issued = issue(s, actor);
            shipments.record(s, actor, ShipmentEvent.DRIVER_LINK_CREATED, "link #" + issued.linkId(),
                    Visibility.INTERNAL);
            return new Created(issued, false);
        });
    }

    private boolean unseenTwin(AccessLink l, ShipmentActor actor) {
        Links.Opens opens = links.opens(l);
        return actor.label().equals(l.createdBy) && opens.people() == 0 && opens.bots() == 0 && l.lastActionAt == null
                && l.createdAt.isAfter(Instant.now(clock).minus(SECOND_CLICK));
    }

    /** Stops the active driver link at once. True when one was stopped; false for no such shipment or no link. */
    @Transactional
    public boolean revoke(long organizationId, long shipmentId, ShipmentActor actor) {
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            boolean any = false;
            for (AccessLink l : unrevoked(s.id)) {
                links.revoke(l);
                shipments.record(s, actor, ShipmentEvent.DRIVER_LINK_REVOKED, "link #" + l.id, Visibility.INTERNAL);
                any = true;
            }
            return any;
        }).orElse(false);
    }

    /**
     * Stops every driver link of the shipment and issues a new one (also when there was none: a lost phone needs a new
     * link either way). The token is in the result only. Empty for no such shipment.
     */
    @Transactional
    public Optional<Links.Issued> regenerate(long organizationId, long shipmentId, ShipmentActor actor) {
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            String old = "";
            for (AccessLink l : unrevoked(s.id)) {
                links.revoke(l);
                old = "link #" + l.id + " → ";
            }
            // the revokes reach the unique index before the new link's insert
            AccessLink.getEntityManager().flush();
            Links.Issued issued = issue(s, actor);
            shipments.record(s, actor, ShipmentEvent.DRIVER_LINK_REGENERATED, old + "link #" + issued.linkId(),
                    Visibility.INTERNAL);
            return issued;
        });
    }

    /**
     * The shipment's latest driver link when it ended by expiry (not revoked): its hint, when it stopped (UTC) and
     * "Expired today" (the organisation's day) or "Expired" and its date. Empty while a driver link is active, after a
     * revoke, or for no such shipment.
     */
    public record Expired(String tokenHint, Instant at, String label) {
    }

    /** {@link Expired} of a live shipment's latest driver link, or empty. */
    @Transactional
    public Optional<Expired> expired(long organizationId, long shipmentId) {
        return Shipments.live(organizationId, shipmentId).flatMap(s -> {
            if (links.active(SCOPE, Target.shipment(s.id)).isPresent()) {
                return Optional.empty();
            }
            return AccessLink.<AccessLink> find("scope = ?1 and shipmentId = ?2 order by id desc", SCOPE, s.id)
                    .firstResultOptional().filter(l -> l.revokedAt == null && l.expiresAt != null)
                    .map(l -> new Expired(l.tokenHint, l.expiresAt,
                            s.organization.format().expired(l.expiresAt, s.organization.format().today(clock))));
        });
    }

    /** The active driver link of a live shipment, or empty. */
    @Transactional
    public Optional<ActiveLink> active(long organizationId, long shipmentId) {
        return Shipments.live(organizationId, shipmentId).flatMap(s -> links.active(SCOPE, Target.shipment(s.id)))
                .map(l -> {
                    Links.Opens opens = links.opens(l); // with this replica's counts not written yet
                    return new ActiveLink(l.id, l.tokenHint, l.createdAt, l.createdBy, opens.firstOpenedAt(),
                            opens.lastOpenedAt(), opens.people(), l.lastActionAt);
                });
    }

    /**
     * Issues the link and flushes it inside, so that the unique index (at most one active driver link per shipment,
     * {@code access_link_one_active_driver_uk}) refuses a twin a concurrent writer committed as a conflict here, not as
     * a failed commit.
     */
    private Links.Issued issue(Shipment s, ShipmentActor actor) {
        AfterDelivery.refuseEndedLinks(s, clock, "driver");
        try {
            Links.Issued issued = links.issue(SCOPE, s.organization.id, Target.shipment(s.id), null, null,
                    actor.label(), null);
            AccessLink.getEntityManager().flush();
            return issued;
        } catch (PersistenceException e) {
            if (Links.isOneActiveViolation(e)) {
                throw new ConflictException(
                        "the shipment " + s.reference + " has an active driver link already; revoke or regenerate it");
            }
            throw e;
        }
    }

    /** Revokes every driver link of a shipment being deleted (the caller holds its lock). */
    void revokeAll(Shipment s) {
        unrevoked(s.id).forEach(links::revoke);
    }

    private static java.util.List<AccessLink> unrevoked(long shipmentId) {
        return AccessLink.list("scope = ?1 and shipmentId = ?2 and revokedAt is null order by id", SCOPE, shipmentId);
    }
}
