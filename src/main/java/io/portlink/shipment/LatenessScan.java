package io.portlink.shipment;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.platform.GracefulStop;
import io.portlink.platform.JobRuns;
import io.portlink.platform.SqlTimestamps;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;

/**
 * Notices lateness that no event announces: a delivery window (plus threshold) that passes while no new position or ETA
 * arrives. Every {@code portlink.delays.every} (default 5 minutes), on one replica at a time ({@link Nonconcurrent}),
 * it asks {@link DelayAlerts#recheck} about each open shipment (not delivered, not deleted, below level 2) whose
 * delivery window has ended ({@link Shipment#deliveryDueAt} before now), in batches of {@value #BATCH} in (window end,
 * id) order, each shipment in its own transaction. Each batch is one range of {@code shipment_lateness_due_ix} (V78),
 * which on PostgreSQL holds only such open shipments: the cost follows the open shipments past their window, not the
 * number of shipments, open shipments or stops.
 */
@ApplicationScoped
public class LatenessScan {

    private static final Logger LOG = Logger.getLogger(LatenessScan.class);
    static final int BATCH = 100;

    @Inject
    Clock clock;

    @Inject
    GracefulStop stop;

    @Inject
    DelayAlerts delays;

    @Inject
    LatenessScan self;

    /** What a run did: whether it ran (not once the service is stopping), and how many shipments it looked at. */
    public record Run(boolean ran, int checked) {
    }

    @Scheduled(identity = "lateness", every = "{portlink.delays.every}", delayed = "45s")
    @Nonconcurrent
    void scheduled() {
        JobRuns.count("checked", runOnce().checked());
    }

    /** One pass over the candidates; stops between two shipments when the service is stopping. */
    public Run runOnce() {
        try (GracefulStop.Job job = stop.begin()) {
            if (stop.requested()) {
                return new Run(false, 0);
            }
            Instant now = Instant.now(clock);
            int checked = 0;
            Instant afterDue = Instant.EPOCH;
            long afterId = 0;
            List<Object[]> batch;
            do {
                if (stop.requested()) {
                    break; // the next run (here or on another replica) goes on
                }
                batch = self.candidates(now, afterDue, afterId);
                for (Object[] row : batch) {
                    long id = ((Number) row[0]).longValue();
                    try {
                        delays.recheck(id);
                    } catch (RuntimeException e) {
                        // one shipment's failure must not stop the others; the next run asks again
                        LOG.errorf(e, "lateness check of shipment #%d failed", id);
                    }
                    checked++;
                    afterDue = (Instant) row[1];
                    afterId = id;
                }
            } while (batch.size() == BATCH);
            return new Run(true, checked);
        }
    }

    /**
     * The candidates' query: open shipments below level 2 whose delivery window ended before {@code ?1}, after
     * ({@code ?2}, {@code ?3}) in (window end, id) order. Its conditions are those of
     * {@code shipment_lateness_due_ix}'s (V78), so that PostgreSQL reads that index's range and nothing else
     * ({@code LatenessScanPlanTest}).
     */
    static final String CANDIDATES_SQL = """
            select s.id, s.delivery_due_at from shipment s
            where s.delivered_at is null and s.deleted_at is null and s.late_level < 2 and s.delivery_due_at < ?1
              and (s.delivery_due_at > ?2 or s.delivery_due_at = ?2 and s.id > ?3)
            order by s.delivery_due_at, s.id""";

    /** {@link #CANDIDATES_SQL}: rows of (id, window end), at most {@value #BATCH}. */
    @Transactional
    List<Object[]> candidates(Instant now, Instant afterDue, long afterId) {
        List<?> rows = Shipment.getEntityManager().createNativeQuery(CANDIDATES_SQL, Object[].class)
                .setParameter(1, now).setParameter(2, afterDue).setParameter(3, afterId).setMaxResults(BATCH)
                .getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new Object[] { r[0], SqlTimestamps.instant(r[1]) })
                .toList();
    }
}
