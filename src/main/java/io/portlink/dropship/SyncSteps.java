package io.portlink.dropship;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.portlink.organization.Organization;
import io.portlink.platform.PortlinkConfig;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

/**
 * One merchant's sync run, step by step (used by {@link Sync}). The run's own transaction holds the merchant's settings
 * row for its whole length and records the {@link SyncRun} at the end; the work goes in transactions of its own (a
 * batch of dropshipments, a batch of stock changes), so what committed stays if the run dies, and the next run goes on
 * from there. Cost follows the changes: with nothing routed and nothing changed a run is a few indexed queries.
 */
@ApplicationScoped
class SyncSteps {

    private static final Logger LOG = Logger.getLogger(SyncSteps.class);
    /** Dropshipments sent per transaction. */
    static final int SEND_BATCH = 500;
    /** Tries of one write-back batch that met a change row inserted while it ran. */
    static final int WRITE_BACK_TRIES = 3;

    @Inject
    Clock clock;

    @Inject
    SyncSteps self;

    @Inject
    Timeline timeline;

    @Inject
    SyncMail mail;

    @Inject
    DropshipLocks locks;

    @Inject
    PortlinkConfig config;

    @ConfigProperty(name = "quarkus.datasource.db-kind")
    String dbKind;

    /** Counts of a run as it goes. */
    static final class Counts {
        int sent;
        int changes;
        int stock;
        int failures;
        final List<String> errors = new ArrayList<>();

        void fail(int count, String error) {
            failures += count;
            errors.add(error);
        }
    }

    /**
     * Runs the merchant now and returns its recorded run; empty when another run holds the merchant (or, with
     * {@code dueOnly}, when it is no longer due: another replica ran it meanwhile).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @TransactionConfiguration(timeout = 3600)
    Optional<SyncRun> run(long merchantId, SyncRun.StartedBy startedBy, boolean dueOnly) {
        EntityManager em = DropshipSettings.getEntityManager();
        Instant start = Instant.now(clock);
        var lock = em
                .createNativeQuery("select organization_id from dropship_settings where organization_id = ?1"
                        + (dueOnly ? " and next_sync_at <= ?2" : "") + " for update skip locked")
                .setParameter(1, merchantId);
        if (dueOnly) {
            lock.setParameter(2, start);
        }
        if (lock.getResultList().isEmpty()) {
            return Optional.empty();
        }
        int interval = ((Number) em
                .createNativeQuery("select sync_interval_minutes from dropship_settings where organization_id = ?1")
                .setParameter(1, merchantId).getSingleResult()).intValue();
        Counts counts = new Counts();
        try {
            sendRouted(merchantId, start, counts);
        } catch (RuntimeException e) {
            LOG.errorf(e, "dropship sync of merchant #%d: sending dropshipments failed", merchantId);
            counts.fail(1, "Sending dropshipments stopped: " + describe(e));
        }
        try {
            writeBack(merchantId, start, counts);
        } catch (RuntimeException e) {
            LOG.errorf(e, "dropship sync of merchant #%d: stock write-back failed", merchantId);
            counts.fail(1, "Stock write-back stopped: " + describe(e) + " (the next run goes on from there)");
        }
        Instant end = Instant.now(clock);
        SyncRun run = record(merchantId, startedBy, start, end, counts);
        em.createNativeQuery(
                "update dropship_settings set last_sync_at = ?1, next_sync_at = ?2 where organization_id = ?3")
                .setParameter(1, end).setParameter(2, start.plusSeconds(60L * interval)).setParameter(3, merchantId)
                .executeUpdate();
        return Optional.of(run);
    }

    /**
     * A run that failed outright (its transaction rolled back): records it as FAILED and moves the merchant's next run
     * one interval on, so a broken merchant does not run at every pass. Its own transaction.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    SyncRun recordCrash(long merchantId, SyncRun.StartedBy startedBy, Instant start, RuntimeException e) {
        LOG.errorf(e, "dropship sync of merchant #%d failed", merchantId);
        Counts counts = new Counts();
        counts.fail(0, "The run failed: " + describe(e));
        Instant end = Instant.now(clock);
        SyncRun run = record(merchantId, startedBy, start, end, counts);
        run.outcome = SyncRun.Outcome.FAILED;
        DropshipSettings.getEntityManager().createNativeQuery("""
                update dropship_settings set next_sync_at = ?1
                where organization_id = ?2 and next_sync_at <= ?1""")
                .setParameter(1, end.plusSeconds(60L * DropshipSettings.DEFAULT_INTERVAL)).setParameter(2, merchantId)
                .executeUpdate();
        return run;
    }

    private static SyncRun record(long merchantId, SyncRun.StartedBy startedBy, Instant start, Instant end,
            Counts counts) {
        SyncRun run = new SyncRun();
        run.merchantId = merchantId;
        run.startedBy = startedBy;
        run.startedAt = start;
        run.finishedAt = end;
        run.dropshipmentsSent = counts.sent;
        run.changesPassed = counts.changes;
        run.stockUpdated = counts.stock;
        run.failures = counts.failures;
        run.outcome = counts.errors.isEmpty() ? SyncRun.Outcome.SUCCEEDED : SyncRun.Outcome.FAILED;
        if (!counts.errors.isEmpty()) {
            String error = String.join("; ", counts.errors);
            run.error = error.length() > 2000 ? error.substring(0, 1999) + "…" : error;
        }
        run.persist();
        return run;
    }

    private static String describe(RuntimeException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    // ------------------------------------------------------------------ (a) routed dropshipments to the suppliers

    /** Sends the merchant's ROUTED dropshipments, connection by connection; a disconnected supplier's are failures. */
    @SuppressWarnings("unchecked")
    private void sendRouted(long merchantId, Instant now, Counts counts) {
        List<Object[]> perConnection = Dropshipment.getEntityManager().createQuery("""
                select d.connectionId, count(d) from Dropshipment d
                where d.merchantId = ?1 and d.status = ?2 group by d.connectionId order by d.connectionId""")
                .setParameter(1, merchantId).setParameter(2, Dropshipment.Status.ROUTED).getResultList();
        for (Object[] row : perConnection) {
            long connectionId = (Long) row[0];
            int waiting = ((Number) row[1]).intValue();
            DropshipConnection c = DropshipConnection.findById(connectionId);
            if (c.status != DropshipConnection.Status.ACTIVE) {
                counts.fail(waiting,
                        waiting + (waiting == 1 ? " dropshipment" : " dropshipments") + " for " + c.supplierName
                                + " not sent: the connection is " + c.status.name().toLowerCase()
                                + " (reconnect the supplier, or cancel or reroute the orders)");
                continue;
            }
            // what committed batches sent: counted and announced even when a later batch fails
            int sent = 0;
            List<String> listed = List.of();
            try {
                Sent got;
                do {
                    got = self.sendBatch(merchantId, connectionId, now, sent, listed);
                    sent += got.sent();
                    listed = got.listed();
                } while (got.found() == SEND_BATCH);
            } catch (RuntimeException e) {
                LOG.errorf(e, "dropship sync of merchant #%d: sending to connection #%d failed", merchantId,
                        connectionId);
                counts.fail(1, "Dropshipments for " + c.supplierName + " not all sent: " + describe(e));
                if (sent > 0) {
                    announce(merchantId, c, sent, listed);
                }
            }
            counts.sent += sent;
        }
    }

    /**
     * The supplier's mail for the batches that committed before a later one failed (the last batch queues it otherwise,
     * in its own transaction). A failure here is logged: the dropshipments are sent and on the supplier's list whatever
     * happens to the mail.
     */
    private void announce(long merchantId, DropshipConnection c, int sent, List<String> listed) {
        try {
            self.queueNewOrders(merchantId, c.supplierId, sent, listed);
        } catch (RuntimeException e) {
            LOG.errorf(e, "dropship sync of merchant #%d: the mail of %d dropshipments sent to supplier #%d failed",
                    merchantId, sent, c.supplierId);
        }
    }

    /** Queues the supplier's "new dropship orders" mail in a transaction of its own. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void queueNewOrders(long merchantId, long supplierId, int sent, List<String> listed) {
        mail.queueNewOrders(supplierId, Organization.<Organization> findById(merchantId).name, sent, listed);
    }

    /**
     * What one send batch did: routed dropshipments it found, how many it sent, and the references the run's mail lists
     * so far (at most {@link SyncMail#LISTED}, this batch's after the earlier ones').
     */
    record Sent(int found, int sent, List<String> listed) {
    }

    /**
     * Sends up to {@value #SEND_BATCH} routed dropshipments of one connection (status OPEN, sent now, a line on the
     * supplier's dropshipment timeline and on the merchant's sales order); the batch that ends the connection's list
     * also queues the supplier's mail for everything this run sent it. Its own transaction. Fewer are sent than found
     * when the merchant cancelled one meanwhile.
     *
     * @param sentBefore
     *            dropshipments the run's earlier batches sent to this connection
     * @param listedBefore
     *            the references their mail lists; not changed (a batch that rolls back adds none)
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Sent sendBatch(long merchantId, long connectionId, Instant now, int sentBefore, List<String> listedBefore) {
        List<String> references = new ArrayList<>(listedBefore);
        List<Object[]> due = Dropshipment.getEntityManager()
                .createQuery("select d.id, d.salesOrderId from Dropshipment d where d.connectionId = ?1"
                        + " and d.merchantId = ?2 and d.status = ?3 order by d.id", Object[].class)
                .setParameter(1, connectionId).setParameter(2, merchantId).setParameter(3, Dropshipment.Status.ROUTED)
                .setMaxResults(SEND_BATCH).getResultList();
        // the dropship lock order (sales orders, then dropshipments): a merchant's change of the same order waits or
        // is waited for, never deadlocks; one it committed meanwhile (a cancel) is seen after the lock
        List<Dropshipment> batch = locks
                .all(due.stream().map(r -> (Long) r[1]).toList(), due.stream().map(r -> (Long) r[0]).toList()).values()
                .stream().filter(d -> d.status == Dropshipment.Status.ROUTED).toList();
        DropshipConnection c = DropshipConnection.findById(connectionId);
        if (c.status != DropshipConnection.Status.ACTIVE) {
            throw new IllegalStateException("the connection to " + c.supplierName + " ended during the run");
        }
        String merchantName = Organization.<Organization> findById(merchantId).name;
        // the batch's line counts in one query, not one a dropshipment
        java.util.Map<Long, Long> lineCounts = new java.util.HashMap<>();
        if (!batch.isEmpty()) {
            Dropshipment.getEntityManager()
                    .createQuery(
                            "select l.dropshipmentId, count(l) from DropshipmentLine l where l.dropshipmentId in ?1"
                                    + " group by l.dropshipmentId",
                            Object[].class)
                    .setParameter(1, batch.stream().map(d -> d.id).toList()).getResultList()
                    .forEach(row -> lineCounts.put((Long) row[0], ((Number) row[1]).longValue()));
        }
        for (Dropshipment d : batch) {
            d.status = Dropshipment.Status.OPEN;
            d.sentAt = now;
            int lines = lineCounts.getOrDefault(d.id, 0L).intValue();
            timeline.record(Subject.dropshipment(d.supplierId, d.id), Actor.system(), SyncEvent.DROPSHIPMENT_SENT,
                    "Received from " + merchantName + ": " + lines + (lines == 1 ? " line" : " lines"),
                    Visibility.INTERNAL);
            timeline.record(Subject.salesOrder(merchantId, d.salesOrderId), Actor.system(), SyncEvent.DROPSHIPMENT_SENT,
                    "Dropshipment " + d.reference + " sent to " + c.supplierName, Visibility.INTERNAL);
            if (references.size() < SyncMail.LISTED) {
                references.add(d.reference);
            }
        }
        int total = sentBefore + batch.size();
        if (due.size() < SEND_BATCH && total > 0) {
            mail.queueNewOrders(c.supplierId, merchantName, total, references);
        }
        return new Sent(due.size(), batch.size(), List.copyOf(references));
    }

    // ------------------------------------------------------------------ (b) stock write-back

    /** Writes back every stock change of the merchant, batch after batch. */
    private void writeBack(long merchantId, Instant now, Counts counts) {
        int size = config.dropship().writeBackBatch();
        long after = Long.MIN_VALUE;
        while (true) {
            long[] result = null;
            for (int attempt = 1; result == null; attempt++) {
                try {
                    result = self.writeBackBatch(merchantId, after, size, now);
                } catch (ChangedMeanwhile e) {
                    if (attempt == WRITE_BACK_TRIES) {
                        throw new IllegalStateException("supplier stock kept changing while it was written back");
                    }
                }
            }
            counts.changes += (int) result[0];
            counts.stock += (int) result[1];
            if (result[0] < size) {
                return;
            }
            after = result[2];
        }
    }

    /** A change row arrived in a batch's range while the batch ran: the batch rolls back and runs again. */
    static final class ChangedMeanwhile extends RuntimeException {
        ChangedMeanwhile() {
            super("a stock change arrived while its batch was written back", null, false, false);
        }
    }

    /**
     * One batch in one transaction: locks the merchant's next {@code size} change rows (source id order, after
     * {@code after}), sets each one's physical on hand in the supplier's warehouse to the supplier product's available
     * on hand (one MERGE: updates rows that differ, inserts missing ones), and deletes the change rows. A supplier's
     * change that commits meanwhile waits for the lock (and is synced next time) or makes the batch run again. Changes
     * of a connection that is no longer active, or whose product has no available on hand, are consumed unwritten.
     *
     * @return {changes consumed, stock levels written, last source id}
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    long[] writeBackBatch(long merchantId, long after, int size, Instant now) {
        EntityManager em = DropshipSettings.getEntityManager();
        List<Number> ids = em.createNativeQuery("""
                select source_id from dropship_stock_change where merchant_id = ?1 and source_id > ?2
                order by source_id limit ?3 for update""").setParameter(1, merchantId).setParameter(2, after)
                .setParameter(3, size).getResultList();
        if (ids.isEmpty()) {
            return new long[] { 0, 0, after };
        }
        long last = ids.get(ids.size() - 1).longValue();
        boolean h2 = dbKind.startsWith("h2");
        if (!h2) {
            // cost follows the changes: one index lookup per change into sources, supplier products and stock levels.
            // Left to its defaults (random_page_cost 4) PostgreSQL prices 10,000 lookups above reading every source
            // of the catalogue into a hash table, and the MERGE then costs the catalogue's size, batch after batch
            em.createNativeQuery("select set_config('enable_hashjoin', 'off', true),"
                    + " set_config('enable_mergejoin', 'off', true)").getSingleResult();
        }
        String nextId = h2 ? "next value for stock_level_seq" : "nextval('stock_level_seq')";
        int written = em.createNativeQuery("""
                merge into stock_level sl
                using (select ds.merchant_product_id as product_id, c.warehouse_id as warehouse_id,
                              sp.available_on_hand as qty
                       from dropship_stock_change ch
                       join dropship_source ds on ds.id = ch.source_id
                       join dropship_connection c on c.id = ds.connection_id
                       join product sp on sp.id = ds.supplier_product_id
                       where ch.merchant_id = ?1 and ch.source_id > ?2 and ch.source_id <= ?3
                         and c.merchant_id = ?1 and c.status = 'ACTIVE' and c.warehouse_id is not null
                         and sp.organization_id = c.supplier_id and sp.available_on_hand is not null) src
                on (sl.product_id = src.product_id and sl.warehouse_id = src.warehouse_id)
                when matched and sl.physical_on_hand <> src.qty then
                  update set physical_on_hand = src.qty, updated_at = ?4
                when not matched then
                  insert (id, product_id, warehouse_id, physical_on_hand, updated_at)
                  values (""" + nextId + ", src.product_id, src.warehouse_id, src.qty, ?4)").setParameter(1, merchantId)
                .setParameter(2, after).setParameter(3, last).setParameter(4, now).executeUpdate();
        int deleted = em.createNativeQuery(
                "delete from dropship_stock_change where merchant_id = ?1 and source_id > ?2 and source_id <= ?3")
                .setParameter(1, merchantId).setParameter(2, after).setParameter(3, last).executeUpdate();
        if (deleted != ids.size()) {
            throw new ChangedMeanwhile();
        }
        return new long[] { ids.size(), written, last };
    }
}
