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
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;

/**
 * Notices lateness that no event announces: a delivery window (plus threshold) that passes while no new position or ETA
 * arrives. Every {@code portlink.delays.every} (default 5 minutes), on one replica at a time ({@link Nonconcurrent}),
 * it asks {@link DelayAlerts#recheck} about each open shipment (not delivered, not deleted, below level 2) whose
 * delivery window has ended, in batches of {@value #BATCH} in id order, each shipment in its own transaction. The cost
 * follows the open shipments past their window, not the size of the shipment table.
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
            long after = 0;
            List<Long> batch;
            do {
                if (stop.requested()) {
                    break; // the next run (here or on another replica) goes on
                }
                batch = self.candidates(now, after);
                for (long id : batch) {
                    try {
                        delays.recheck(id);
                    } catch (RuntimeException e) {
                        // one shipment's failure must not stop the others; the next run asks again
                        LOG.errorf(e, "lateness check of shipment #%d failed", id);
                    }
                    checked++;
                    after = id;
                }
            } while (batch.size() == BATCH);
            return new Run(true, checked);
        }
    }

    /** Open shipments (id order, after {@code after}) whose delivery window ended before {@code now}. */
    @Transactional
    @SuppressWarnings("unchecked")
    List<Long> candidates(Instant now, long after) {
        return ((List<Number>) Shipment.getEntityManager().createNativeQuery("""
                select s.id from shipment s
                where s.delivered_at is null and s.deleted_at is null and s.late_level < 2 and s.id > ?1
                  and exists (select 1 from shipment_stop st where st.shipment_id = s.id and st.kind = 'DELIVERY'
                              and st.window_to < ?2)
                order by s.id""").setParameter(1, after).setParameter(2, now).setMaxResults(BATCH).getResultList())
                .stream().map(Number::longValue).toList();
    }
}
