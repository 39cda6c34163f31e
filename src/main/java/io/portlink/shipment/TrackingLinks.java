package io.portlink.shipment;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.LinkEvents;
import io.portlink.link.Links;
import io.portlink.link.Target;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.ConflictException;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.portlink.timeline.TimelineEntry;
import io.portlink.timeline.Visibility;

/**
 * The customer's tracking link of a shipment (access links of scope CUSTOMER_SHIPMENT, {@code pt_}, {@code /t/}): no
 * URL exists until staff create one (or the organisation's setting creates one with every new shipment); at most one is
 * active per shipment, also under concurrent creates; revoke, regenerate (same options, picks and expiry), expiry in
 * the organisation's zone, and the options and picked gallery photos saved on the link, so the same URL shows what they
 * allow. Every method takes the organisation id and finds nothing of another organisation or of a deleted shipment
 * (empty or false, as for an unknown id). Every change is written to the shipment's timeline (internal). Methods join
 * the caller's transaction.
 */
@ApplicationScoped
public class TrackingLinks {

    static final AccessLink.Scope SCOPE = AccessLink.Scope.CUSTOMER_SHIPMENT;

    /** Most gallery photos one link may show. */
    public static final int MAX_PICKED = 50;

    @Inject
    Clock clock;

    @Inject
    Links links;

    @Inject
    Shipments shipments;

    @Inject
    Pipelines pipelines;

    @Inject
    ShipmentPhotos photos;

    /**
     * What a link's page shows besides the organisation and the title: the hero photo, the estimated arrival, the
     * progress tracker (stages), the customer notes. Picked gallery photos are listed apart.
     */
    public record Options(boolean heroPhoto, boolean estimatedArrival, boolean progress, boolean customerNotes) {

        /** A new link's options: all shown (and no gallery photo picked). */
        public static final Options DEFAULTS = new Options(true, true, true, true);
    }

    /**
     * The active link as staff see it: never its token (shown once at creation), only the hint. Opens by people (first,
     * last, count) and by machines (count, last) as for vendor links. Instants in UTC.
     */
    public record ActiveLink(long id, String tokenHint, Instant createdAt, String createdBy, Instant expiresAt,
            Instant firstOpenedAt, Instant lastOpenedAt, int openCount, int botOpenCount, Instant lastBotOpenAt) {
    }

    /**
     * The tracking-link sheet of a shipment page: the active link (null when there is none), its options (the defaults
     * when there is no link), its picked photo ids in order, the shipment's gallery in order, and whether the
     * organisation creates a link with every new shipment.
     */
    public record Sheet(ActiveLink link, Options options, List<Long> pickedPhotoIds,
            List<ShipmentPhotos.PhotoView> gallery, boolean linkForEveryNewShipment, Ended ended) {
    }

    /**
     * The shipment's last link when none is active (null otherwise, and for a shipment that never had one): its hint
     * and when it stopped (UTC), revoked or expired; for an expired one, "Expired today" (the organisation's day) or
     * "Expired" and its date. A new link starts with its options and picked photos.
     */
    public record Ended(String tokenHint, Instant at, boolean revoked, String expired) {
    }

    /**
     * Creates the shipment's tracking link, with its last link's options and picked photos (else the defaults: all
     * shown, no photo picked); {@code expiresAt} null for none. The token is in the result only. Empty for no such
     * shipment.
     *
     * @throws ConflictException
     *             when the shipment has an active link (also when a concurrent create won)
     * @throws ValidationException
     *             when {@code expiresAt} is not in the future
     */
    @Transactional
    public Optional<Links.Issued> create(long organizationId, long shipmentId, Instant expiresAt, ShipmentActor actor) {
        checkFuture(expiresAt);
        // the shipment's row lock makes concurrent creates take turns: the second one finds the first's link
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            AfterDelivery.refuseEndedLinks(s, clock, "tracking");
            return issue(s, expiresAt, actor);
        });
    }

    /** A link the button made; {@code replacedTwin}: it replaced the one its first click made a moment before. */
    public record Created(Links.Issued issued, boolean replacedTwin) {
    }

    /** How long after a create the same person's second click of the button replaces the first link. */
    static final java.time.Duration SECOND_CLICK = java.time.Duration.ofSeconds(60);

    /** Ends the timeline's words for a link the "Create tracking link" button made ({@link #createFromForm}). */
    static final String FROM_THE_BUTTON = " (Create tracking link)";

    /**
     * Staff's "Create tracking link" button: {@link #create}, except for a second click. When the active link is one
     * this same person made with this button less than {@link #SECOND_CLICK} ago, that nobody has opened and that no
     * mail has carried (no mail of the shipment was queued since), the browser showed only the second answer: the first
     * link's address was never seen anywhere, so it stops and a new one is issued with its options and the expiry asked
     * for (recorded as a regeneration). A link made with the shipment, or by a milestone mail, is never replaced this
     * way: its address was shown or sent.
     *
     * @throws ConflictException
     *             when the shipment has an active link that is not such a twin
     * @throws ValidationException
     *             when {@code expiresAt} is not in the future
     */
    @Transactional
    public Optional<Created> createFromForm(long organizationId, long shipmentId, Instant expiresAt,
            ShipmentActor actor) {
        checkFuture(expiresAt);
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            AfterDelivery.refuseEndedLinks(s, clock, "tracking");
            Optional<AccessLink> active = links.active(SCOPE, Target.shipment(s.id));
            if (active.isEmpty() || !unseenTwin(s, active.get(), actor)) {
                return new Created(issue(s, expiresAt, actor, FROM_THE_BUTTON), false);
            }
            return new Created(replace(s, active.get(), expiresAt, actor, " (a second click of Create tracking link)"),
                    true);
        });
    }

    private boolean unseenTwin(Shipment s, AccessLink l, ShipmentActor actor) {
        Instant now = Instant.now(clock);
        if (!actor.label().equals(l.createdBy) || l.lastActionAt != null
                || !l.createdAt.isAfter(now.minus(SECOND_CLICK))) {
            return false;
        }
        Links.Opens opens = links.opens(l);
        if (opens.people() > 0 || opens.bots() > 0) {
            return false;
        }
        // made by the button (not with the shipment, not for a milestone mail), and in no mail since
        boolean byTheButton = TimelineEntry.count("shipmentId = ?1 and kind = ?2 and detail = ?3", s.id,
                ShipmentEvent.TRACKING_LINK_CREATED.name(), "link #" + l.id + FROM_THE_BUTTON) > 0;
        return byTheButton && OutboxMessage.count("shipmentId = ?1 and createdAt >= ?2", s.id, l.createdAt) == 0;
    }

    /**
     * Issues a link for a locked live shipment (also from {@link Shipments} at create): with the options and picked
     * photos of the shipment's last link, revoked or expired, else the defaults; what the page shows is the shipment's
     * choice, not the old URL's.
     */
    Links.Issued issue(Shipment s, Instant expiresAt, ShipmentActor actor) {
        return issue(s, expiresAt, actor, "");
    }

    private Links.Issued issue(Shipment s, Instant expiresAt, ShipmentActor actor, String how) {
        Optional<AccessLink> last = latest(s.id);
        Links.Issued issued = issued(() -> links.issue(SCOPE, s.organization.id, Target.shipment(s.id), s.customerName,
                s.customerEmail, actor.label(), expiresAt));
        saveOptions(issued.linkId(), last.map(l -> options(l.id)).orElse(Options.DEFAULTS));
        last.ifPresent(l -> savePicks(issued.linkId(), picked(l.id)));
        shipments.record(s, actor, ShipmentEvent.TRACKING_LINK_CREATED,
                "link #" + issued.linkId() + how + expiryText(s, expiresAt), Visibility.INTERNAL);
        return issued;
    }

    /**
     * Stops the shipment's active link at once; issues nothing. True when one was stopped, false for no such shipment
     * or no active link.
     */
    @Transactional
    public boolean revoke(long organizationId, long shipmentId, ShipmentActor actor) {
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            Optional<AccessLink> link = links.active(SCOPE, Target.shipment(s.id));
            link.ifPresent(l -> {
                links.revoke(l);
                shipments.record(s, actor, ShipmentEvent.TRACKING_LINK_REVOKED, "link #" + l.id, Visibility.INTERNAL);
            });
            return link.isPresent();
        }).orElse(false);
    }

    /** Revokes every unrevoked link of a shipment being deleted (the caller holds its lock): for good. */
    void revokeAll(Shipment s) {
        for (AccessLink l : AccessLink.<AccessLink> list("scope = ?1 and shipmentId = ?2 and revokedAt is null", SCOPE,
                s.id)) {
            links.revoke(l);
        }
    }

    /**
     * Stops the shipment's latest link (active or expired) and issues a new one with the same options, picked photos
     * and expiry (an expiry already passed is dropped: the new link works). The new token is in the result only. Empty
     * for no such shipment.
     *
     * @throws ConflictException
     *             when the shipment has no link to regenerate (never created, or revoked: create one)
     */
    @Transactional
    public Optional<Links.Issued> regenerate(long organizationId, long shipmentId, ShipmentActor actor) {
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            AccessLink old = AccessLink
                    .<AccessLink> find("scope = ?1 and shipmentId = ?2 and revokedAt is null order by id desc", SCOPE,
                            s.id)
                    .firstResultOptional().orElseThrow(() -> new ConflictException(
                            "the shipment " + s.reference + " has no tracking link to regenerate; create one"));
            AfterDelivery.refuseEndedLinks(s, clock, "tracking");
            Instant now = Instant.now(clock);
            Instant expiry = old.expiresAt != null && old.expiresAt.isAfter(now) ? old.expiresAt : null;
            return replace(s, old, expiry, actor, "");
        });
    }

    /**
     * Stops {@code old} and issues its successor for the locked shipment, with its options and picked photos and the
     * given expiry; the timeline records a regeneration, {@code why} added to its words.
     */
    private Links.Issued replace(Shipment s, AccessLink old, Instant expiry, ShipmentActor actor, String why) {
        Options options = options(old.id);
        List<Long> picks = picked(old.id);
        Links.Issued issued = issued(() -> links.regenerate(old, actor.label(), expiry));
        saveOptions(issued.linkId(), options);
        savePicks(issued.linkId(), picks);
        shipments.record(s, actor, ShipmentEvent.TRACKING_LINK_REGENERATED,
                "link #" + old.id + " → link #" + issued.linkId() + why, Visibility.INTERNAL);
        return issued;
    }

    /**
     * Sets the active link's expiry to a date and time in the organisation's time zone, or (null) none. False for no
     * such shipment or no active link.
     *
     * @throws ValidationException
     *             when the time is not in the future
     */
    @Transactional
    public boolean setExpiry(long organizationId, long shipmentId, LocalDateTime expiresAt, ShipmentActor actor) {
        return Shipments.locked(organizationId, shipmentId).flatMap(s -> {
            Instant at = expiresAt == null ? null : expiresAt.atZone(s.organization.format().zone()).toInstant();
            checkFuture(at);
            return links.active(SCOPE, Target.shipment(s.id)).map(l -> {
                l.expiresAt = at;
                shipments.record(s, actor, ShipmentEvent.TRACKING_LINK_EXPIRY,
                        "link #" + l.id + (at == null ? ": no expiry" : expiryText(s, at)), Visibility.INTERNAL);
                return true;
            });
        }).orElse(false);
    }

    /**
     * Saves what the active link's page shows: the options, and the gallery photos it shows in this order (null or
     * empty: none). Takes effect on the next request to the same URL. False for no such shipment or no active link.
     *
     * @throws ValidationException
     *             naming every picked id that is no photo of this shipment, a repeated one, or too many picks
     */
    @Transactional
    public boolean setOptions(long organizationId, long shipmentId, Options options, List<Long> pickedPhotoIds,
            ShipmentActor actor) {
        if (options == null) {
            throw ValidationException.of("options", "are required", null);
        }
        List<Long> picks = pickedPhotoIds == null ? List.of() : pickedPhotoIds;
        return Shipments.locked(organizationId, shipmentId).flatMap(s -> {
            checkPicks(s, picks);
            return links.active(SCOPE, Target.shipment(s.id)).map(l -> {
                saveOptions(l.id, options);
                savePicks(l.id, picks);
                shipments.record(s, actor, ShipmentEvent.TRACKING_LINK_OPTIONS,
                        "link #" + l.id + ": " + describe(options, picks.size()), Visibility.INTERNAL);
                return true;
            });
        }).orElse(false);
    }

    /** Whether the live shipment {@code shipmentId} of the organisation has an active tracking link. */
    @Transactional
    public boolean hasActiveLink(long organizationId, long shipmentId) {
        return Shipments.live(organizationId, shipmentId).map(s -> links.active(SCOPE, Target.shipment(s.id)))
                .flatMap(l -> l).isPresent();
    }

    /** The tracking-link sheet of a live shipment, or empty. */
    @Transactional
    public Optional<Sheet> sheet(long organizationId, long shipmentId) {
        return Shipments.live(organizationId, shipmentId).map(s -> {
            boolean forEvery = ShipmentSettings.of(organizationId).trackingLinkForNew;
            List<ShipmentPhotos.PhotoView> gallery = photos.list(s);
            Optional<AccessLink> active = links.active(SCOPE, Target.shipment(s.id));
            if (active.isEmpty()) {
                Optional<AccessLink> last = latest(s.id);
                var format = s.organization.format();
                Ended ended = last
                        .map(l -> l.revokedAt != null ? new Ended(l.tokenHint, l.revokedAt, true, null)
                                : new Ended(l.tokenHint, l.expiresAt, false,
                                        l.expiresAt == null ? null : format.expired(l.expiresAt, format.today(clock))))
                        .orElse(null);
                return new Sheet(null, last.map(l -> options(l.id)).orElse(Options.DEFAULTS),
                        last.map(l -> picked(l.id)).orElse(List.of()), gallery, forEvery, ended);
            }
            AccessLink l = active.get();
            Links.Opens opens = links.opens(l); // with this replica's counts not written yet
            return new Sheet(
                    new ActiveLink(l.id, l.tokenHint, l.createdAt, l.createdBy, l.expiresAt, opens.firstOpenedAt(),
                            opens.lastOpenedAt(), opens.people(), opens.bots(), opens.lastBotOpenAt()),
                    options(l.id), picked(l.id), gallery, forEvery, null);
        });
    }

    /** Whether the organisation creates a tracking link with every new shipment. */
    @Transactional
    public boolean linkForEveryNewShipment(long organizationId) {
        pipelines.ensureDefault(organizationId);
        ShipmentSettings settings = ShipmentSettings.findById(organizationId);
        return settings.trackingLinkForNew;
    }

    /** Turns "create a tracking link for every new shipment" on or off (existing shipments are not changed). */
    @Transactional
    public void setLinkForEveryNewShipment(long organizationId, boolean on) {
        pipelines.ensureDefault(organizationId);
        ShipmentSettings settings = ShipmentSettings.findById(organizationId);
        settings.trackingLinkForNew = on;
    }

    /** The options saved on a link (the defaults for a link without a row). */
    static Options options(long linkId) {
        TrackingLinkOptions o = TrackingLinkOptions.findById(linkId);
        return o == null ? Options.DEFAULTS
                : new Options(o.showHeroPhoto, o.showEstimatedArrival, o.showProgress, o.showCustomerNotes);
    }

    /** The photo ids a link shows, in order. */
    static List<Long> picked(long linkId) {
        return TrackingLinkPhoto.<TrackingLinkPhoto> list("accessLinkId = ?1 order by position", linkId).stream()
                .map(p -> p.shipmentPhotoId).toList();
    }

    /** A removed photo leaves every link's picks (before its row goes). */
    static void unpick(long photoId) {
        TrackingLinkPhoto.delete("shipmentPhotoId", photoId);
    }

    /** A holder of a gone tracking link asked for a new one: staff see it on the shipment's timeline. */
    void requested(@Observes LinkEvents.Requested event) {
        if (event.scope() != SCOPE) {
            return;
        }
        Shipment s = Shipment.findById(event.subject().shipmentId());
        shipments.record(s, ShipmentActor.of(Actor.link(event.linkId(), "tracking link #" + event.linkId())),
                ShipmentEvent.TRACKING_LINK_REQUESTED,
                "asked for a new link (link #" + event.linkId() + " no longer works)", Visibility.INTERNAL);
    }

    private void saveOptions(long linkId, Options options) {
        TrackingLinkOptions o = TrackingLinkOptions.findById(linkId);
        boolean fresh = o == null;
        if (fresh) {
            o = new TrackingLinkOptions();
            o.accessLinkId = linkId;
        }
        o.showHeroPhoto = options.heroPhoto();
        o.showEstimatedArrival = options.estimatedArrival();
        o.showProgress = options.progress();
        o.showCustomerNotes = options.customerNotes();
        o.updatedAt = Instant.now(clock);
        if (fresh) {
            o.persist();
        }
    }

    private static void savePicks(long linkId, List<Long> picks) {
        // a bulk delete runs at once, so the new positions never meet the old ones in the unique index
        TrackingLinkPhoto.delete("accessLinkId", linkId);
        for (int i = 0; i < picks.size(); i++) {
            TrackingLinkPhoto p = new TrackingLinkPhoto();
            p.accessLinkId = linkId;
            p.shipmentPhotoId = picks.get(i);
            p.position = i;
            p.persist();
        }
    }

    /**
     * Adds to {@code errors} what {@link #setOptions} would refuse in {@code pickedPhotoIds} (too many, a photo that is
     * not the shipment's, one picked twice), changing nothing: so that a request's answer names these with its other
     * problems. A null id (a place the request could not read, named already) is passed over, and the others keep their
     * places. Nothing is added for no such shipment.
     */
    @Transactional
    public void checkPicks(long organizationId, long shipmentId, List<Long> pickedPhotoIds,
            ValidationException.Builder errors) {
        Shipments.live(organizationId, shipmentId)
                .ifPresent(s -> pickProblems(s, pickedPhotoIds == null ? List.of() : pickedPhotoIds, true, errors));
    }

    private static void checkPicks(Shipment s, List<Long> picks) {
        var errors = new ValidationException.Builder();
        pickProblems(s, picks, false, errors);
        errors.throwIfAny();
    }

    /** The problems of picking {@code picks}; {@code skipNull}: a null is named already, else it is no photo. */
    private static void pickProblems(Shipment s, List<Long> picks, boolean skipNull,
            ValidationException.Builder errors) {
        if (picks.size() > MAX_PICKED) {
            // the list itself is wrong: its ids are not checked one by one (30,000 of them would be 30,000 problems)
            errors.add("photos", "at most " + MAX_PICKED + " photos may be picked", Integer.toString(picks.size()));
            return;
        }
        Set<Long> own = new HashSet<>(
                ShipmentPhoto.<ShipmentPhoto> list("shipment.id", s.id).stream().map(p -> p.id).toList());
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < picks.size(); i++) {
            Long id = picks.get(i);
            if (id == null && skipNull) {
                continue;
            }
            if (id == null || !own.contains(id)) {
                errors.add("photos[" + i + "]", "is no photo of the shipment " + s.reference, String.valueOf(id));
            } else if (!seen.add(id)) {
                errors.add("photos[" + i + "]", "is picked twice", String.valueOf(id));
            }
        }
    }

    /**
     * The active link of a shipment created in the caller's transaction, rebuilt as issued (every link of a new
     * shipment is this transaction's): for the create's answer. Empty when none or when it cannot be rebuilt.
     */
    Optional<Links.Issued> madeWith(Shipment s) {
        return links.active(SCOPE, Target.shipment(s.id)).flatMap(links::rebuilt);
    }

    private void checkFuture(Instant expiresAt) {
        if (expiresAt != null && !expiresAt.isAfter(Instant.now(clock))) {
            throw ValidationException.of("expiresAt", "must be in the future", expiresAt.toString());
        }
        Links.checkLatest(expiresAt);
    }

    /**
     * Runs an issue and flushes it inside, so that the unique index (at most one active link per shipment) refuses a
     * concurrent winner's twin here, as a conflict, not as a failed commit.
     */
    private static Links.Issued issued(java.util.function.Supplier<Links.Issued> issue) {
        try {
            Links.Issued issued = issue.get();
            AccessLink.getEntityManager().flush();
            return issued;
        } catch (PersistenceException e) {
            if (Links.isOneActiveViolation(e)) {
                throw new ConflictException(
                        "the shipment has an active tracking link already; revoke or regenerate it");
            }
            throw e;
        }
    }

    /** ", expires 31 Dec 2026, 18:00 (Europe/London)": as staff read times, in the organisation's zone. */
    private static String expiryText(Shipment s, Instant expiresAt) {
        if (expiresAt == null) {
            return "";
        }
        var format = s.organization.format();
        return ", expires " + format.dateTime(expiresAt) + " (" + format.zone().getId() + ")";
    }

    private static String describe(Options o, int picks) {
        List<String> shown = new ArrayList<>();
        if (o.heroPhoto()) {
            shown.add("hero photo");
        }
        if (o.estimatedArrival()) {
            shown.add("estimated arrival");
        }
        if (o.progress()) {
            shown.add("progress");
        }
        if (o.customerNotes()) {
            shown.add("customer notes");
        }
        shown.add(picks + " gallery photo" + (picks == 1 ? "" : "s"));
        return "shows " + String.join(", ", shown);
    }

    /** The shipment's newest tracking link in any state. */
    private static Optional<AccessLink> latest(long shipmentId) {
        return AccessLink.<AccessLink> find("scope = ?1 and shipmentId = ?2 order by id desc", SCOPE, shipmentId)
                .firstResultOptional();
    }
}
