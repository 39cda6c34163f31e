package io.portlink.dropship;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.portlink.platform.Paging;

/**
 * What the merchant's sync health page and the API read: the settings (interval, last and next run), the recorded runs
 * (newest first), and drift: products whose physical on hand in the supplier's warehouse differs from the supplier's
 * available on hand, and products marked dropship whose supplier product is missing. Every list is paged (whether more
 * follow, no count) and scoped to the merchant; the two drift lists are counted apart, up to {@value #COUNT_CAP} ("more
 * than").
 */
@ApplicationScoped
public class SyncHealth {

    /** Drift counts stop here: counting a million-product catalogue exactly is not worth a page load. */
    public static final int COUNT_CAP = 10_000;

    /** The merchant's settings; {@code nextSyncAt} is when the scheduler's next pass takes the merchant. */
    public record Settings(int intervalMinutes, String intervalText, Instant lastSyncAt, Instant nextSyncAt) {
    }

    /** One recorded run; {@code durationMillis} from start to end. */
    public record RunView(long id, String startedBy, String outcome, Instant startedAt, Instant finishedAt,
            long durationMillis, int dropshipmentsSent, int changesPassed, int stockUpdated, int failures,
            String error) {
    }

    /**
     * A product whose quantities disagree: the merchant's physical on hand in the supplier's warehouse (null: none
     * counted) and the supplier's available on hand.
     */
    public record Drift(String sku, String name, String supplier, String supplierSku, Integer merchantOnHand,
            int supplierAvailable) {
    }

    /** A product marked dropship whose supplier product is missing. */
    public record Unmapped(String sku, String name, String supplier, String supplierSku) {
    }

    static RunView view(SyncRun r) {
        return new RunView(r.id, r.startedBy.name(), r.outcome.name(), r.startedAt, r.finishedAt,
                r.finishedAt == null ? 0 : Duration.between(r.startedAt, r.finishedAt).toMillis(), r.dropshipmentsSent,
                r.changesPassed, r.stockUpdated, r.failures, r.error);
    }

    @jakarta.inject.Inject
    java.time.Clock clock;

    /**
     * The merchant's interval, last and next run, read only (a page's GET writes nothing). A merchant without a
     * settings row shows the defaults and no next run: the scheduler gives it one (hourly, due at once) with its first
     * pass after a supplier connection is active. A row without a next run (written before rows got one) shows the next
     * pass, as the scheduler gives it ({@link Sync#adopt}).
     */
    @Transactional
    public Settings settings(long merchantId) {
        DropshipSettings s = DropshipSettings.findById(merchantId);
        if (s == null) {
            // a supplier connected since the last pass: the next pass gives the merchant its settings, due at once
            boolean connected = DropshipConnection.count("merchantId = ?1 and status = ?2", merchantId,
                    DropshipConnection.Status.ACTIVE) > 0;
            return new Settings(DropshipSettings.DEFAULT_INTERVAL,
                    DropshipSettings.describe(DropshipSettings.DEFAULT_INTERVAL), null,
                    connected ? Instant.now(clock) : null);
        }
        return new Settings(s.syncIntervalMinutes, DropshipSettings.describe(s.syncIntervalMinutes), s.lastSyncAt,
                s.nextSyncAt == null ? Instant.now(clock) : s.nextSyncAt);
    }

    /** The merchant's runs, newest first, on {@code sync_run_merchant_ix}. */
    @Transactional
    public Paging.Page<RunView> runs(long merchantId, Paging paging) {
        return paging.page(SyncRun.<SyncRun> find("merchantId = ?1 order by startedAt desc, id desc", merchantId)
                .range(paging.offset(), paging.offset() + paging.fetch() - 1).list()).map(SyncHealth::view);
    }

    private static final String DRIFT_FROM = """
            from dropship_connection c
            join dropship_source ds on ds.connection_id = c.id
            join product sp on sp.id = ds.supplier_product_id
            left join stock_level sl on sl.product_id = ds.merchant_product_id and sl.warehouse_id = c.warehouse_id
            where c.merchant_id = ?1 and c.status = 'ACTIVE' and sp.available_on_hand is not null
              and (sl.physical_on_hand is null or sl.physical_on_hand <> sp.available_on_hand)""";

    private static final String UNMAPPED_FROM = """
            from dropship_connection c
            join dropship_source ds on ds.connection_id = c.id
            where c.merchant_id = ?1 and ds.supplier_product_id is null""";

    /** Drift in supplier then supplier SKU order (the source's (connection, supplier SKU) index). */
    @Transactional
    @SuppressWarnings("unchecked")
    public Paging.Page<Drift> drift(long merchantId, Paging paging) {
        var em = SyncRun.getEntityManager();
        List<Object[]> rows = em.createNativeQuery("""
                select mp.sku, mp.name, c.supplier_name, ds.supplier_sku, sl.physical_on_hand, sp.available_on_hand
                """ + DRIFT_FROM.replace("where", "join product mp on mp.id = ds.merchant_product_id\nwhere") + """

                order by c.id, ds.supplier_sku, ds.id""", Object[].class).setParameter(1, merchantId)
                .setFirstResult(paging.offset()).setMaxResults(paging.fetch()).getResultList();
        return paging.page(rows).map(r -> new Drift((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                r[4] == null ? null : ((Number) r[4]).intValue(), ((Number) r[5]).intValue()));
    }

    /** How many products drift, up to {@value #COUNT_CAP} + 1 (more than the cap: "more than"). */
    @Transactional
    public long driftCount(long merchantId) {
        return cappedCount(DRIFT_FROM, merchantId);
    }

    /** Products marked dropship without a supplier product, in supplier then supplier SKU order. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Paging.Page<Unmapped> unmapped(long merchantId, Paging paging) {
        var em = SyncRun.getEntityManager();
        List<Object[]> rows = em.createNativeQuery("""
                select mp.sku, mp.name, c.supplier_name, ds.supplier_sku
                """ + UNMAPPED_FROM.replace("where", "join product mp on mp.id = ds.merchant_product_id\nwhere") + """

                order by c.id, ds.supplier_sku, ds.id""", Object[].class).setParameter(1, merchantId)
                .setFirstResult(paging.offset()).setMaxResults(paging.fetch()).getResultList();
        return paging.page(rows).map(r -> new Unmapped((String) r[0], (String) r[1], (String) r[2], (String) r[3]));
    }

    /** How many products lack their supplier product, up to {@value #COUNT_CAP} + 1 (as {@link #driftCount}). */
    @Transactional
    public long unmappedCount(long merchantId) {
        return cappedCount(UNMAPPED_FROM, merchantId);
    }

    private static long cappedCount(String from, long merchantId) {
        return ((Number) SyncRun.getEntityManager()
                .createNativeQuery(
                        "select count(*) from (select 1 as one " + from + " limit " + (COUNT_CAP + 1) + ") capped")
                .setParameter(1, merchantId).getSingleResult()).longValue();
    }
}
