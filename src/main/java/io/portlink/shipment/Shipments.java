package io.portlink.shipment;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;

/**
 * Shipments of one organisation: create, edit, move through the pipeline's stages (with history), estimated arrival,
 * notes, delete, and the staff list. Every method takes the organisation id and finds nothing of another organisation
 * (empty result, as for an unknown id). Methods join the caller's transaction, so an integration can create a shipment
 * and set its stage in one. A deleted shipment is found by none of them.
 */
@ApplicationScoped
public class Shipments {

    /** Longest note. */
    public static final int NOTE_MAX = 2000;

    /**
     * How long the same request again from the same API key is taken as a repeat of the first, for what has no
     * reference of its own to be idempotent by: a note (same shipment, scope and text) and a problem report
     * ({@link ShipmentExceptions#reportOnce}). A retry after a lost answer, or a client sending it twice at once, comes
     * within seconds or minutes.
     */
    static final Duration RETRY_WINDOW = Duration.ofMinutes(10);

    @Inject
    Clock clock;

    @Inject
    Pipelines pipelines;

    @Inject
    ShipmentPhotos photos;

    @Inject
    Timeline timeline;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    DriverLinks driverLinks;

    @Inject
    jakarta.enterprise.event.Event<ShipmentTriggered> triggered;

    @Inject
    ShipmentEtas etas;

    /** Most timeline entries the staff page shows. */
    public static final int TIMELINE_LIMIT = 200;

    public record CustomerView(String name, String email, String phone, String language) {
    }

    /** Staff only: never put into a customer's page or mail. */
    public record InternalView(String stockNumber, String vinSerial, String currency, BigDecimal cost,
            BigDecimal salePrice, BigDecimal paymentsReceived, String notes) {
    }

    /**
     * A shipment as staff and integrations see it; {@code version} guards edits against lost updates; carrier and
     * tracking number as the vendor (or an integration) gave them, null when none.
     */
    public record ShipmentView(long id, String reference, String title, CustomerView customer, String shipFrom,
            String shipTo, InternalView internal, long pipelineId, String pipelineName, Pipelines.StageView stage,
            LocalDate estimatedArrival, Long heroPhotoId, Instant createdAt, Instant updatedAt, long version,
            String carrier, String trackingNumber) {
    }

    public record StageChangeView(Instant at, String fromName, Milestone fromMilestone, String toName,
            Milestone toMilestone, ShipmentActor.Type actorType, String actor) {
    }

    public record NoteView(long id, NoteScope scope, String text, Instant at, ShipmentActor.Type actorType,
            String actor) {
    }

    /**
     * A note added, or {@code repeat}: the same note by the same API key within {@link #RETRY_WINDOW}, kept once.
     */
    public record AddedNote(NoteView note, boolean repeat) {
    }

    /**
     * One timeline entry as staff read it: {@code what} is the event's label, {@code customerVisible} whether the
     * customer may see it too.
     */
    public record TimelineView(Instant at, ShipmentActor.Type actorType, String actor, String kind, String what,
            String detail, boolean customerVisible) {
    }

    /**
     * Everything the staff page shows: the shipment, its pipeline's stages, stage history, notes, photos, and the
     * timeline (all newest first; the timeline's newest {@value #TIMELINE_LIMIT}).
     */
    public record Detail(ShipmentView shipment, List<Pipelines.StageView> stages, List<StageChangeView> history,
            List<NoteView> notes, List<ShipmentPhotos.PhotoView> photos, List<TimelineView> timeline) {
    }

    /**
     * What the staff list asks for; every part optional. {@code q}: reference, customer name or e-mail prefix;
     * {@code link}: the state of the shipment's tracking link (null: any).
     */
    public record Filter(String q, Long stageId, Milestone milestone, LinkState link) {

        /** Any tracking-link state. */
        public Filter(String q, Long stageId, Milestone milestone) {
            this(q, stageId, milestone, null);
        }
    }

    /** The list's tracking-link filters. "Active" means not revoked and not expired at the time of the query. */
    public enum LinkState {
        /** No active tracking link: none was ever created, or the last one was revoked or has expired. */
        NO_LINK("No link yet"),
        /** An active tracking link that no person has opened (bot fetches, e.g. mail scanners, do not count). */
        NEVER_OPENED("Never opened");

        /** What the staff list's filter calls it. */
        public final String label;

        LinkState(String label) {
            this.label = label;
        }
    }

    public record Row(long id, String reference, String title, String customerName, String customerEmail,
            String stageName, Milestone milestone, LocalDate estimatedArrival, Instant updatedAt, Instant currentEta,
            boolean etaDateOnly) {

        /**
         * The ETA the list shows, as the shipment's page does: the date given when staff gave a date alone, else the
         * current ETA (computed from positions, or given with a time); nothing once delivered.
         */
        public boolean showsDate() {
            return milestone != Milestone.DELIVERED && (etaDateOnly || currentEta == null) && estimatedArrival != null;
        }

        /** The current ETA with its time (see {@link #showsDate}); null when the list shows a date or nothing. */
        public Instant etaWithTime() {
            return milestone == Milestone.DELIVERED || showsDate() ? null : currentEta;
        }
    }

    /** One page of the list, newest change first; {@code total} counts every match. */
    public record Page(List<Row> rows, long total, int page, int size) {

        public boolean hasNext() {
            return (long) (page + 1) * size < total;
        }

        public boolean hasPrevious() {
            return page > 0;
        }
    }

    /**
     * A shipment just created, and the tracking link made with it (null for none): the organisation's "a link with
     * every new shipment", or a "Shipment created" milestone rule's for its mail. The only moment that link's token is
     * shown.
     */
    public record Created(ShipmentView shipment, io.portlink.link.Links.Issued trackingLink) {
    }

    /**
     * Creates a shipment in the first stage of the organisation's default pipeline (history: "created in Booked"). When
     * the organisation creates a tracking link with every new shipment, it is issued in the same transaction; callers
     * that show its token use {@link #createWithLink(long, ShipmentInput, ShipmentActor)}.
     *
     * @throws ValidationException
     *             listing every problem of the input
     * @throws ConflictException
     *             when a live shipment of the organisation has the same reference
     */
    @Transactional
    public ShipmentView create(long organizationId, ShipmentInput input, ShipmentActor actor) {
        return createWithLink(organizationId, input.toDraft(), actor).shipment();
    }

    /** {@link #create(long, ShipmentInput, ShipmentActor)} for fields already validated (forms, CSV rows). */
    @Transactional
    public ShipmentView create(long organizationId, ShipmentDraft draft, ShipmentActor actor) {
        return createWithLink(organizationId, draft, actor).shipment();
    }

    /**
     * {@link #create(long, ShipmentInput, ShipmentActor)}, with the tracking link issued with it (if the organisation's
     * setting says so) in the result.
     */
    @Transactional
    public Created createWithLink(long organizationId, ShipmentInput input, ShipmentActor actor) {
        return createWithLink(organizationId, input.toDraft(), actor);
    }

    /** {@link #createWithLink(long, ShipmentInput, ShipmentActor)} for fields already validated. */
    @Transactional
    public Created createWithLink(long organizationId, ShipmentDraft draft, ShipmentActor actor) {
        return createWithLink(organizationId, draft, null, actor);
    }

    /**
     * {@link #create(long, ShipmentDraft, ShipmentActor)} in a pipeline of the organisation ({@code pipelineId}, e.g.
     * {@link Pipelines#byName} or {@link Pipelines#forVendorShipments}; null: the default pipeline).
     *
     * @throws IllegalArgumentException
     *             for a pipeline that is not the organisation's (callers resolve it first)
     */
    @Transactional
    public ShipmentView create(long organizationId, ShipmentDraft draft, Long pipelineId, ShipmentActor actor) {
        return createWithLink(organizationId, draft, pipelineId, actor).shipment();
    }

    /** {@link #createWithLink(long, ShipmentDraft, ShipmentActor)} in a pipeline (null: the default). */
    @Transactional
    public Created createWithLink(long organizationId, ShipmentDraft draft, Long pipelineId, ShipmentActor actor) {
        Objects.requireNonNull(draft);
        // One writer at a time per organisation for new references: two creates of one reference, one wins cleanly.
        Organization org = Organization.lockForCreating(organizationId);
        if (find(organizationId, draft.reference()).isPresent()) {
            throw new ConflictException(
                    "a shipment with the reference " + draft.reference() + " exists already; choose another reference");
        }
        ShipmentPipeline pipeline = pipelineId == null ? pipelines.ensureDefault(organizationId)
                : Pipelines.owned(organizationId, pipelineId).orElseThrow(
                        () -> new IllegalArgumentException("pipeline " + pipelineId + " is not the organisation's"));
        Instant now = Instant.now(clock);
        Shipment s = new Shipment();
        s.organization = org;
        apply(s, draft);
        s.pipeline = pipeline;
        s.stage = pipeline.stages.get(0);
        s.stageChangedAt = now;
        s.createdAt = now;
        s.updatedAt = now;
        s.persist();
        history(s, null, s.stage, actor, now);
        record(s, actor, ShipmentEvent.CREATED, "in stage " + s.stage.name, Visibility.INTERNAL);
        io.portlink.link.Links.Issued link = ShipmentSettings.of(organizationId).trackingLinkForNew
                ? trackingLinks.issue(s, null, actor) : null;
        // after the link: a milestone mail on CREATED carries the link the organisation's setting just made
        triggered.fire(new ShipmentTriggered(organizationId, s.id, ShipmentTriggered.Trigger.CREATED, null, actor));
        if (link == null) {
            // a "Shipment created" rule may have issued the link for its mail: it was made in this request, so this
            // answer is its one showing, as for the setting's link (the shipment is new: any link is this request's)
            link = trackingLinks.madeWith(s).orElse(null);
        }
        return new Created(view(s), link);
    }

    /**
     * Replaces the shipment's fields with the input's (reference included). {@code expectedVersion} is the version the
     * editor read; null skips the check (API replaces by reference).
     *
     * @throws ConflictException
     *             when it changed since {@code expectedVersion}, or the new reference belongs to another shipment
     */
    @Transactional
    public Optional<ShipmentView> update(long organizationId, long id, Long expectedVersion, ShipmentInput input,
            ShipmentActor actor) {
        return update(organizationId, id, expectedVersion, input.toDraft(), actor);
    }

    /** {@link #update(long, long, Long, ShipmentInput, ShipmentActor)} for fields already validated. */
    @Transactional
    public Optional<ShipmentView> update(long organizationId, long id, Long expectedVersion, ShipmentDraft draft,
            ShipmentActor actor) {
        // the lock order (Organization.lockForCreating): a new reference takes the organisation's row, so it is taken
        // before the shipment's, decided on the stored reference as read without a lock; an erasure holding the
        // organisation and waiting for this shipment would otherwise deadlock with this change (one of them a 409).
        // The reference alone: an entity read now would keep its unlocked state in the locked query's result.
        boolean organizationLocked = Shipment.getEntityManager()
                .createQuery("select s.reference from Shipment s where s.id = ?1 and s.organization.id = ?2"
                        + " and s.deletedAt is null", String.class)
                .setParameter(1, id).setParameter(2, organizationId).getResultStream().findFirst()
                .map(stored -> !stored.equals(draft.reference())).orElse(false);
        if (organizationLocked) {
            Organization.lockForCreating(organizationId);
        }
        Optional<Shipment> found = locked(organizationId, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Shipment s = found.get();
        checkVersion(s, expectedVersion);
        if (!s.reference.equals(draft.reference())) {
            if (!organizationLocked) {
                // the reference changed between the read and the lock (only without an expected version): the one
                // place that takes the two rows the other way round, so rare it is left to the 409 of a deadlock
                Organization.lockForCreating(organizationId);
            }
            if (find(organizationId, draft.reference()).isPresent()) {
                throw new ConflictException("a shipment with the reference " + draft.reference()
                        + " exists already; choose another reference");
            }
        }
        ShipmentDraft before = draftOf(s);
        if (!draft.equals(before)) {
            apply(s, draft);
            s.updatedAt = Instant.now(clock);
            record(s, actor, ShipmentEvent.UPDATED, "changed: " + String.join(", ", changed(before, draft)),
                    Visibility.INTERNAL);
        }
        return Optional.of(view(s));
    }

    /**
     * Moves the shipment to another stage of its pipeline and records who, when, from and to. Moving to the stage it is
     * in changes nothing. Stages may be skipped or gone back to (a correction); the history shows it. Reaching a
     * DELIVERED stage dates the delivery and leaving it takes it back, unless a proof of delivery is recorded: then the
     * proof's time stays the delivery's, whatever the stage.
     *
     * @throws ValidationException
     *             when {@code stageId} is no stage of the shipment's pipeline
     */
    @Transactional
    public Optional<ShipmentView> changeStage(long organizationId, long id, long stageId, ShipmentActor actor) {
        return locked(organizationId, id).map(s -> {
            ShipmentStage to = s.pipeline.stages.stream().filter(st -> st.id == stageId).findFirst()
                    .orElseThrow(() -> ValidationException.of("stage",
                            "must be one of the stages of the pipeline " + s.pipeline.name + ": " + stageNames(s),
                            Long.toString(stageId)));
            move(s, to, actor);
            return view(s);
        });
    }

    /**
     * {@link #changeStage(long, long, long, ShipmentActor)} by the stage's name (any case) or its milestone (the first
     * stage with it), as integrations write it.
     */
    @Transactional
    public Optional<ShipmentView> changeStage(long organizationId, long id, String stage, ShipmentActor actor) {
        return locked(organizationId, id).map(s -> {
            String v = stage == null ? "" : stage.strip();
            ShipmentStage to = s.pipeline.stages.stream().filter(st -> st.name.equalsIgnoreCase(v)).findFirst()
                    .or(() -> s.pipeline.stages.stream().filter(st -> st.milestone == Milestone.parse(v)).findFirst())
                    .orElseThrow(() -> ValidationException.of("stage",
                            "must be one of the stages of the pipeline " + s.pipeline.name + ": " + stageNames(s),
                            stage));
            move(s, to, actor);
            return view(s);
        });
    }

    /**
     * Sets a MANUAL ETA of this date (no time: the end of that day in the delivery stop's zone, see
     * {@link ShipmentEtas}), or with null clears it and the ETA is computed again from positions. The same date again
     * changes nothing (a repeated import keeps a time staff added).
     */
    @Transactional
    public Optional<ShipmentView> setEstimatedArrival(long organizationId, long id, LocalDate date,
            ShipmentActor actor) {
        return locked(organizationId, id).map(s -> {
            if (!Objects.equals(s.estimatedArrival, date)) {
                etas.applyManual(s, date, null, actor);
            }
            return view(s);
        });
    }

    /**
     * Sets who carries the shipment: carrier and tracking number (either null to clear it), the purchase order it
     * fulfils (null: none), the sender's name (a vendor's; the tracking page shows it only if the organisation allows)
     * and the day the goods left ({@code shippedOn}, the sender's day; null: not said). Records one customer-visible
     * timeline entry when carrier or tracking number changed. Values are taken as given: callers validate them.
     */
    @Transactional
    public Optional<ShipmentView> setCarriage(long organizationId, long id, String carrier, String trackingNumber,
            Long purchaseOrderId, String senderName, LocalDate shippedOn, ShipmentActor actor) {
        return locked(organizationId, id).map(s -> {
            boolean changed = !Objects.equals(s.carrier, carrier) || !Objects.equals(s.trackingNumber, trackingNumber);
            s.carrier = carrier;
            s.trackingNumber = trackingNumber;
            s.purchaseOrderId = purchaseOrderId;
            s.senderName = senderName;
            s.shippedOn = shippedOn;
            if (changed) {
                s.updatedAt = Instant.now(clock);
                record(s, actor, ShipmentEvent.CARRIAGE,
                        (carrier == null ? "" : carrier + " ") + (trackingNumber == null ? "" : trackingNumber),
                        Visibility.CUSTOMER);
            }
            return view(s);
        });
    }

    /**
     * {@link #setEstimatedArrival(long, long, LocalDate, ShipmentActor)} from text read under {@code convention}
     * (YYYY-MM-DD always; the organisation's order with a four-digit year); blank clears it.
     */
    @Transactional
    public Optional<ShipmentView> setEstimatedArrival(long organizationId, long id, String date, Convention convention,
            ShipmentActor actor) {
        var errors = new ValidationException.Builder();
        LocalDate parsed = new Fields(errors, null, 10, convention).date("estimatedArrival", date, false);
        errors.throwIfAny();
        return setEstimatedArrival(organizationId, id, parsed, actor);
    }

    /**
     * Adds a note for the customer or for staff only. Text: 1 to {@value #NOTE_MAX} characters, line breaks allowed.
     * The same note by the same API key within {@link #RETRY_WINDOW} (a retry, two at once: the shipment's row lock
     * serves them one after the other) is that note, not a second one. Empty for no such shipment.
     *
     * @throws ValidationException
     *             naming the scope and the text when either is wrong
     */
    @Transactional
    public Optional<AddedNote> addNote(long organizationId, long id, NoteScope scope, String text,
            ShipmentActor actor) {
        var errors = new ValidationException.Builder();
        if (scope == null) {
            errors.add("scope", "must be CUSTOMER (the customer sees it) or INTERNAL (staff only)", null);
        }
        String body = new Fields(errors, null, NOTE_MAX).text("text", text, true, NOTE_MAX);
        errors.throwIfAny();
        return locked(organizationId, id).map(s -> {
            // only an integration retries a request whose answer it lost; a person's form has its own once-token,
            // and a person writing the same words again means it
            ShipmentNote same = actor.type() != ShipmentActor.Type.API_KEY || actor.id() == null ? null
                    : ShipmentNote
                            .<ShipmentNote> find(
                                    "shipment.id = ?1 and scope = ?2 and at >= ?3 and body = ?4"
                                            + " and actorType = ?5 and actorId = ?6 order by at desc, id desc",
                                    s.id, scope, Instant.now(clock).minus(RETRY_WINDOW), body, actor.type(), actor.id())
                            .firstResult();
            if (same != null) {
                return new AddedNote(note(same), true);
            }
            ShipmentNote n = new ShipmentNote();
            n.shipment = s;
            n.scope = scope;
            n.body = body;
            n.at = Instant.now(clock);
            n.actorType = actor.type();
            n.actorId = actor.id();
            n.actorLabel = actor.label();
            n.persist();
            record(s, actor, ShipmentEvent.NOTE_ADDED, body,
                    scope == NoteScope.CUSTOMER ? Visibility.CUSTOMER : Visibility.INTERNAL);
            s.updatedAt = n.at;
            return new AddedNote(note(n), false);
        });
    }

    /** {@link #addNote(long, long, NoteScope, String, ShipmentActor)} with the scope as text (CUSTOMER/INTERNAL). */
    @Transactional
    public Optional<AddedNote> addNote(long organizationId, long id, String scope, String text, ShipmentActor actor) {
        NoteScope parsed = NoteScope.parse(scope);
        if (parsed == null) {
            var errors = new ValidationException.Builder();
            errors.add("scope", "must be CUSTOMER (the customer sees it) or INTERNAL (staff only)", scope);
            new Fields(errors, null, NOTE_MAX).text("text", text, true, NOTE_MAX);
            errors.throwIfAny();
        }
        return addNote(organizationId, id, parsed, text, actor);
    }

    /**
     * Deletes the shipment for good: it disappears from every list and lookup, its reference is free again, its
     * tracking and driver links are revoked, and nothing brings it back to a customer. Its photos' bytes are removed.
     * True when there was one to delete.
     *
     * @throws ConflictException
     *             when it changed since {@code expectedVersion} (null skips the check)
     */
    @Transactional
    public boolean delete(long organizationId, long id, Long expectedVersion, ShipmentActor actor) {
        Optional<Shipment> found = locked(organizationId, id);
        if (found.isEmpty()) {
            return false;
        }
        Shipment s = found.get();
        checkVersion(s, expectedVersion);
        // its tracking and driver links stop for good: no restore of the shipment brings them back
        trackingLinks.revokeAll(s);
        driverLinks.revokeAll(s);
        photos.removeAll(s);
        s.deletedAt = Instant.now(clock);
        s.updatedAt = s.deletedAt;
        s.liveReference = null;
        record(s, actor, ShipmentEvent.DELETED, s.reference, Visibility.INTERNAL);
        return true;
    }

    /** The live shipment's id for a reference (exact), or empty. */
    @Transactional
    public Optional<Long> idOf(long organizationId, String reference) {
        return find(organizationId, reference).map(s -> s.id);
    }

    @Transactional
    public Optional<ShipmentView> view(long organizationId, long id) {
        return live(organizationId, id).map(Shipments::view);
    }

    @Transactional
    public Optional<ShipmentView> viewByReference(long organizationId, String reference) {
        return find(organizationId, reference).map(Shipments::view);
    }

    /** The staff page's data, or empty for an unknown, deleted or other organisation's shipment. */
    @Transactional
    public Optional<Detail> detail(long organizationId, long id) {
        return live(organizationId, id).map(s -> {
            List<StageChangeView> history = ShipmentStageChange
                    .<ShipmentStageChange> list("shipment.id = ?1 order by at desc, id desc", s.id).stream()
                    .map(c -> new StageChangeView(c.at, c.fromName, c.fromMilestone, c.toName, c.toMilestone,
                            c.actorType, c.actorLabel))
                    .toList();
            List<NoteView> notes = notes(s.id, null);
            ShipmentTimes times = ShipmentTimes.of(s, s.organization.format());
            List<ShipmentStop> stops = ShipmentStops.of(s.id);
            List<TimelineView> entries = timeline.latest(Subject.shipment(organizationId, s.id), false, TIMELINE_LIMIT)
                    .stream()
                    .map(e -> new TimelineView(e.at(), ShipmentActor.Type.valueOf(e.actorType().name()), e.actor(),
                            e.kind(), ShipmentEvent.labelOf(e.kind()), staffDetail(e.kind(), e.detail(), stops, times),
                            e.visibility() == Visibility.CUSTOMER))
                    .toList();
            return new Detail(view(s), Pipelines.view(s.pipeline, false).stages(), history, notes, photos.list(s),
                    entries);
        });
    }

    /**
     * A timeline entry's detail as staff read it: an ETA ({@code 2026-12-02T19:00+01:00},
     * {@link ShipmentEtas#etaDetail}) written as the page writes times ({@link ShipmentTimes}, the zone named), a stop
     * ({@code STOP 1}) by its kind and name ({@link ShipmentStops#staffLabel}); any other detail as recorded.
     */
    static String staffDetail(String kind, String detail, List<ShipmentStop> stops, ShipmentTimes times) {
        if (detail == null) {
            return null;
        }
        try {
            if (kind.equals(ShipmentEvent.ETA_CHANGED.name()) && !detail.equals("cleared")) {
                return ShipmentEtas.etaOfDetail(detail, times);
            }
            if (kind.equals(ShipmentEvent.STOP_ARRIVED.name()) || kind.equals(ShipmentEvent.STOP_DEPARTED.name())) {
                String[] parts = detail.split(" ");
                if (parts.length == 2) {
                    ShipmentStop.Kind stopKind = ShipmentStop.Kind.valueOf(parts[0]);
                    int position = Integer.parseInt(parts[1]);
                    ShipmentStop stop = stops.stream().filter(st -> st.position == position && st.kind == stopKind)
                            .findFirst().orElse(null);
                    return ShipmentStops.staffLabel(stopKind, position, stop);
                }
            }
        } catch (java.time.DateTimeException | IllegalArgumentException e) {
            // an older entry of another shape: shown as recorded
        }
        return detail;
    }

    /** Notes of a live shipment, newest first; {@code scope} null for all. Empty list for no such shipment. */
    @Transactional
    public List<NoteView> notes(long organizationId, long id, NoteScope scope) {
        return live(organizationId, id).map(s -> notes(s.id, scope)).orElse(List.of());
    }

    /**
     * One page of the organisation's live shipments, most recently changed first. {@code q} matches the start of the
     * reference, the customer's name or e-mail (any case).
     */
    @Transactional
    public Page page(long organizationId, Filter filter, Paging paging) {
        StringBuilder where = new StringBuilder("s.organization.id = :org and s.deletedAt is null");
        var params = new java.util.HashMap<String, Object>();
        params.put("org", organizationId);
        if (filter != null && filter.stageId() != null) {
            where.append(" and s.stage.id = :stage");
            params.put("stage", filter.stageId());
        }
        if (filter != null && filter.milestone() != null) {
            where.append(" and s.stage.milestone = :milestone");
            params.put("milestone", filter.milestone());
        }
        if (filter != null && filter.link() != null) {
            // a correlated subquery on access_link_shipment_ix (shipment_id, revoked_at): one index probe per row the
            // outer query reads in its own index order, never a scan of every link
            String active = "select l.id from AccessLink l where l.shipmentId = s.id and l.scope = :trackingScope"
                    + " and l.revokedAt is null and (l.expiresAt is null or l.expiresAt > :now)";
            where.append(switch (filter.link()) {
            case NO_LINK -> " and not exists (" + active + ")";
            case NEVER_OPENED -> " and exists (" + active + " and l.firstOpenedAt is null)";
            });
            params.put("trackingScope", AccessLink.Scope.CUSTOMER_SHIPMENT);
            params.put("now", Instant.now(clock));
        }
        String q = filter == null || filter.q() == null ? "" : filter.q().strip().toLowerCase(Locale.ROOT);
        if (!q.isEmpty()) {
            where.append(" and (s.referenceKey like :q escape '!' or s.customerKey like :q escape '!'"
                    + " or s.customerEmail like :q escape '!')");
            params.put("q", q.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        var query = Shipment.<Shipment> find(
                "select s from Shipment s join fetch s.stage where " + where + " order by s.updatedAt desc, s.id desc",
                params);
        long total = Shipment.count("from Shipment s where " + where, params);
        List<Row> rows = query.range(paging.offset(), paging.offset() + paging.size() - 1).list().stream()
                .map(s -> new Row(s.id, s.reference, s.title, s.customerName, s.customerEmail, s.stage.name,
                        s.stage.milestone, s.estimatedArrival, s.updatedAt, s.currentEta, s.etaDateOnly))
                .toList();
        return new Page(rows, total, paging.page(), paging.size());
    }

    /**
     * The tracking-link state of each listed shipment (a page's rows): {@link LinkState#NO_LINK},
     * {@link LinkState#NEVER_OPENED}, or null for an active link a person opened. One query on
     * {@code access_link_shipment_ix} for the whole page.
     */
    @Transactional
    public java.util.Map<Long, LinkState> linkStates(long organizationId, List<Long> shipmentIds) {
        var states = new java.util.HashMap<Long, LinkState>();
        if (shipmentIds.isEmpty()) {
            return states;
        }
        shipmentIds.forEach(id -> states.put(id, LinkState.NO_LINK));
        List<AccessLink> active = AccessLink.list(
                "organization.id = ?1 and scope = ?2 and shipmentId in ?3"
                        + " and revokedAt is null and (expiresAt is null or expiresAt > ?4)",
                organizationId, AccessLink.Scope.CUSTOMER_SHIPMENT, shipmentIds, Instant.now(clock));
        for (AccessLink l : active) {
            states.put(l.shipmentId, l.firstOpenedAt == null ? LinkState.NEVER_OPENED : null);
        }
        return states;
    }

    /** The live shipment with this id in this organisation. */
    static Optional<Shipment> live(long organizationId, long id) {
        return Shipment.<Shipment> find("id = ?1 and organization.id = ?2 and deletedAt is null", id, organizationId)
                .firstResultOptional();
    }

    /**
     * {@link #live} with the row locked until the transaction ends: writers of one shipment (two staff adding notes, a
     * stage change and a photo) take turns instead of failing on each other's version; the edit form's own version
     * check still refuses a save over a change its editor never saw. Lock order ({@link Organization#lockForCreating}):
     * a writer that also needs the organisation's row (a new reference) takes it before calling this; the shipment's
     * stops, proof of delivery, notes and photos come after.
     */
    static Optional<Shipment> locked(long organizationId, long id) {
        return Shipment.<Shipment> find("id = ?1 and organization.id = ?2 and deletedAt is null", id, organizationId)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    private static Optional<Shipment> find(long organizationId, String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        return Shipment.<Shipment> find("organization.id = ?1 and liveReference = ?2", organizationId, reference)
                .firstResultOptional();
    }

    private List<NoteView> notes(long shipmentId, NoteScope scope) {
        List<ShipmentNote> notes = scope == null
                ? ShipmentNote.list("shipment.id = ?1 order by at desc, id desc", shipmentId)
                : ShipmentNote.list("shipment.id = ?1 and scope = ?2 order by at desc, id desc", shipmentId, scope);
        return notes.stream().map(Shipments::note).toList();
    }

    private void move(Shipment s, ShipmentStage to, ShipmentActor actor) {
        if (s.stage.id.equals(to.id)) {
            return;
        }
        Instant now = Instant.now(clock);
        ShipmentStage from = s.stage;
        s.stage = to;
        s.stageChangedAt = now;
        s.updatedAt = now;
        history(s, from, to, actor, now);
        // names only: what the customer's tracker shows anyway
        record(s, actor, ShipmentEvent.STAGE_CHANGED, from.name + " → " + to.name, Visibility.CUSTOMER);
        // A recorded proof of delivery dates the delivery whatever stage staff pick (a correction of the tracker
        // unsays no signature); without one, the Delivered stage does, and leaving it takes the delivery back.
        Instant proven = ProofOfDelivery.<ProofOfDelivery> find("shipment.id", s.id).firstResultOptional()
                .map(p -> p.deliveredAt).orElse(null);
        s.deliveredAt = proven != null ? proven : to.milestone == Milestone.DELIVERED ? now : null;
        if (to.position > from.position) {
            // forward moves only: going back is a correction, not news for the customer
            fire(s, ShipmentTriggered.Trigger.STAGE_REACHED, to, actor);
            if (to.milestone == Milestone.OUT_FOR_DELIVERY) {
                fire(s, ShipmentTriggered.Trigger.OUT_FOR_DELIVERY, to, actor);
            } else if (to.milestone == Milestone.DELIVERED) {
                fire(s, ShipmentTriggered.Trigger.DELIVERED, to, actor);
            }
        }
    }

    private void fire(Shipment s, ShipmentTriggered.Trigger trigger, ShipmentStage stage, ShipmentActor actor) {
        triggered.fire(new ShipmentTriggered(s.organization.id, s.id, trigger, stage.id, actor));
    }

    /** Writes a shipment event to the shared timeline, in the transaction of the change. */
    void record(Shipment s, ShipmentActor actor, ShipmentEvent kind, String detail, Visibility visibility) {
        timeline.record(Subject.shipment(s.organization.id, s.id), actor.timeline(), kind, detail, visibility);
    }

    /** The names of the fields that differ (no values: internal ones among them). */
    private static List<String> changed(ShipmentDraft a, ShipmentDraft b) {
        List<String> names = new java.util.ArrayList<>();
        Object[][] pairs = { { "reference", a.reference(), b.reference() }, { "title", a.title(), b.title() },
                { "customer.name", a.customerName(), b.customerName() },
                { "customer.email", a.customerEmail(), b.customerEmail() },
                { "customer.phone", a.customerPhone(), b.customerPhone() },
                { "customer.language", a.customerLanguage(), b.customerLanguage() },
                { "shipFrom", a.shipFrom(), b.shipFrom() }, { "shipTo", a.shipTo(), b.shipTo() },
                { "internal.stockNumber", a.stockNumber(), b.stockNumber() },
                { "internal.vinSerial", a.vinSerial(), b.vinSerial() },
                { "internal.currency", a.currency(), b.currency() }, { "internal.cost", a.cost(), b.cost() },
                { "internal.salePrice", a.salePrice(), b.salePrice() },
                { "internal.paymentsReceived", a.paymentsReceived(), b.paymentsReceived() },
                { "internal.notes", a.internalNotes(), b.internalNotes() } };
        for (Object[] p : pairs) {
            if (!Objects.equals(p[1], p[2])) {
                names.add((String) p[0]);
            }
        }
        return names;
    }

    private static void history(Shipment s, ShipmentStage from, ShipmentStage to, ShipmentActor actor, Instant at) {
        ShipmentStageChange c = new ShipmentStageChange();
        c.shipment = s;
        c.at = at;
        if (from != null) {
            c.fromStageId = from.id;
            c.fromName = from.name;
            c.fromMilestone = from.milestone;
        }
        c.toStageId = to.id;
        c.toName = to.name;
        c.toMilestone = to.milestone;
        c.actorType = actor.type();
        c.actorId = actor.id();
        c.actorLabel = actor.label();
        c.persist();
    }

    private static void checkVersion(Shipment s, Long expectedVersion) {
        if (expectedVersion != null && expectedVersion != s.version) {
            throw new ConflictException("the shipment " + s.reference
                    + " was changed by someone else meanwhile; reload it and make your change again");
        }
    }

    private static String stageNames(Shipment s) {
        return String.join(", ", s.pipeline.stages.stream().map(st -> st.name).toList());
    }

    private static void apply(Shipment s, ShipmentDraft d) {
        s.reference = d.reference();
        s.liveReference = d.reference();
        s.referenceKey = d.reference().toLowerCase(Locale.ROOT);
        s.title = d.title();
        s.customerName = d.customerName();
        s.customerKey = d.customerName() == null ? null : d.customerName().toLowerCase(Locale.ROOT);
        s.customerEmail = d.customerEmail();
        s.customerPhone = d.customerPhone();
        s.customerLanguage = d.customerLanguage();
        s.shipFrom = d.shipFrom();
        s.shipTo = d.shipTo();
        s.stockNumber = d.stockNumber();
        s.vinSerial = d.vinSerial();
        s.currency = d.currency();
        s.cost = d.cost();
        s.salePrice = d.salePrice();
        s.paymentsReceived = d.paymentsReceived();
        s.internalNotes = d.internalNotes();
    }

    /** The stored fields as a draft, to compare with an incoming one (same content changes nothing). */
    static ShipmentDraft draftOf(Shipment s) {
        return new ShipmentDraft(s.reference, s.title, s.customerName, s.customerEmail, s.customerPhone,
                s.customerLanguage, s.shipFrom, s.shipTo, s.stockNumber, s.vinSerial, s.currency, clean(s.cost),
                clean(s.salePrice), clean(s.paymentsReceived), s.internalNotes);
    }

    /** Whether a validated draft would store exactly what the shipment holds (an API's "same content again"). */
    @Transactional
    public boolean sameContent(long organizationId, long id, ShipmentDraft draft) {
        return live(organizationId, id).map(s -> draftOf(s).equals(draft)).orElse(false);
    }

    private static BigDecimal clean(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    static ShipmentView view(Shipment s) {
        // the version a later edit must name is the one after this transaction's changes
        try {
            Shipment.getEntityManager().flush();
        } catch (jakarta.persistence.OptimisticLockException e) {
            throw new ConflictException("the shipment " + s.reference
                    + " was changed by someone else meanwhile; reload it and make your change again");
        }
        return new ShipmentView(s.id, s.reference, s.title,
                new CustomerView(s.customerName, s.customerEmail, s.customerPhone, s.customerLanguage), s.shipFrom,
                s.shipTo,
                new InternalView(s.stockNumber, s.vinSerial, s.currency, clean(s.cost), clean(s.salePrice),
                        clean(s.paymentsReceived), s.internalNotes),
                s.pipeline.id, s.pipeline.name,
                new Pipelines.StageView(s.stage.id, s.stage.position, s.stage.name, s.stage.milestone),
                s.estimatedArrival, s.heroPhotoId, s.createdAt, s.updatedAt, s.version, s.carrier, s.trackingNumber);
    }

    private static NoteView note(ShipmentNote n) {
        return new NoteView(n.id, n.scope, n.body, n.at, n.actorType, n.actorLabel);
    }
}
