package io.portlink.link;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.portlink.platform.PortlinkConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The repeat opens of links, counted in this replica's memory and added to their rows in batches: every
 * {@code portlink.link.open-flush-every} (default 5 s, a timer of this replica, not a cluster job: each replica writes
 * what it counted) and once more when the service stops. A link's first person open and first machine fetch are written
 * at once by {@link Links} (they decide the "Never opened" bucket and the order's first open); only the later ones wait
 * here, so a page view costs no write.
 * <p>
 * Every replica adds its own increments ({@code open_count = open_count + n}, {@code last_opened_at} only moves
 * forward), so replicas never overwrite or double each other's counts. A flush that fails puts its counts back for the
 * next one. What a replica that dies without stopping had not flushed yet (at most one interval of repeat opens) is
 * lost: telemetry, not business state. Readers add this replica's pending counts ({@link #pending}), so a single
 * replica shows exact numbers and several replicas are at most one interval behind each other.
 */
@ApplicationScoped
public class OpenCounts {

    private static final Logger LOG = Logger.getLogger(OpenCounts.class);

    /** Links whose counts one statement batch writes. */
    static final int BATCH = 500;

    static final String PEOPLE_SQL = "update access_link set open_count = open_count + ?, last_opened_at = case when"
            + " last_opened_at is null or last_opened_at < ? then ? else last_opened_at end where id = ?";

    static final String BOTS_SQL = "update access_link set bot_open_count = bot_open_count + ?, last_bot_open_at ="
            + " case when last_bot_open_at is null or last_bot_open_at < ? then ? else last_bot_open_at end where id = ?";

    /**
     * Opens of one link not written yet: people's and machines' counts, each with its latest moment (null when none).
     */
    public record Pending(int people, Instant lastOpenedAt, int bots, Instant lastBotOpenAt) {

        static final Pending NONE = new Pending(0, null, 0, null);

        Pending plus(Pending other) {
            return new Pending(people + other.people, later(lastOpenedAt, other.lastOpenedAt), bots + other.bots,
                    later(lastBotOpenAt, other.lastBotOpenAt));
        }

        /** The stored moment, or the pending one when it is later. */
        public static Instant later(Instant a, Instant b) {
            return a == null ? b : b == null || !b.isAfter(a) ? a : b;
        }
    }

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    @Inject
    DataSource dataSource;

    @Inject
    PortlinkConfig config;

    private ScheduledExecutorService timer;

    /** Counts a person's repeat open of a link at {@code at} (written by the next flush). */
    public void person(long linkId, Instant at) {
        pending.merge(linkId, new Pending(1, at, 0, null), Pending::plus);
    }

    /** Counts a machine's repeat fetch of a link at {@code at} (written by the next flush). */
    public void bot(long linkId, Instant at) {
        pending.merge(linkId, new Pending(0, null, 1, at), Pending::plus);
    }

    /** This replica's counts of a link not written yet ({@link Pending#NONE}: none). */
    public Pending pending(long linkId) {
        return pending.getOrDefault(linkId, Pending.NONE);
    }

    /** How many links have counts waiting. */
    public int waiting() {
        return pending.size();
    }

    /**
     * Writes every pending count, in batches of {@value #BATCH} links, each batch one transaction. Safe at any moment
     * and from several threads or replicas: a link's counts are taken out of the map atomically before they are
     * written, and put back (added to what came meanwhile) when their batch fails. Returns the links written.
     */
    public int flush() {
        int written = 0;
        List<Long> ids = new ArrayList<>(pending.keySet());
        for (int from = 0; from < ids.size(); from += BATCH) {
            Map<Long, Pending> batch = new java.util.LinkedHashMap<>();
            for (Long id : ids.subList(from, Math.min(ids.size(), from + BATCH))) {
                Pending p = pending.remove(id);
                if (p != null) {
                    batch.put(id, p);
                }
            }
            try {
                write(batch);
                written += batch.size();
            } catch (SQLException | RuntimeException e) {
                batch.forEach((id, p) -> pending.merge(id, p, Pending::plus));
                LOG.warnf("link open counts of %d link(s) not written, kept for the next flush: %s", batch.size(),
                        e.getMessage());
                break;
            }
        }
        return written;
    }

    private void write(Map<Long, Pending> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement people = connection.prepareStatement(PEOPLE_SQL);
                    PreparedStatement bots = connection.prepareStatement(BOTS_SQL)) {
                // in id order, so that two replicas' batches lock the rows in the same order
                for (var e : new java.util.TreeMap<>(batch).entrySet()) {
                    Pending p = e.getValue();
                    if (p.people() > 0) {
                        add(people, p.people(), p.lastOpenedAt(), e.getKey());
                    }
                    if (p.bots() > 0) {
                        add(bots, p.bots(), p.lastBotOpenAt(), e.getKey());
                    }
                }
                people.executeBatch();
                bots.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static void add(PreparedStatement statement, int count, Instant at, long id) throws SQLException {
        OffsetDateTime moment = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        statement.setInt(1, count);
        statement.setObject(2, moment);
        statement.setObject(3, moment);
        statement.setLong(4, id);
        statement.addBatch();
    }

    void onStart(@Observes StartupEvent event) {
        Duration every = config.link().openFlushEvery();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "link-open-counts");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::flushQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("link open counts: flush failed: %s", e.getMessage());
        }
    }

    /** The last flush, before the datasource goes away: a stopping replica loses no count. */
    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdown();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int links = flush();
        if (!pending.isEmpty()) {
            LOG.warnf("stopping with the open counts of %d link(s) unwritten", pending.size());
        } else if (links > 0) {
            LOG.debugf("stopping: open counts of %d link(s) written", links);
        }
    }
}
