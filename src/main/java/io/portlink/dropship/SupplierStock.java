package io.portlink.dropship;

import java.io.InputStream;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import io.portlink.inventory.Catalogue;
import io.portlink.inventory.Product;
import io.portlink.organization.Organization;
import io.portlink.platform.Convention;
import io.portlink.platform.CsvFile;
import io.portlink.platform.Fields;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/**
 * The supplier's available on hand (form, CSV, API). Every actual change upserts one {@code dropship_stock_change} row
 * per dropship source that maps the product through an active connection (a repeat change moves the row's time), in one
 * set-based MERGE; the merchant's sync reads and deletes them. An unchanged quantity writes nothing. A product with
 * such a row "needs sync" (the supplier's filter).
 */
@ApplicationScoped
public class SupplierStock {

    /** Rows per SQL batch and per IN list. */
    static final int BATCH = 1000;

    /** The CSV's columns: {@code sku} and {@code available} required, {@code name} creates an unknown SKU. */
    public static final List<String> CSV_COLUMNS = List.of("sku", "available", "name");

    private static final String MERGE = """
            merge into dropship_stock_change c
            using (select s.id as source_id, k.merchant_id as merchant_id, s.supplier_product_id as product_id
                   from dropship_source s join dropship_connection k on k.id = s.connection_id
                   where s.supplier_product_id in (:products) and k.status = 'ACTIVE' and k.supplier_id = :supplier) x
            on (c.source_id = x.source_id)
            when matched then update set changed_at = :now
            when not matched then insert (source_id, merchant_id, supplier_product_id, changed_at)
                values (x.source_id, x.merchant_id, x.product_id, :now)""";

    @Inject
    Clock clock;

    @Inject
    Catalogue catalogue;

    /** A product in the supplier's inventory list. */
    public record Item(long id, String sku, String name, Integer availableOnHand, Instant availableUpdatedAt,
            boolean needsSync) {
    }

    /** What {@link #set} did: the product, whether its quantity changed, and how many merchants' changes wait. */
    public record Result(Item item, boolean created, boolean changed, int pendingChanges) {
    }

    /** What an upload did. {@code changes}: stock change rows written for merchants' syncs. */
    public record ImportReport(int rows, int created, int changed, int unchanged, int changes) {
    }

    /**
     * Sets the available on hand of the supplier's product of {@code sku}; an unknown SKU is created when a name is
     * given.
     *
     * @return empty when the SKU is unknown and no name is given
     *
     * @throws ValidationException
     *             naming {@code availableOnHand}, {@code sku} or {@code name}
     */
    @Transactional
    public Optional<Result> set(long supplierId, String sku, String quantity, String name) {
        // two at once are served one after the other: the second sees what the first created
        Organization.lockForCreating(supplierId);
        var errors = new ValidationException.Builder();
        String s = Catalogue.checkSku(errors, null, "sku", sku);
        Integer q = Catalogue.checkQuantity(errors, null, "availableOnHand", quantity);
        String n = name == null || name.isBlank() ? null : Catalogue.checkName(errors, null, "name", name);
        errors.throwIfAny();
        Product p = Product.bySku(supplierId, s);
        boolean created = false;
        if (p == null) {
            if (n == null) {
                return Optional.empty();
            }
            p = catalogue.create(supplierId, s, n);
            created = true;
        }
        boolean changed = p.availableOnHand == null || p.availableOnHand.intValue() != q;
        if (changed) {
            Instant now = Instant.now(clock);
            p.availableOnHand = q;
            p.availableUpdatedAt = now;
            p.updatedAt = now;
            Product.getEntityManager().flush();
            record(supplierId, List.of(p.id), now);
        }
        int pending = pendingCount(p.id);
        return Optional.of(new Result(item(p, pending > 0), created, changed, pending));
    }

    /**
     * Available on hand from a CSV (columns {@link #CSV_COLUMNS}, any order), all or nothing: every problem is named by
     * row, column and value and nothing is written. Unchanged rows write nothing; changed ones are written in batches
     * with one MERGE per batch of changed products. {@code available} is a whole number read under {@code convention}
     * (DE {@code 1.500} and GB {@code 1,500} are 1500).
     */
    @Transactional
    public ImportReport importCsv(long supplierId, InputStream csv, Convention convention,
            PortlinkConfig.Import limits) {
        // two at once are served one after the other: the second sees what the first created
        Organization.lockForCreating(supplierId);
        // the whole file is read; past CsvFile.MAX_ERRORS problems are counted, not listed
        var errors = new ValidationException.Builder().capped(CsvFile.MAX_ERRORS);
        Map<String, int[]> quantities = new LinkedHashMap<>(); // sku -> {quantity, row}
        Map<String, String> names = new HashMap<>();
        int rows = CsvFile.read(csv, limits, new CsvFile.Columns(CSV_COLUMNS, List.of("sku", "available")),
                (row, e) -> {
                    String sku = Catalogue.checkSku(e, row.number(), "sku", row.cell("sku"));
                    Integer q = new Fields(e, row.number(), 40, convention).whole("available", row.cell("available"),
                            true, 0, Catalogue.MAX_QUANTITY,
                            "must be a whole number from 0 to " + Catalogue.MAX_QUANTITY);
                    String name = row.cell("name");
                    String n = name == null || name.isBlank() ? null
                            : Catalogue.checkName(e, row.number(), "name", name);
                    if (sku == null) {
                        return;
                    }
                    int[] earlier = quantities.get(sku);
                    if (earlier != null) {
                        e.add(row.number(), "sku", "is also on row " + earlier[1] + "; a SKU comes once per file", sku);
                    } else if (q != null) {
                        quantities.put(sku, new int[] { q, row.number() });
                        if (n != null) {
                            names.put(sku, n);
                        }
                    }
                }, errors);
        // the catalogue is read even after problems in the cells, so that one upload reports unknown SKUs too
        Map<String, Product> existing = new HashMap<>();
        List<String> skus = new ArrayList<>(quantities.keySet());
        for (int i = 0; i < skus.size(); i += BATCH) {
            Product.<Product> list("organizationId = ?1 and sku in ?2", supplierId,
                    skus.subList(i, Math.min(skus.size(), i + BATCH))).forEach(p -> existing.put(p.sku, p));
        }
        // unknown SKUs count towards CsvFile.MAX_ERRORS like any other problem: past it, one line says how many more
        for (String sku : skus) {
            if (!existing.containsKey(sku) && !names.containsKey(sku)) {
                errors.add(quantities.get(sku)[1], "sku",
                        "is not in your catalogue; give the product a name (column name) to add it", sku);
            }
        }
        errors.throwIfAny();

        Instant now = Instant.now(clock);
        EntityManager em = Product.getEntityManager();
        int created = 0;
        List<long[]> updates = new ArrayList<>(); // {product id, quantity} of known products that changed
        for (String sku : skus) {
            int q = quantities.get(sku)[0];
            Product p = existing.get(sku);
            if (p == null) {
                catalogue.create(supplierId, sku, names.get(sku), q);
                if (++created % BATCH == 0) { // inserts in batches, and a persistence context that stays small
                    em.flush();
                    em.clear();
                }
            } else if (p.availableOnHand == null || p.availableOnHand != q) {
                updates.add(new long[] { p.id, q });
            }
        }
        em.flush();
        em.clear();
        write(em, supplierId, updates, now);
        // a new product has no merchant yet: only the known ones that changed can wait for a sync
        List<Long> changedIds = updates.stream().map(u -> u[0]).toList();
        int changes = 0;
        for (int i = 0; i < changedIds.size(); i += BATCH) {
            changes += record(supplierId, changedIds.subList(i, Math.min(changedIds.size(), i + BATCH)), now);
        }
        return new ImportReport(rows, created, updates.size(), skus.size() - updates.size() - created, changes);
    }

    private static void write(EntityManager em, long supplierId, List<long[]> updates, Instant now) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("update product set available_on_hand = ?,"
                    + " available_updated_at = ?, updated_at = ?, version = version + 1"
                    + " where id = ? and organization_id = ?")) {
                int n = 0;
                for (long[] u : updates) {
                    ps.setInt(1, (int) u[1]);
                    ps.setObject(2, at);
                    ps.setObject(3, at);
                    ps.setLong(4, u[0]);
                    ps.setLong(5, supplierId);
                    ps.addBatch();
                    if (++n % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                if (n % BATCH != 0) {
                    ps.executeBatch();
                }
            }
        });
    }

    /** Upserts the pending changes of these (changed) supplier products; returns the rows written. */
    int record(long supplierId, Collection<Long> productIds, Instant now) {
        if (productIds.isEmpty()) {
            return 0;
        }
        return Product.getEntityManager().createNativeQuery(MERGE).setParameter("products", productIds)
                .setParameter("supplier", supplierId).setParameter("now", now.atOffset(ZoneOffset.UTC)).executeUpdate();
    }

    /** The supplier's products that have a pending change, among these. */
    private static Set<Long> pending(List<Long> productIds) {
        if (productIds.isEmpty()) {
            return Set.of();
        }
        Set<Long> out = new HashSet<>();
        for (Object id : Product.getEntityManager()
                .createNativeQuery("select distinct supplier_product_id from dropship_stock_change"
                        + " where supplier_product_id in (:ids)")
                .setParameter("ids", productIds).getResultList()) {
            out.add(((Number) id).longValue());
        }
        return out;
    }

    private static int pendingCount(long productId) {
        return ((Number) Product.getEntityManager()
                .createNativeQuery("select count(*) from dropship_stock_change where supplier_product_id = :id")
                .setParameter("id", productId).getSingleResult()).intValue();
    }

    /**
     * The supplier's products by SKU, paged; {@code needsSync}: only those with a change waiting for a merchant's sync;
     * {@code search}: SKU prefix or part of the name (case-insensitive).
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public Paging.Page<Item> list(long supplierId, boolean needsSync, String search, Paging paging) {
        String q = search == null ? "" : search.strip().toLowerCase();
        StringBuilder sql = new StringBuilder("select p.id from product p where p.organization_id = :org");
        if (needsSync) {
            sql.append(" and exists (select 1 from dropship_stock_change c where c.supplier_product_id = p.id)");
        }
        if (!q.isEmpty()) {
            sql.append(" and (lower(p.sku) like :prefix escape '\\' or lower(p.name) like :part escape '\\')");
        }
        sql.append(" order by p.sku");
        var query = Product.getEntityManager().createNativeQuery(sql.toString()).setParameter("org", supplierId);
        if (!q.isEmpty()) {
            String like = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            query.setParameter("prefix", like + "%").setParameter("part", "%" + like + "%");
        }
        Paging.Page<Long> ids = paging.page(
                ((List<Object>) query.setFirstResult(paging.offset()).setMaxResults(paging.fetch()).getResultList())
                        .stream().map(id -> ((Number) id).longValue()).toList());
        Map<Long, Product> byId = new HashMap<>();
        if (!ids.items().isEmpty()) {
            Product.<Product> list("id in ?1", ids.items()).forEach(p -> byId.put(p.id, p));
        }
        Set<Long> waiting = pending(ids.items());
        return ids.map(id -> item(byId.get(id), waiting.contains(id)));
    }

    private static Item item(Product p, boolean needsSync) {
        return new Item(p.id, p.sku, p.name, p.availableOnHand, p.availableUpdatedAt, needsSync);
    }

    /** Drops the changes waiting for a connection's merchant (it was disconnected: nothing flows after). */
    static void dropPending(long connectionId) {
        Product.getEntityManager()
                .createNativeQuery("delete from dropship_stock_change where source_id in"
                        + " (select id from dropship_source where connection_id = :c)")
                .setParameter("c", connectionId).executeUpdate();
    }

    /** Drops the change waiting for one source (its mapping changed or was removed). */
    private static final String PEND_LINKED = """
            merge into dropship_stock_change c
            using (select s.id as source_id, k.merchant_id as merchant_id, s.supplier_product_id as product_id
                   from dropship_source s join dropship_connection k on k.id = s.connection_id
                   join product p on p.id = s.supplier_product_id
                   where s.connection_id = :connection and (:source < 0 or s.id = :source) and k.status = 'ACTIVE'
                     and p.available_on_hand is not null) x
            on (c.source_id = x.source_id)
            when matched then update set changed_at = :now
            when not matched then insert (source_id, merchant_id, supplier_product_id, changed_at)
                values (x.source_id, x.merchant_id, x.product_id, :now)""";

    /**
     * A mapping that starts (a product newly marked "dropship from", a connection accepted or accepted again) brings
     * the supplier's current available on hand across at the merchant's next sync, whether or not the supplier changes
     * it again: one pending change per source of the connection ({@code sourceId}: only that one; negative: all) whose
     * supplier product has a stated quantity. Changes made while disconnected were dropped, so this is what repairs
     * them. In the caller's transaction.
     */
    static int pendLinked(long connectionId, long sourceId, Instant now) {
        return Product.getEntityManager().createNativeQuery(PEND_LINKED).setParameter("connection", connectionId)
                .setParameter("source", sourceId).setParameter("now", now.atOffset(ZoneOffset.UTC)).executeUpdate();
    }

    static void dropPendingOf(long sourceId) {
        Product.getEntityManager().createNativeQuery("delete from dropship_stock_change where source_id = :s")
                .setParameter("s", sourceId).executeUpdate();
    }
}
