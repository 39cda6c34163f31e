package io.portlink.shipment;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Visibility;

/**
 * Problems reported on a shipment (delay, damage, refused, other; by its driver, staff or the API) and their resolution
 * by staff. {@link Shipment#openExceptions} counts the open ones, under the shipment's row lock. Each report writes a
 * customer-visible timeline entry with a neutral word only ("Delayed"), the note stays internal unless staff choose to
 * share it, and fires {@link ShipmentTriggered.Trigger#EXCEPTION_REPORTED} in the transaction. Every method takes the
 * organisation id and finds nothing of another organisation or a deleted shipment. Methods join the caller's
 * transaction.
 */
@ApplicationScoped
public class ShipmentExceptions {

    /** Longest note: the column's length. */
    public static final int NOTE_MAX = ShipmentException.NOTE_LENGTH;

    /** Most exceptions a list shows (the newest). */
    public static final int LIST_LIMIT = 100;

    /** Most open exceptions a shipment's own answer carries (the newest). */
    public static final int OPEN_LIMIT = 20;

    @Inject
    Clock clock;

    @Inject
    Shipments shipments;

    @Inject
    Event<ShipmentTriggered> triggered;

    /** An exception as staff and the API see it; instants in UTC; {@code resolvedAt} null while open. */
    public record ExceptionView(long id, ShipmentException.Kind kind, String note, Instant reportedAt,
            ShipmentActor.Type actorType, String actor, Instant resolvedAt, String resolvedBy) {

        public boolean open() {
            return resolvedAt == null;
        }
    }

    /**
     * A problem reported, or {@code repeat}: the same problem (kind and note) from the same API key, still open and
     * reported within {@link Shipments#RETRY_WINDOW}, is that one (a retry after a lost answer), reported once.
     */
    public record Reported(ExceptionView problem, boolean repeat) {
    }

    /**
     * Reports a problem. {@code kind}: DELAY, DAMAGE, REFUSED or OTHER (any case); {@code note}: up to
     * {@value #NOTE_MAX} characters, required for OTHER; {@code shareNote}: the customer's timeline shows the note too
     * (else only the neutral word). Empty for no such shipment. An API key's repeat is the first report
     * ({@link Reported}).
     *
     * @throws ValidationException
     *             naming {@code kind} or {@code note}
     */
    @Transactional
    public Optional<ExceptionView> report(long organizationId, long shipmentId, String kind, String note,
            boolean shareNote, ShipmentActor actor) {
        return reportOnce(organizationId, shipmentId, kind, note, shareNote, actor).map(Reported::problem);
    }

    /**
     * {@link #report}, saying whether it was a repeat: an integration retrying a report whose answer it lost must not
     * open a second problem (and fire the customer's milestone again). The shipment's row lock serves two at once one
     * after the other. Only API keys: a person's form has its own once-token.
     */
    @Transactional
    public Optional<Reported> reportOnce(long organizationId, long shipmentId, String kind, String note,
            boolean shareNote, ShipmentActor actor) {
        var errors = new ValidationException.Builder();
        ShipmentException.Kind k = parseKind(kind);
        if (k == null) {
            errors.add("kind", "must be one of DELAY, DAMAGE, REFUSED, OTHER", kind);
        }
        String text = new Fields(errors, null, NOTE_MAX).text("note", note, k == ShipmentException.Kind.OTHER,
                NOTE_MAX);
        errors.throwIfAny();
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            if (actor.type() == ShipmentActor.Type.API_KEY && actor.id() != null) {
                ShipmentException same = ShipmentException.<ShipmentException> find(
                        "shipment.id = ?1 and reportedAt >= ?2 and kind = ?3 and resolvedAt is null and actorType = ?4"
                                + " and actorId = ?5 order by reportedAt desc, id desc",
                        s.id, Instant.now(clock).minus(Shipments.RETRY_WINDOW), k, actor.type(), actor.id()).list()
                        .stream().filter(e -> java.util.Objects.equals(e.note, text)).findFirst().orElse(null);
                if (same != null) {
                    return new Reported(view(same), true);
                }
            }
            return new Reported(report(s, k, text, shareNote, actor), false);
        });
    }

    /**
     * A driver's report on a locked live shipment: a problem of a kind this driver link reported already and that is
     * still open gets the new words as an internal note (staff read them; the customer is not told twice, nor mailed
     * again), else {@link #report} opens a new one. Validated already.
     */
    ExceptionView reportOrAdd(Shipment s, ShipmentException.Kind kind, String note, ShipmentActor actor) {
        ShipmentException open = ShipmentException
                .<ShipmentException> find(
                        "shipment.id = ?1 and kind = ?2 and resolvedAt is null and actorType = ?3 and actorId = ?4"
                                + " order by reportedAt desc, id desc",
                        s.id, kind, actor.type(), actor.id())
                .firstResult();
        if (open == null) {
            return report(s, kind, note, false, actor);
        }
        if (note != null) {
            s.updatedAt = Instant.now(clock);
            shipments.record(s, actor, ShipmentEvent.EXCEPTION_NOTE,
                    "#" + open.id + " " + kind.name().toLowerCase(Locale.ROOT) + ": " + note, Visibility.INTERNAL);
        }
        return view(open);
    }

    /** Reports on a locked live shipment (also for the driver link): validated already. */
    ExceptionView report(Shipment s, ShipmentException.Kind kind, String note, boolean shareNote, ShipmentActor actor) {
        ShipmentException e = new ShipmentException();
        e.shipment = s;
        e.kind = kind;
        e.note = note;
        e.reportedAt = Instant.now(clock);
        e.actorType = actor.type();
        e.actorId = actor.id();
        e.actorLabel = actor.label();
        e.persist();
        s.openExceptions++;
        s.updatedAt = e.reportedAt;
        String word = customerWord(kind);
        if (note != null && shareNote) {
            shipments.record(s, actor, ShipmentEvent.EXCEPTION_REPORTED, word + ": " + note, Visibility.CUSTOMER);
        } else {
            shipments.record(s, actor, ShipmentEvent.EXCEPTION_REPORTED, word, Visibility.CUSTOMER);
            if (note != null) {
                shipments.record(s, actor, ShipmentEvent.EXCEPTION_NOTE,
                        "#" + e.id + " " + kind.name().toLowerCase(Locale.ROOT) + ": " + note, Visibility.INTERNAL);
            }
        }
        triggered.fire(new ShipmentTriggered(s.organization.id, s.id, ShipmentTriggered.Trigger.EXCEPTION_REPORTED,
                null, actor));
        return view(e);
    }

    /**
     * Resolves an open exception. Empty for no such shipment or exception; an exception resolved already stays as it
     * was (its view is returned: a repeat is no error).
     */
    @Transactional
    public Optional<ExceptionView> resolve(long organizationId, long shipmentId, long exceptionId,
            ShipmentActor actor) {
        return Shipments.locked(organizationId, shipmentId)
                .flatMap(s -> ShipmentException
                        .<ShipmentException> find("id = ?1 and shipment.id = ?2", exceptionId, s.id)
                        .firstResultOptional().map(e -> {
                            if (e.resolvedAt == null) {
                                e.resolvedAt = Instant.now(clock);
                                e.resolvedBy = actor.label();
                                s.openExceptions = Math.max(0, s.openExceptions - 1);
                                s.updatedAt = e.resolvedAt;
                                shipments.record(s, actor, ShipmentEvent.EXCEPTION_RESOLVED,
                                        "#" + e.id + " " + customerWord(e.kind), Visibility.INTERNAL);
                            }
                            return view(e);
                        }));
    }

    /**
     * A delivery ends the delays reported on the shipment: each open DELAY is resolved by whoever delivered it (the
     * driver's link, staff, the API), with an internal timeline entry. A damage, a refusal or another problem stays
     * open for staff: the goods arriving does not mend them. Runs in the delivery's transaction, on its locked shipment
     * ({@link ShipmentTriggered} DELIVERED: the Delivered stage reached, or a proof of delivery without one).
     */
    void delivered(@Observes ShipmentTriggered event) {
        if (event.trigger() != ShipmentTriggered.Trigger.DELIVERED) {
            return;
        }
        List<ShipmentException> delays = ShipmentException.list(
                "shipment.id = ?1 and kind = ?2 and resolvedAt is null order by id", event.shipmentId(),
                ShipmentException.Kind.DELAY);
        if (delays.isEmpty()) {
            return;
        }
        Shipment s = Shipment.findById(event.shipmentId());
        Instant now = Instant.now(clock);
        for (ShipmentException e : delays) {
            e.resolvedAt = now;
            e.resolvedBy = event.actor().label();
            s.openExceptions = Math.max(0, s.openExceptions - 1);
            shipments.record(s, event.actor(), ShipmentEvent.EXCEPTION_RESOLVED,
                    "#" + e.id + " " + customerWord(e.kind) + ": over, the shipment was delivered",
                    Visibility.INTERNAL);
        }
    }

    /** The shipment's exceptions, newest first (at most {@value #LIST_LIMIT}); empty for no such shipment. */
    @Transactional
    public List<ExceptionView> list(long organizationId, long shipmentId) {
        return newest(organizationId, shipmentId, "", LIST_LIMIT);
    }

    /**
     * The shipment's open exceptions, newest first (at most {@value #OPEN_LIMIT}, for the shipment's own JSON); empty
     * for no such shipment.
     */
    @Transactional
    public List<ExceptionView> open(long organizationId, long shipmentId) {
        return newest(organizationId, shipmentId, " and resolvedAt is null", OPEN_LIMIT);
    }

    private static List<ExceptionView> newest(long organizationId, long shipmentId, String condition, int limit) {
        return Shipments
                .live(organizationId, shipmentId).map(
                        s -> ShipmentException
                                .<ShipmentException> find(
                                        "shipment.id = ?1" + condition + " order by reportedAt desc, id desc", s.id)
                                .page(0, limit).list().stream().map(ShipmentExceptions::view).toList())
                .orElse(List.of());
    }

    /** A kind by name (any case, blanks trimmed), or null. */
    public static ShipmentException.Kind parseKind(String kind) {
        if (kind == null || kind.isBlank()) {
            return null;
        }
        try {
            return ShipmentException.Kind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The neutral word the customer's timeline shows for a kind. */
    static String customerWord(ShipmentException.Kind kind) {
        return switch (kind) {
        case DELAY -> "Delayed";
        case DAMAGE -> "Damage reported";
        case REFUSED -> "Delivery refused";
        case OTHER -> "Problem reported";
        };
    }

    private static ExceptionView view(ShipmentException e) {
        return new ExceptionView(e.id, e.kind, e.note, e.reportedAt, e.actorType, e.actorLabel, e.resolvedAt,
                e.resolvedBy);
    }
}
