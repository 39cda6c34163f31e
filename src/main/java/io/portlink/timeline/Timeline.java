package io.portlink.timeline;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one writer and reader of timelines, for every subject (purchase orders, shipments). Entries are written inside
 * the transaction that made the change, so a change and its entry exist together or not at all. A feature names its
 * kinds with its own enum; the constant's name is stored.
 */
@ApplicationScoped
public class Timeline {

    /** An entry as pages show it, newest first. {@code kind} is the feature's enum constant name. */
    public record Entry(long id, Instant at, Actor.Type actorType, String actor, String kind, String detail,
            Visibility visibility) {
    }

    static final int LABEL_MAX = TimelineEntry.ACTOR_LABEL_LENGTH;
    static final int DETAIL_MAX = TimelineEntry.DETAIL_LENGTH;

    @Inject
    Clock clock;

    /**
     * Appends an entry at the clock's now. The actor's label is cut to 400 characters and the detail to 2000 (the
     * columns' sizes), so a long user text never fails the change it describes.
     */
    public TimelineEntry record(Subject subject, Actor actor, Enum<?> kind, String detail, Visibility visibility) {
        TimelineEntry entry = new TimelineEntry();
        entry.organizationId = subject.organizationId();
        entry.purchaseOrderId = subject.purchaseOrderId();
        entry.shipmentId = subject.shipmentId();
        entry.salesOrderId = subject.salesOrderId();
        entry.dropshipmentId = subject.dropshipmentId();
        entry.at = Instant.now(clock);
        entry.actorType = actor.type();
        entry.actorId = actor.id();
        entry.actorLabel = label(actor.label());
        entry.kind = kind.name();
        entry.detail = detail(detail);
        entry.visibility = visibility;
        entry.persist();
        return entry;
    }

    /** An actor's label as an entry stores it: at most 400 characters (the column's size). */
    public static String label(String label) {
        return label.length() > LABEL_MAX ? label.substring(0, LABEL_MAX) : label;
    }

    /** A detail as an entry stores it (null stays null): at most 2,000 characters (the column's size). */
    public static String detail(String detail) {
        return detail == null || detail.length() <= DETAIL_MAX ? detail : detail.substring(0, DETAIL_MAX);
    }

    /**
     * The newest {@code limit} entries of a subject, newest first; with {@code customerOnly} only those a customer may
     * see. Served by the (subject, at) indexes.
     */
    public List<Entry> latest(Subject subject, boolean customerOnly, int limit) {
        String subjectColumn = subject.column();
        long subjectId = subject.id();
        var entries = customerOnly
                ? TimelineEntry.<TimelineEntry> find(
                        subjectColumn + " = ?1 and organizationId = ?2 and visibility = ?3 order by at desc, id desc",
                        subjectId, subject.organizationId(), Visibility.CUSTOMER)
                : TimelineEntry.<TimelineEntry> find(
                        subjectColumn + " = ?1 and organizationId = ?2 order by at desc, id desc", subjectId,
                        subject.organizationId());
        return entries.page(0, limit).list().stream().map(Timeline::entry).toList();
    }

    /**
     * The newest entry of one kind on a subject (e.g. when and by whom an order was cancelled); empty when it has none.
     */
    public java.util.Optional<Entry> latestOf(Subject subject, Enum<?> kind) {
        return TimelineEntry.<TimelineEntry> find(
                subject.column() + " = ?1 and organizationId = ?2 and kind = ?3 order by at desc, id desc",
                subject.id(), subject.organizationId(), kind.name()).firstResultOptional().map(Timeline::entry);
    }

    private static Entry entry(TimelineEntry e) {
        return new Entry(e.id, e.at, e.actorType, e.actorLabel, e.kind, e.detail, e.visibility);
    }
}
