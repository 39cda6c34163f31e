package io.portlink.inventory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.Fields;
import io.portlink.platform.Paging;
import io.portlink.platform.Unicode;
import io.portlink.platform.ValidationException;

/**
 * An organisation's catalogue: products by SKU (created once, idempotent by SKU), its own warehouses, and physical on
 * hand per product and warehouse. Every method takes the organisation and touches nothing of another one.
 */
@ApplicationScoped
public class Catalogue {

    /** Longest SKU (V39 {@code product.sku}). */
    public static final int SKU_LENGTH = 100;
    /** Longest product name (V39). */
    public static final int NAME_LENGTH = 300;
    /** Longest warehouse name (V39). */
    public static final int WAREHOUSE_LENGTH = 200;
    /** Largest quantity accepted anywhere (whole units). */
    public static final int MAX_QUANTITY = 1_000_000_000;

    @Inject
    Clock clock;

    @Inject
    Instance<StockKeeper> keepers;

    /** A product as pages and the API show it. {@code availableOnHand}: null until stated. */
    public record ProductView(long id, String sku, String name, Integer availableOnHand, Instant availableUpdatedAt,
            Instant createdAt) {

        static ProductView of(Product p) {
            return new ProductView(p.id, p.sku, p.name, p.availableOnHand, p.availableUpdatedAt, p.createdAt);
        }
    }

    /** One page of products and whether another follows. */
    public record ProductPage(List<ProductView> products, int page, boolean hasNext) {
    }

    /**
     * A warehouse. {@code keptBy}: who keeps its on hand when the organisation does not (a dropship supplier, through
     * the sync; see {@link StockKeeper}), else null.
     */
    public record WarehouseView(long id, String name, Instant createdAt, String keptBy) {
    }

    /** Physical on hand of a product in one warehouse; {@code keptBy} as in {@link WarehouseView}. */
    public record Stock(long warehouseId, String warehouse, int physicalOnHand, Instant updatedAt, String keptBy) {
    }

    /** Whether {@link #upsert} created the product or found it as it was (or renamed it). */
    public enum Outcome {
        CREATED, UNCHANGED, RENAMED
    }

    /** The product and what {@link #upsert} did. */
    public record Upserted(ProductView product, Outcome outcome) {
    }

    /**
     * A checked SKU: 1 to 100 characters, one line, no leading or trailing blanks (compared exactly afterwards).
     *
     * @return the SKU stripped, or null after adding a problem for {@code field}
     */
    public static String checkSku(ValidationException.Builder errors, Integer row, String field, String sku) {
        String s = sku == null ? "" : sku.strip();
        return Fields.oneLine(errors, row, field, s, sku, SKU_LENGTH) ? s : null;
    }

    /** A checked product name: 1 to 300 characters, one line; null after adding a problem. */
    public static String checkName(ValidationException.Builder errors, Integer row, String field, String name) {
        String s = name == null ? "" : name.strip();
        return Fields.oneLine(errors, row, field, s, name, NAME_LENGTH) ? s : null;
    }

    /** A quantity in whole units from 0 to {@link #MAX_QUANTITY}, from text; null after adding a problem. */
    public static Integer checkQuantity(ValidationException.Builder errors, Integer row, String field, String text) {
        String s = text == null ? "" : text.strip();
        if (s.matches("[0-9]{1,10}")) {
            long n = Long.parseLong(s);
            if (n <= MAX_QUANTITY) {
                return (int) n;
            }
        }
        errors.add(row, field, "must be a whole number from 0 to " + MAX_QUANTITY, text);
        return null;
    }

    /**
     * Creates the product of {@code sku}, or finds it: a repeat with the same name changes nothing (retries are safe);
     * another name renames it.
     *
     * @throws ValidationException
     *             naming {@code sku} and {@code name} problems
     */
    @Transactional
    public Upserted upsert(long organizationId, String sku, String name) {
        // two at once are served one after the other: the second sees what the first created
        Organization.lockForCreating(organizationId);
        var errors = new ValidationException.Builder();
        String s = checkSku(errors, null, "sku", sku);
        String n = checkName(errors, null, "name", name);
        errors.throwIfAny();
        Product existing = Product.bySku(organizationId, s);
        if (existing != null) {
            if (existing.name.equals(n)) {
                return new Upserted(ProductView.of(existing), Outcome.UNCHANGED);
            }
            existing.name = n;
            existing.updatedAt = Instant.now(clock);
            return new Upserted(ProductView.of(existing), Outcome.RENAMED);
        }
        return new Upserted(ProductView.of(create(organizationId, s, n)), Outcome.CREATED);
    }

    /** A new product (SKU and name checked by the caller, SKU known to be free). */
    @Transactional
    public Product create(long organizationId, String sku, String name) {
        return create(organizationId, sku, name, null);
    }

    /** A new product with its available on hand stated (null: not stated). */
    @Transactional
    public Product create(long organizationId, String sku, String name, Integer availableOnHand) {
        Product p = new Product();
        p.organizationId = organizationId;
        p.sku = sku;
        p.name = name;
        p.createdAt = Instant.now(clock);
        p.updatedAt = p.createdAt;
        p.availableOnHand = availableOnHand;
        p.availableUpdatedAt = availableOnHand == null ? null : p.createdAt;
        p.persist();
        return p;
    }

    /** A product of the organisation by SKU. */
    @Transactional
    public Optional<ProductView> product(long organizationId, String sku) {
        return Optional.ofNullable(sku == null ? null : Product.bySku(organizationId, sku.strip()))
                .map(ProductView::of);
    }

    /** A product of the organisation by id (another organisation's id is empty). */
    @Transactional
    public Optional<ProductView> product(long organizationId, long id) {
        return Product.<Product> findByIdOptional(id).filter(p -> p.organizationId == organizationId)
                .map(ProductView::of);
    }

    /**
     * Products by SKU, paged; {@code search} (optional) keeps those whose SKU starts with it or whose name contains it
     * (case-insensitive).
     */
    @Transactional
    public ProductPage list(long organizationId, String search, Paging paging) {
        String q = search == null ? "" : search.strip().toLowerCase();
        var query = q.isEmpty() ? Product.<Product> find("organizationId = ?1 order by sku", organizationId)
                : Product.<Product> find(
                        "organizationId = ?1 and (lower(sku) like ?2 escape '\\' or lower(name) like ?3 escape '\\')"
                                + " order by sku",
                        organizationId, like(q) + "%", "%" + like(q) + "%");
        List<Product> rows = query.range(paging.offset(), paging.offset() + paging.size()).list();
        boolean more = rows.size() > paging.size();
        return new ProductPage(rows.stream().limit(paging.size()).map(ProductView::of).toList(), paging.page(), more);
    }

    private static String like(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /**
     * One page of the organisation's warehouses by name (its own and its suppliers'), on {@code warehouse_name_uk}.
     */
    @Transactional
    public Paging.Page<WarehouseView> warehouses(long organizationId, Paging paging) {
        Map<Long, String> kept = kept(organizationId);
        List<Warehouse> rows = Warehouse.<Warehouse> find("organizationId = ?1 order by name, id", organizationId)
                .range(paging.offset(), paging.offset() + paging.fetch() - 1).list();
        return paging.page(rows).map(w -> new WarehouseView(w.id, w.name, w.createdAt, kept.get(w.id)));
    }

    /** Most warehouses a product page offers to count stock in: a choice in one list, not a list to page through. */
    public static final int OWN_WAREHOUSES_OFFERED = 500;

    /**
     * The warehouses the organisation counts itself (none a supplier keeps), by name, at most
     * {@link #OWN_WAREHOUSES_OFFERED}: where a product's physical on hand may be typed.
     */
    @Transactional
    public List<WarehouseView> ownWarehouses(long organizationId) {
        java.util.Set<Long> kept = kept(organizationId).keySet();
        var query = kept.isEmpty() ? Warehouse.<Warehouse> find("organizationId = ?1 order by name, id", organizationId)
                : Warehouse.<Warehouse> find("organizationId = ?1 and id not in ?2 order by name, id", organizationId,
                        kept);
        return query.range(0, OWN_WAREHOUSES_OFFERED - 1).list().stream()
                .map(w -> new WarehouseView(w.id, w.name, w.createdAt, null)).toList();
    }

    /** Every keeper's warehouses of the organisation (warehouse id → keeper's name). */
    private Map<Long, String> kept(long organizationId) {
        Map<Long, String> kept = new HashMap<>();
        keepers.forEach(k -> kept.putAll(k.keptWarehouses(organizationId)));
        return kept;
    }

    /**
     * A new warehouse of the organisation.
     *
     * @throws ValidationException
     *             for a missing, too long or taken name
     */
    @Transactional
    public WarehouseView createWarehouse(long organizationId, String name) {
        // two at once are served one after the other: the second sees what the first created
        Organization.lockForCreating(organizationId);
        var errors = new ValidationException.Builder();
        // one space between words, whatever was typed or pasted (no-break, doubled): names that look alike are alike
        String n = name == null ? "" : Unicode.oneSpaced(name);
        Warehouse alike;
        if (Fields.oneLine(errors, null, "name", n, name, WAREHOUSE_LENGTH)
                && (alike = warehouseAlike(organizationId, n)) != null) {
            errors.add("name",
                    alike.name.equals(name) ? "is already one of your warehouses"
                            : "is already one of your warehouses, as \"" + alike.name
                                    + "\" (names differing only in case or spacing are one)",
                    name);
        }
        errors.throwIfAny();
        Warehouse w = newWarehouse(organizationId, n);
        return new WarehouseView(w.id, w.name, w.createdAt, null);
    }

    /**
     * A new warehouse named after {@code name} (one space between words), for a warehouse the organisation does not
     * name itself (a dropship supplier's). Never one that exists: the organisation's own stock in a warehouse that
     * happens to bear the name would be overwritten by the supplier's figures. A name taken (in any case or spacing)
     * gets " (dropship)", then " (dropship 2)", and so on; a name too long is cut to fit.
     */
    @Transactional
    public long warehouseFor(long organizationId, String name) {
        // two at once are served one after the other: the second sees what the first created
        Organization.lockForCreating(organizationId);
        String base = Unicode.oneSpaced(name);
        for (int n = 1;; n++) {
            String suffix = n == 1 ? "" : n == 2 ? " (dropship)" : " (dropship " + (n - 1) + ")";
            String candidate = base.substring(0, Math.min(base.length(), WAREHOUSE_LENGTH - suffix.length())).strip()
                    + suffix;
            if (warehouseAlike(organizationId, candidate) == null) {
                return newWarehouse(organizationId, candidate).id;
            }
        }
    }

    /** The organisation's warehouse whose name differs from {@code name} at most in case, or null. */
    private Warehouse warehouseAlike(long organizationId, String name) {
        return Warehouse.<Warehouse> find("organizationId = ?1 and lower(name) = ?2", organizationId,
                name.toLowerCase(java.util.Locale.ROOT)).firstResult();
    }

    private Warehouse newWarehouse(long organizationId, String name) {
        Warehouse w = new Warehouse();
        w.organizationId = organizationId;
        w.name = name;
        w.createdAt = Instant.now(clock);
        w.persist();
        return w;
    }

    /**
     * Sets the physical on hand of a product in a warehouse, both the organisation's.
     *
     * @return false when the product or the warehouse is not the organisation's
     *
     * @throws ValidationException
     *             for a quantity that is no whole number from 0 to {@link #MAX_QUANTITY}, and for a warehouse someone
     *             else keeps (a dropship supplier's: {@link StockKeeper}), naming the product and the warehouse
     */
    @Transactional
    public boolean setPhysical(long organizationId, long productId, long warehouseId, String quantity) {
        var errors = new ValidationException.Builder();
        Integer q = checkQuantity(errors, null, "physicalOnHand", quantity);
        Optional<Product> product = Product.<Product> findByIdOptional(productId)
                .filter(p -> p.organizationId == organizationId);
        Optional<Warehouse> warehouse = Warehouse.<Warehouse> findByIdOptional(warehouseId)
                .filter(w -> w.organizationId == organizationId);
        if (product.isEmpty() || warehouse.isEmpty()) {
            return false;
        }
        String keeper = kept(organizationId).get(warehouseId);
        if (keeper != null) {
            errors.add("warehouse",
                    product.get().sku + " in " + warehouse.get().name + " is read-only: it is " + keeper
                            + "'s stock, which the sync keeps equal to what " + keeper
                            + " says is available (where they differ, take the supplier's figure on the sync page)",
                    warehouse.get().name);
        }
        errors.throwIfAny();
        StockLevel level = StockLevel.find("productId = ?1 and warehouseId = ?2", productId, warehouseId).firstResult();
        if (level == null) {
            level = new StockLevel();
            level.productId = productId;
            level.warehouseId = warehouseId;
        } else if (level.physicalOnHand == q) {
            return true;
        }
        level.physicalOnHand = q;
        level.updatedAt = Instant.now(clock);
        level.persist();
        return true;
    }

    /** Physical on hand of the organisation's product in each warehouse that counted it, by warehouse name. */
    @Transactional
    public List<Stock> stock(long organizationId, long productId) {
        if (product(organizationId, productId).isEmpty()) {
            return List.of();
        }
        Map<Long, String> kept = kept(organizationId);
        List<StockLevel> levels = StockLevel.<StockLevel> list("productId", productId);
        if (levels.isEmpty()) {
            return List.of();
        }
        // the warehouses of this product's counts only, however many the organisation has
        Map<Long, Warehouse> byId = new HashMap<>();
        Warehouse.<Warehouse> list("organizationId = ?1 and id in ?2", organizationId,
                levels.stream().map(l -> l.warehouseId).toList()).forEach(w -> byId.put(w.id, w));
        List<Stock> out = new ArrayList<>();
        for (StockLevel level : levels) {
            Warehouse w = byId.get(level.warehouseId);
            if (w != null) {
                out.add(new Stock(w.id, w.name, level.physicalOnHand, level.updatedAt, kept.get(w.id)));
            }
        }
        out.sort(java.util.Comparator.comparing(Stock::warehouse));
        return out;
    }

    /** The columns of the product CSV. */
    public static final List<String> CSV_COLUMNS = List.of("sku", "name");

    /** What a product CSV did: products created, renamed, found unchanged. */
    public record ImportReport(int created, int renamed, int unchanged) {
    }

    /**
     * Products from a CSV (columns {@code sku}, {@code name}), all or nothing: every problem is reported with its row
     * and column and nothing is written; a SKU twice in the file is a problem. Importing the same file again changes
     * nothing.
     */
    @Transactional
    public ImportReport importProducts(long organizationId, java.io.InputStream csv,
            io.portlink.platform.PortlinkConfig.Import limits) {
        // two at once are served one after the other: the second sees what the first created
        Organization.lockForCreating(organizationId);
        var errors = new ValidationException.Builder();
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        Map<String, Integer> rowOf = new HashMap<>();
        io.portlink.platform.CsvFile.read(csv, limits,
                new io.portlink.platform.CsvFile.Columns(CSV_COLUMNS, CSV_COLUMNS), (row, e) -> {
                    String sku = checkSku(e, row.number(), "sku", row.cell("sku"));
                    String name = checkName(e, row.number(), "name", row.cell("name"));
                    if (sku != null && rowOf.containsKey(sku)) {
                        e.add(row.number(), "sku", "is also on row " + rowOf.get(sku) + "; a SKU comes once per file",
                                sku);
                    } else if (sku != null && name != null) {
                        rows.put(sku, name);
                        rowOf.put(sku, row.number());
                    }
                }, errors);
        errors.throwIfAny();
        Map<String, Product> existing = new HashMap<>();
        List<String> skus = new ArrayList<>(rows.keySet());
        for (int i = 0; i < skus.size(); i += 1000) {
            Product.<Product> list("organizationId = ?1 and sku in ?2", organizationId,
                    skus.subList(i, Math.min(skus.size(), i + 1000))).forEach(p -> existing.put(p.sku, p));
        }
        int created = 0;
        int renamed = 0;
        int unchanged = 0;
        Instant now = Instant.now(clock);
        var em = Product.getEntityManager();
        int pending = 0;
        for (var entry : rows.entrySet()) {
            Product p = existing.get(entry.getKey());
            if (p == null) {
                create(organizationId, entry.getKey(), entry.getValue());
                created++;
                pending++;
            } else if (!p.name.equals(entry.getValue())) {
                p.name = entry.getValue();
                p.updatedAt = now;
                renamed++;
                pending++;
            } else {
                unchanged++;
            }
            if (pending >= 500) { // batches of inserts, and a persistence context that does not grow with the file
                em.flush();
                pending = 0;
            }
        }
        return new ImportReport(created, renamed, unchanged);
    }
}
