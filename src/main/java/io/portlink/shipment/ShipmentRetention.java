package io.portlink.shipment;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.organization.Organization;
import io.portlink.platform.GracefulStop;
import io.portlink.platform.JobRuns;
import io.portlink.platform.SqlTimestamps;
import io.portlink.timeline.Visibility;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;

/**
 * The retention job of delivered shipments (every {@code portlink.retention.every}, default 1 hour): once a shipment
 * was delivered more than the organisation's {@link ShipmentSettings#imageDaysAfterDelivery} days ago, its gallery
 * photos and its proof of delivery's photos and signature are deleted (the proof keeps receiver, note and time, and
 * says when and under which policy its images went); after {@link ShipmentSettings#positionDaysAfterDelivery} days its
 * position history (where the driver was) is deleted and its last position forgotten. Null days keep them.
 * <p>
 * Days count in the organisation's calendar: a shipment delivered on day D (its time zone) keeps them through day D + N
 * and loses them on the first run of day D + N + 1. The link ends after delivery are {@link ShipmentLinkEnds}'.
 * <p>
 * Each shipment is marked when done ({@code images_removed_at}, {@code positions_removed_at}, V67) by a conditional
 * update that is the guard: a second run, or a replica running the same slot, finds it marked and writes nothing. The
 * due shipments of one organisation come from a partial index of the unmarked delivered ones by delivery time (V68), in
 * batches of {@value #BATCH}, each batch one transaction; the run stops between batches when the service is stopping.
 * One internal timeline entry per shipment that lost something.
 */
@ApplicationScoped
public class ShipmentRetention {

    private static final Logger LOG = Logger.getLogger(ShipmentRetention.class);

    static final int BATCH = 500;

    /** Which of the two kinds of data a pass removes. */
    enum Kind {
        IMAGES("images_removed_at"), POSITIONS("positions_removed_at");

        final String marker;

        Kind(String marker) {
            this.marker = marker;
        }
    }

    @Inject
    Clock clock;

    @Inject
    GracefulStop stop;

    @Inject
    ShipmentRetention self;

    @Inject
    PhotoStore store;

    @Inject
    Shipments shipments;

    /**
     * What a run did: shipments whose images or positions it removed (marked), gallery photos, proof-of-delivery images
     * and positions deleted, and batches that failed (logged; the next run tries them again).
     */
    public record Run(int imageShipments, int photos, int proofImages, int positionShipments, int positions,
            int failed) {

        Run plus(Run o) {
            return new Run(imageShipments + o.imageShipments, photos + o.photos, proofImages + o.proofImages,
                    positionShipments + o.positionShipments, positions + o.positions, failed + o.failed);
        }
    }

    static final Run NONE = new Run(0, 0, 0, 0, 0, 0);

    @Scheduled(identity = "retention", every = "{portlink.retention.every}", delayed = "90s")
    @Nonconcurrent
    void scheduled() {
        Run run = runOnce();
        JobRuns.count("image-shipments", run.imageShipments());
        JobRuns.count("photos", run.photos());
        JobRuns.count("proof-images", run.proofImages());
        JobRuns.count("position-shipments", run.positionShipments());
        JobRuns.count("positions", run.positions());
        JobRuns.count("failed", run.failed());
    }

    /** One organisation's policy as the job reads it: its zone and the two day counts (null: kept). */
    record Policy(long organizationId, ZoneId zone, Integer imageDays, Integer positionDays) {
    }

    /**
     * One pass over every organisation, at the clock's now when the run starts. Stops between two batches when the
     * service is stopping (the next run goes on where this one stopped: the done shipments are marked).
     */
    public Run runOnce() {
        Instant now = Instant.now(clock);
        Run total = NONE;
        try (GracefulStop.Job job = stop.begin()) {
            for (Policy p : self.policies()) {
                for (Kind kind : Kind.values()) {
                    Integer days = kind == Kind.IMAGES ? p.imageDays() : p.positionDays();
                    if (days == null) {
                        continue;
                    }
                    Instant cutoff = cutoff(now, p.zone(), days);
                    Instant afterAt = Instant.EPOCH;
                    long afterId = 0;
                    List<Object[]> due;
                    do {
                        if (stop.requested()) {
                            return total;
                        }
                        due = self.due(kind, p.organizationId(), cutoff, afterAt, afterId);
                        if (due.isEmpty()) {
                            break;
                        }
                        List<Long> ids = due.stream().map(r -> ((Number) r[0]).longValue()).toList();
                        total = total.plus(batch(kind, ids, days, now));
                        Object[] last = due.get(due.size() - 1);
                        afterAt = SqlTimestamps.instant(last[1]);
                        afterId = ((Number) last[0]).longValue();
                    } while (due.size() == BATCH);
                }
            }
        }
        return total;
    }

    /**
     * The first instant a shipment delivered before is due: the start of day (today − days) in the organisation's zone.
     * Delivered on day D, a shipment is due from the start of day D + days + 1.
     */
    static Instant cutoff(Instant now, ZoneId zone, int days) {
        return LocalDate.ofInstant(now, zone).minusDays(days).atStartOfDay(zone).toInstant();
    }

    private Run batch(Kind kind, List<Long> ids, int days, Instant now) {
        try {
            return self.remove(kind, ids, days, now);
        } catch (RuntimeException e) {
            // one bad shipment must not hold back the others: each again on its own
            LOG.warnf(e, "retention: a batch of %d shipments failed; trying them one by one", ids.size());
        }
        Run run = NONE;
        for (long id : ids) {
            try {
                run = run.plus(self.remove(kind, List.of(id), days, now));
            } catch (RuntimeException e) {
                LOG.errorf(e, "retention: removing the %s of shipment #%d failed", kind, id);
                run = run.plus(new Run(0, 0, 0, 0, 0, 1));
            }
        }
        return run;
    }

    /** Every organisation with its zone and its days (the defaults without a settings row). */
    @Transactional
    List<Policy> policies() {
        List<Policy> out = new ArrayList<>();
        for (Organization o : Organization.<Organization> listAll()) {
            ShipmentSettings s = ShipmentSettings.of(o.id);
            out.add(new Policy(o.id, o.format().zone(), s.imageDaysAfterDelivery, s.positionDaysAfterDelivery));
        }
        return out;
    }

    /**
     * The due shipments of one kind, as the partial index of V68 serves them. Parameters: organisation, cutoff, and the
     * (delivery time, id) to go on after.
     */
    static String dueSql(Kind kind) {
        return "select id, delivered_at from shipment where organization_id = ?1 and delivered_at is not null and "
                + kind.marker + " is null and delivered_at < ?2"
                + " and (delivered_at > ?3 or (delivered_at = ?3 and id > ?4)) order by delivered_at, id";
    }

    /**
     * Up to {@value #BATCH} unmarked shipments of an organisation delivered before {@code cutoff}, after the given
     * (delivery time, id) in that order, as (id, delivered_at). Served by the partial index of V68.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    List<Object[]> due(Kind kind, long organizationId, Instant cutoff, Instant afterAt, long afterId) {
        return Shipment.getEntityManager().createNativeQuery(dueSql(kind)).setParameter(1, organizationId)
                .setParameter(2, cutoff).setParameter(3, afterAt).setParameter(4, afterId).setMaxResults(BATCH)
                .getResultList();
    }

    /**
     * Removes one kind of data of the given shipments, in one transaction: each is first marked by a conditional update
     * (the guard; an already marked one is skipped), then its data goes and an internal timeline entry says what.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Run remove(Kind kind, List<Long> ids, int days, Instant now) {
        var em = Shipment.getEntityManager();
        Run run = NONE;
        for (long id : ids) {
            int marked = em
                    .createNativeQuery("update shipment set " + kind.marker + " = ?1 where id = ?2 and " + kind.marker
                            + " is null and delivered_at is not null")
                    .setParameter(1, now).setParameter(2, id).executeUpdate();
            if (marked != 1) {
                continue;
            }
            Shipment s = Shipment.findById(id);
            em.refresh(s);
            run = run.plus(kind == Kind.IMAGES ? removeImages(s, days, now) : removePositions(s, days));
        }
        return run;
    }

    private Run removeImages(Shipment s, int days, Instant now) {
        int photos = 0;
        s.heroPhotoId = null;
        Shipment.getEntityManager().flush();
        for (ShipmentPhoto p : ShipmentPhoto.<ShipmentPhoto> list("shipment.id", s.id)) {
            TrackingLinks.unpick(p.id);
            store.delete(p.id);
            p.delete();
            photos++;
        }
        int proofImages = 0;
        ProofOfDelivery proof = ProofOfDelivery.<ProofOfDelivery> find("shipment.id", s.id).firstResult();
        if (proof != null) {
            proofImages = (int) ProofOfDeliveryImage.delete("proof.id", proof.id);
            if (proofImages > 0) {
                proof.imagesRemovedAt = now;
                proof.imagesRemovedAfterDays = days;
            }
        }
        if (photos + proofImages > 0) {
            shipments.record(s, ShipmentActor.system(), ShipmentEvent.RETENTION_IMAGES_REMOVED,
                    "Removed under the retention policy (" + days + " days after delivery): " + photos + " photo(s), "
                            + proofImages + " proof-of-delivery image(s)",
                    Visibility.INTERNAL);
        }
        return new Run(1, photos, proofImages, 0, 0, 0);
    }

    private Run removePositions(Shipment s, int days) {
        int positions = (int) ShipmentPosition.delete("shipment.id", s.id);
        boolean hadLast = s.lastPositionAt != null;
        s.lastPositionAt = null;
        s.lastLatitude = null;
        s.lastLongitude = null;
        if (positions > 0 || hadLast) {
            shipments.record(s, ShipmentActor.system(), ShipmentEvent.RETENTION_POSITIONS_REMOVED,
                    "Removed under the retention policy (" + days + " days after delivery): " + positions
                            + " position(s)",
                    Visibility.INTERNAL);
        }
        return new Run(0, 0, 0, 1, positions, 0);
    }
}
