package io.portlink.shipment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.Paging;

/**
 * The staff's shipment queue: live shipments that need a look, in buckets, each counted and paged with its own indexed
 * query (never a whole table). "Today" is the organisation's calendar day in its time zone.
 */
@ApplicationScoped
public class ShipmentQueue {

    /** Hours without a position before a shipment is in {@link Bucket#NO_POSITION}, unless the organisation says. */
    public static final int DEFAULT_NO_POSITION_HOURS = 4;

    @Inject
    Clock clock;

    @Inject
    Shipments shipments;

    /** The buckets, in the order the page shows them. A shipment can be in several. */
    public enum Bucket {
        LATE("Late", "The current ETA is past the end of the delivery window plus the delay threshold (the"
                + " customer's, else the organisation's). Level 2: more than 24 hours past that. Not delivered."),
        EXCEPTION("Exception", "A problem (delay, damage, refused, other) is reported and not yet resolved."),
        NO_POSITION("No position",
                "Not delivered, and no new position for the organisation's number of hours:"
                        + " positions stopped coming, or it is in transit or out for delivery and never sent one."),
        OUT_FOR_DELIVERY("Out for delivery",
                "In an out-for-delivery stage now and not yet delivered (one still"
                        + " out from an earlier day stays listed)."),
        DELIVERED_TODAY("Delivered today", "Reached a delivered stage today, in the organisation's time zone."),
        NEVER_OPENED("Link never opened", "Has an active tracking link that no person has opened yet (mail"
                + " scanners and previews do not count).");

        public final String label;
        public final String explanation;

        Bucket(String label, String explanation) {
            this.label = label;
            this.explanation = explanation;
        }
    }

    /**
     * One listed shipment; instants in UTC. {@code etaDate}: the ETA's date when staff gave a date without a time (show
     * it alone, not the stored end of day), else null. {@code eta}, {@code lastPosition} and {@code delivered} are
     * those times as the shipment's page and alert mails write them ({@link ShipmentTimes}: the shipment's delivery
     * stop's zone, named), "" when unknown.
     */
    public record Row(long id, String reference, String title, String customerName, String stageName,
            Milestone milestone, Instant currentEta, java.time.LocalDate etaDate, int lateLevel, Instant lateSince,
            int openExceptions, Instant lastPositionAt, Instant deliveredAt, String eta, String lastPosition,
            String delivered) {
    }

    /** One page of a bucket; {@code total} counts every shipment in it. */
    public record Page(Bucket bucket, List<Row> rows, long total, int page, int size) {

        public boolean hasNext() {
            return (long) (page + 1) * size < total;
        }

        public boolean hasPrevious() {
            return page > 0;
        }
    }

    /** How many shipments each bucket holds, in page order. */
    @Transactional
    public Map<Bucket, Long> counts(long organizationId) {
        Map<Bucket, Long> counts = new LinkedHashMap<>();
        for (Bucket b : Bucket.values()) {
            if (b == Bucket.NEVER_OPENED) {
                counts.put(b,
                        shipments.page(organizationId,
                                new Shipments.Filter(null, null, null, Shipments.LinkState.NEVER_OPENED),
                                new Paging(0, 1)).total());
            } else {
                Query q = query(organizationId, b);
                counts.put(b, Shipment.count("from Shipment s where " + q.where, q.params));
            }
        }
        return counts;
    }

    /** One page of a bucket, in the bucket's order (most urgent first). */
    @Transactional
    public Page page(long organizationId, Bucket bucket, Paging paging) {
        if (bucket == Bucket.NEVER_OPENED) {
            Shipments.Page p = shipments.page(organizationId,
                    new Shipments.Filter(null, null, null, Shipments.LinkState.NEVER_OPENED), paging);
            List<Long> ids = p.rows().stream().map(Shipments.Row::id).toList();
            Map<Long, Shipment> byId = new HashMap<>();
            if (!ids.isEmpty()) {
                Shipment.<Shipment> list("select s from Shipment s join fetch s.stage where s.id in ?1", ids)
                        .forEach(s -> byId.put(s.id, s));
            }
            return new Page(bucket, rows(organizationId, ids.stream().map(byId::get).toList()), p.total(), p.page(),
                    p.size());
        }
        Query q = query(organizationId, bucket);
        long total = Shipment.count("from Shipment s where " + q.where, q.params);
        List<Shipment> found = Shipment.<Shipment> find(
                "select s from Shipment s join fetch s.stage where " + q.where + " order by " + q.order, q.params)
                .range(paging.offset(), paging.offset() + paging.size() - 1).list();
        return new Page(bucket, rows(organizationId, found), total, paging.page(), paging.size());
    }

    private record Query(String where, Map<String, Object> params, String order) {
    }

    private Query query(long organizationId, Bucket bucket) {
        Map<String, Object> params = new HashMap<>();
        params.put("org", organizationId);
        String live = "s.organization.id = :org and s.deletedAt is null";
        Instant now = Instant.now(clock);
        return switch (bucket) {
        case LATE -> new Query(live + " and s.lateLevel > 0 and s.deliveredAt is null", params,
                "s.lateLevel desc, s.lateSince, s.id");
        case EXCEPTION -> new Query(live + " and s.openExceptions > 0", params, "s.updatedAt desc, s.id desc");
        case NO_POSITION -> {
            int hours = ShipmentSettings.of(organizationId).noPositionHours;
            params.put("cutoff", now.minus(Duration.ofHours(hours)));
            params.put("moving", List.of(Milestone.IN_TRANSIT, Milestone.OUT_FOR_DELIVERY));
            yield new Query(
                    live + " and s.deliveredAt is null and (s.lastPositionAt < :cutoff"
                            + " or (s.lastPositionAt is null and s.stage.milestone in :moving))",
                    params, "s.lastPositionAt asc nulls last, s.id");
        }
        case OUT_FOR_DELIVERY -> {
            params.put("out", Milestone.OUT_FOR_DELIVERY);
            yield new Query(live + " and s.deliveredAt is null and s.stage.milestone = :out", params,
                    "s.stageChangedAt, s.id");
        }
        case DELIVERED_TODAY -> {
            ZoneId zone = Organization.<Organization> findById(organizationId).format().zone();
            LocalDate today = LocalDate.now(clock.withZone(zone));
            params.put("from", today.atStartOfDay(zone).toInstant());
            params.put("to", today.plusDays(1).atStartOfDay(zone).toInstant());
            yield new Query(live + " and s.deliveredAt >= :from and s.deliveredAt < :to", params,
                    "s.deliveredAt desc, s.id desc");
        }
        case NEVER_OPENED -> throw new IllegalArgumentException("served by Shipments.page");
        };
    }

    /** The page's rows, each shipment's times in its own delivery stop's zone (one query for the page's stops). */
    private static List<Row> rows(long organizationId, List<Shipment> found) {
        if (found.isEmpty()) {
            return List.of();
        }
        Organization org = Organization.findById(organizationId);
        Map<Long, ShipmentStop> deliveries = new HashMap<>();
        ShipmentStop.<ShipmentStop> list("shipment.id in ?1 and kind = ?2", found.stream().map(s -> s.id).toList(),
                ShipmentStop.Kind.DELIVERY).forEach(st -> deliveries.put(st.shipment.id, st));
        List<Row> rows = new ArrayList<>();
        for (Shipment s : found) {
            ShipmentTimes times = ShipmentTimes.of(deliveries.get(s.id), org.timeZone, org.format());
            String eta = times.eta(s);
            rows.add(new Row(s.id, s.reference, s.title, s.customerName, s.stage.name, s.stage.milestone, s.currentEta,
                    s.etaDateOnly ? s.estimatedArrival : null, s.lateLevel, s.lateSince, s.openExceptions,
                    s.lastPositionAt, s.deliveredAt, eta == null ? "" : eta, times.at(s.lastPositionAt),
                    times.at(s.deliveredAt)));
        }
        return rows;
    }
}
