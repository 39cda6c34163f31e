package io.portlink.dropship;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.organization.Organization;
import io.portlink.platform.GracefulStop;
import io.portlink.platform.SqlTimestamps;
import io.portlink.platform.ValidationException;

/**
 * The merchant's dropship sync: its interval (data, not a cron string: {@link DropshipSettings}), the scheduler's pass
 * over the merchants that are due, and "Sync now". A run (see {@link SyncSteps}) sends the merchant's routed
 * dropshipments to their suppliers, writes the suppliers' changed available on hand into the merchant's supplier
 * warehouses, and records a {@link SyncRun}. One merchant never runs twice at once: a run holds its settings row
 * ({@code FOR UPDATE SKIP LOCKED}) from start to end, so a second replica's pass skips it and "Sync now" answers that a
 * run is in progress. A failing merchant is recorded and the pass goes on with the others.
 */
@ApplicationScoped
public class Sync {

    private static final Logger LOG = Logger.getLogger(Sync.class);
    /** Due merchants read per query of a pass. */
    static final int DUE_BATCH = 100;

    @Inject
    Clock clock;

    @Inject
    Sync self;

    @Inject
    SyncSteps steps;

    @Inject
    GracefulStop stop;

    @Inject
    io.portlink.platform.PortlinkConfig config;

    /**
     * "Sync now" runs under way in this replica. Each holds two of the pool's connections for its whole length (the
     * merchant's lease and the step's own transaction): without a cap, as many merchants pressing it at once as the
     * pool has connections each held one and waited for a second, and every run failed on the pool's timeout.
     */
    private java.util.concurrent.Semaphore manualRuns;

    @jakarta.annotation.PostConstruct
    void init() {
        manualRuns = new java.util.concurrent.Semaphore(config.dropship().manualRuns());
    }

    /** For tests: the permits of {@link #runNow}. */
    java.util.concurrent.Semaphore manualRuns() {
        return manualRuns;
    }

    /** What one pass did: merchants due, runs that ran, runs that failed outright (recorded as FAILED). */
    public record Pass(int due, int ran, int failed) {
    }

    /**
     * The answer to "Sync now": the finished run; or empty when a run of the merchant is in progress, or when the
     * replica runs as many as {@code portlink.dropship.manual-runs} already ({@code saturated}: nothing was started).
     */
    public record Manual(Optional<SyncHealth.RunView> run, boolean saturated) {
        public boolean inProgress() {
            return !saturated && run.isEmpty();
        }
    }

    /**
     * The scheduler's pass: every merchant whose {@code next_sync_at} has come (by the injected clock), in batches of
     * {@value #DUE_BATCH} in (next_sync_at, id) order, each run in transactions of its own. Merchants with an active
     * supplier and no settings yet get them first (hourly, due now). Stops between merchants when the service stops.
     */
    public Pass runDue() {
        Instant now = Instant.now(clock);
        try {
            self.adopt(now);
        } catch (RuntimeException e) {
            // two replicas adopting the same merchant at once: the other one's row stands
            LOG.debugf(e, "adopting merchants failed; the next pass tries again");
        }
        int due = 0;
        int ran = 0;
        int failed = 0;
        Instant afterAt = Instant.EPOCH;
        long afterId = Long.MIN_VALUE;
        try (GracefulStop.Job job = stop.begin()) {
            List<Object[]> batch;
            do {
                batch = self.due(now, afterAt, afterId);
                for (Object[] row : batch) {
                    if (stop.requested()) {
                        return new Pass(due, ran, failed);
                    }
                    long merchantId = ((Number) row[0]).longValue();
                    afterAt = (Instant) row[1];
                    afterId = merchantId;
                    due++;
                    try {
                        if (steps.run(merchantId, SyncRun.StartedBy.SCHEDULE, true).isPresent()) {
                            ran++;
                        }
                    } catch (RuntimeException e) {
                        failed++;
                        steps.recordCrash(merchantId, SyncRun.StartedBy.SCHEDULE, now, e);
                    }
                }
            } while (batch.size() == DUE_BATCH);
        }
        return new Pass(due, ran, failed);
    }

    /**
     * "Sync now" for a merchant: runs at once whatever its interval (and moves its next scheduled run one interval on).
     * Empty when a run of the merchant is in progress (here or on another replica): no second run starts; saturated
     * when this replica runs {@code portlink.dropship.manual-runs} of them already (nothing starts).
     */
    public Manual runNow(long merchantId) {
        if (!manualRuns.tryAcquire()) {
            // the replica is full; when one of those runs is this merchant's own, say "in progress" (what the person
            // can wait for), not "busy"
            return new Manual(Optional.empty(), !self.running(merchantId));
        }
        try {
            self.ensure(merchantId);
            Instant start = Instant.now(clock);
            try {
                return new Manual(steps.run(merchantId, SyncRun.StartedBy.MANUAL, false).map(SyncHealth::view), false);
            } catch (RuntimeException e) {
                return new Manual(
                        Optional.of(SyncHealth.view(steps.recordCrash(merchantId, SyncRun.StartedBy.MANUAL, start, e))),
                        false);
            }
        } finally {
            manualRuns.release();
        }
    }

    /**
     * Sets the merchant's interval in minutes (one of {@link DropshipSettings#INTERVALS}) and recomputes its next run:
     * one new interval after the last run (or from now, when it never ran), and at once when that moment has passed.
     *
     * @throws ValidationException
     *             {@code interval} naming what was typed and the choices
     */
    @Transactional
    public void setInterval(long merchantId, String minutes) {
        int value = parseInterval(minutes);
        self.ensure(merchantId);
        // locked as read: a run under way holds the row and writes its times when it ends; read before that, they
        // would be written back stale with the interval (the last run shown as the one before, a run due at once)
        DropshipSettings s = DropshipSettings.findById(merchantId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        Instant now = Instant.now(clock);
        s.syncIntervalMinutes = value;
        Instant next = (s.lastSyncAt == null ? now : s.lastSyncAt).plus(s.interval());
        s.nextSyncAt = next.isBefore(now) ? now : next;
    }

    static int parseInterval(String minutes) {
        String v = minutes == null ? "" : minutes.strip();
        if (v.matches("[0-9]{1,4}") && DropshipSettings.INTERVALS.contains(Integer.parseInt(v))) {
            return Integer.parseInt(v);
        }
        throw ValidationException.of("interval",
                "must be one of 10 (every 10 minutes), 60 (hourly), 360 (every 6 hours) or 1440 (daily)", v);
    }

    /**
     * Whether a run of the merchant holds its settings row now (here or on another replica): the row exists and
     * {@code SKIP LOCKED} passes it over. Takes no lock that outlives the call.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean running(long merchantId) {
        var em = DropshipSettings.getEntityManager();
        boolean exists = DropshipSettings.findById(merchantId) != null;
        return exists && em.createNativeQuery(
                "select organization_id from dropship_settings where organization_id = ?1 for update skip locked")
                .setParameter(1, merchantId).getResultList().isEmpty();
    }

    /** Creates the merchant's settings row (hourly, due now) unless it exists. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void ensure(long merchantId) {
        if (DropshipSettings.findById(merchantId) != null) {
            return;
        }
        // two first runs at once: the second waits here, then inserts nothing (not a primary key error)
        Organization.lockForCreating(merchantId);
        DropshipSettings.getEntityManager()
                .createNativeQuery(
                        """
                                insert into dropship_settings (organization_id, sync_interval_minutes, next_sync_at, version)
                                select o.id, cast(?2 as integer), cast(?3 as timestamp with time zone), 0 from organization o where o.id = ?1
                                  and not exists (select 1 from dropship_settings s where s.organization_id = o.id)""")
                .setParameter(1, merchantId).setParameter(2, DropshipSettings.DEFAULT_INTERVAL)
                .setParameter(3, Instant.now(clock)).executeUpdate();
    }

    /**
     * Settings rows (hourly, due now) for merchants with an active supplier and none yet, and a next run (now) for rows
     * without one.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void adopt(Instant now) {
        DropshipSettings.getEntityManager().createNativeQuery("""
                insert into dropship_settings (organization_id, sync_interval_minutes, next_sync_at, version)
                select distinct c.merchant_id, cast(?1 as integer), cast(?2 as timestamp with time zone), 0
                from dropship_connection c
                where c.status = 'ACTIVE'
                  and not exists (select 1 from dropship_settings s where s.organization_id = c.merchant_id)""")
                .setParameter(1, DropshipSettings.DEFAULT_INTERVAL).setParameter(2, now).executeUpdate();
        // rows written before every row got a next run: due now, or the scheduler would never take them
        DropshipSettings.getEntityManager().createNativeQuery(
                "update dropship_settings set next_sync_at = ?1, version = version + 1 where next_sync_at is null")
                .setParameter(1, now).executeUpdate();
    }

    /** Due merchants (id, next_sync_at) after the given position, on the {@code next_sync_at} index. */
    @Transactional
    @SuppressWarnings("unchecked")
    List<Object[]> due(Instant now, Instant afterAt, long afterId) {
        return DropshipSettings.getEntityManager().createNativeQuery("""
                select organization_id, next_sync_at from dropship_settings
                where next_sync_at <= ?1 and (next_sync_at > ?2 or (next_sync_at = ?2 and organization_id > ?3))
                order by next_sync_at, organization_id""", Object[].class).setParameter(1, now).setParameter(2, afterAt)
                .setParameter(3, afterId).setMaxResults(DUE_BATCH).getResultList().stream()
                .map(r -> new Object[] { ((Object[]) r)[0], SqlTimestamps.instant(((Object[]) r)[1]) }).toList();
    }
}
