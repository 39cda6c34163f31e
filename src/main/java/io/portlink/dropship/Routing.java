package io.portlink.dropship;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.cfg.AvailableSettings;

import io.portlink.inventory.Product;
import io.portlink.platform.ConflictException;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;

/**
 * Routing: a sales order's lines go to their products' dropship suppliers. Each line whose merchant product has a
 * {@link DropshipSource} through an {@link DropshipConnection.Status#ACTIVE} connection goes to that supplier; the
 * lines of one supplier become one {@link Dropshipment} (reference "{@code <order reference>-<n>}", n counting the
 * order's dropshipments from 1, skipping a number another merchant's order already gave the same supplier),
 * {@link Dropshipment.Status#ROUTED} until the merchant's sync sends it. Only that supplier's lines pass, with ship-to,
 * method, SKU, supplier SKU, description and quantity; prices only when the connection passes prices, the internal note
 * only when it passes notes. Lines without a dropship source (or whose supplier is not connected) stay with the
 * merchant, and the result says so.
 *
 * <p>
 * Routing twice never duplicates: the order's row is locked first, and only lines that no dropshipment carries yet are
 * routed, so a second call (at the same moment, on another replica) waits and then finds nothing left to route. An
 * order is {@link SalesOrder.Status#ROUTED} once every line with a connected supplier is routed.
 */
@ApplicationScoped
public class Routing {

    /** Orders routed per transaction by {@link #routeOpen}. */
    public static final int BATCH = 500;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Timeline timeline;

    @Inject
    jakarta.enterprise.event.Event<SalesOrderChanged> changed;

    @ConfigProperty(name = "quarkus.datasource.db-kind")
    String dbKind;

    @Inject
    Routing self;

    /** Runs of one routing transaction that lost a dropshipment reference to another merchant's routing. */
    static final int REFERENCE_TRIES = 3;

    /**
     * Another merchant's routing gave the same supplier the same dropshipment reference at the same moment (the unique
     * index {@code dropshipment_reference_uk}): the transaction rolls back, and {@link #retrying} runs it again, when
     * the taken reference is seen and skipped. A 409 if it keeps happening.
     */
    static final class ReferenceTaken extends ConflictException {
        ReferenceTaken() {
            super("another routing to the same supplier took the same dropshipment reference at the same moment;"
                    + " nothing was saved, try again");
        }
    }

    /**
     * Runs {@code transaction} (a call that starts its own transaction) up to {@value #REFERENCE_TRIES} times while it
     * fails with {@link ReferenceTaken}: two merchants of one supplier whose orders share a reference (shop numbering
     * often starts at the same number) may route them at the same moment, and each must end routed, not with an error.
     * Inside a caller's transaction it runs once: a retry is the caller's.
     */
    static <T> T retrying(java.util.function.Supplier<T> transaction) {
        for (int attempt = 1;; attempt++) {
            try {
                return transaction.get();
            } catch (ReferenceTaken e) {
                if (attempt == REFERENCE_TRIES || io.quarkus.narayana.jta.QuarkusTransaction.isActive()) {
                    throw e;
                }
            }
        }
    }

    /** One dropshipment made by a routing: its reference, the supplier as the merchant calls it, its line count. */
    public record Routed(String reference, String supplierName, int lines) {
    }

    /** A line that stays with the merchant, and why (no dropship source, supplier not connected). */
    public record Kept(int position, String sku, String reason) {
    }

    /**
     * What routing one order did: the dropshipments it made now ({@code routed}), the lines that stay with the
     * merchant, and the order's status after it.
     */
    public record Result(String reference, List<Routed> routed, List<Kept> kept, SalesOrder.Status status) {
    }

    /**
     * Routes one order of the merchant by hand (or again, after a product gained a source). Empty for no such order.
     *
     * @throws ConflictException
     *             when the order is cancelled
     */
    public java.util.Optional<Result> route(long organizationId, String reference, Actor actor) {
        return retrying(() -> self.routeOne(organizationId, reference, actor));
    }

    /** {@link #route} in one transaction. */
    @Transactional
    java.util.Optional<Result> routeOne(long organizationId, String reference, Actor actor) {
        SalesOrder order = SalesOrder
                .<SalesOrder> find("organizationId = ?1 and reference = ?2", organizationId, reference)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (order == null) {
            return java.util.Optional.empty();
        }
        if (order.status == SalesOrder.Status.CANCELLED) {
            throw new ConflictException("sales order " + reference + " is cancelled; nothing was routed");
        }
        return java.util.Optional.of(routeLocked(organizationId, List.of(order), actor).get(0));
    }

    /**
     * Routes up to {@code limit} of the merchant's open orders, oldest first, in transactions of {@value #BATCH};
     * orders that another routing holds at the moment are left for the next call. Returns the orders looked at (0: none
     * left) and how many became routed.
     */
    public Batch routeOpen(long organizationId, int limit, Actor actor) {
        int seen = 0;
        int routed = 0;
        long after = 0;
        while (seen < limit) {
            long from = after;
            int size = Math.min(BATCH, limit - seen);
            Batch b = retrying(() -> self.routeOpenBatch(organizationId, from, size, actor));
            if (b.orders() == 0) {
                break;
            }
            seen += b.orders();
            routed += b.routed();
            // orders that stay open (no connected supplier) are not looked at again by the same pass
            after = b.lastId();
        }
        return new Batch(seen, routed, after);
    }

    /** What {@link #routeOpen} did: open orders looked at, and how many of them became routed. */
    public record Batch(int orders, int routed, long lastId) {
    }

    /** One batch of {@link #routeOpen}: its own transaction. */
    @Transactional
    Batch routeOpenBatch(long organizationId, long after, int size, Actor actor) {
        // SKIP LOCKED where the database has it (timeout -2): two batch routings share the work
        List<SalesOrder> orders = SalesOrder
                .<SalesOrder> find("organizationId = ?1 and status = ?2 and id > ?3 order by id", organizationId,
                        SalesOrder.Status.OPEN, after)
                .withLock(LockModeType.PESSIMISTIC_WRITE).withHint(AvailableSettings.JAKARTA_LOCK_TIMEOUT, -2)
                .page(0, size).list();
        if (orders.isEmpty()) {
            return new Batch(0, 0, after);
        }
        var results = routeLocked(organizationId, orders, actor);
        int routed = (int) results.stream().filter(r -> r.status() == SalesOrder.Status.ROUTED).count();
        return new Batch(orders.size(), routed, orders.get(orders.size() - 1).id);
    }

    /**
     * Routes orders of one merchant whose rows the caller has locked (in the caller's transaction): the rules of the
     * class comment, with a fixed number of queries per batch. Results in the orders' order.
     *
     * @throws ReferenceTaken
     *             when another merchant's routing took one of the references meanwhile (the caller's transaction is
     *             then to be rolled back and run again: {@link #retrying})
     */
    List<Result> routeLocked(long organizationId, List<SalesOrder> orders, Actor actor) {
        List<Long> orderIds = orders.stream().map(o -> o.id).toList();
        List<SalesOrderLine> lines = SalesOrderLine.<SalesOrderLine> find(
                "salesOrderId in ?1 and removedAt is null order by salesOrderId, position", orderIds).list();
        Set<Long> alreadyRouted = new HashSet<>();
        Map<Long, Integer> dropshipmentCount = new HashMap<>();
        if (!lines.isEmpty()) {
            alreadyRouted.addAll(em.createQuery(
                    "select l.salesOrderLineId from DropshipmentLine l, Dropshipment d where d.id = l.dropshipmentId"
                            + " and d.salesOrderId in ?1",
                    Long.class).setParameter(1, orderIds).getResultList());
            for (Object[] row : em.createQuery(
                    "select salesOrderId, count(*) from Dropshipment where salesOrderId in ?1 group by salesOrderId",
                    Object[].class).setParameter(1, orderIds).getResultList()) {
                dropshipmentCount.put((Long) row[0], ((Number) row[1]).intValue());
            }
        }
        // a line the merchant shipped (some of) itself stays with it
        List<SalesOrderLine> open = lines.stream().filter(l -> !alreadyRouted.contains(l.id) && l.quantityShipped == 0)
                .toList();
        resolveProducts(organizationId, open);
        Set<Long> productIds = open.stream().map(l -> l.productId).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        Map<Long, DropshipSource> sources = productIds.isEmpty() ? Map.of()
                : DropshipSource.<DropshipSource> list("merchantProductId in ?1", productIds).stream()
                        .collect(Collectors.toMap(s -> s.merchantProductId, Function.identity()));
        Set<Long> connectionIds = sources.values().stream().map(s -> s.connectionId).collect(Collectors.toSet());
        Map<Long, DropshipConnection> connections = connectionIds.isEmpty() ? Map.of()
                : DropshipConnection
                        .<DropshipConnection> list("id in ?1 and merchantId = ?2", connectionIds, organizationId)
                        .stream().collect(Collectors.toMap(c -> c.id, Function.identity()));

        // a line without a description reaches the supplier with the product's name, never as a bare SKU
        Set<Long> unnamed = open.stream()
                .filter(l -> l.productId != null && sources.containsKey(l.productId)
                        && (l.description == null || l.description.isBlank()))
                .map(l -> l.productId).collect(Collectors.toSet());
        Map<Long, String> names = unnamed.isEmpty() ? Map.of() : Product.<Product> list("id in ?1", unnamed).stream()
                .collect(Collectors.toMap(p -> p.id, p -> p.name));

        Map<Long, List<SalesOrderLine>> linesByOrder = open.stream()
                .collect(Collectors.groupingBy(l -> l.salesOrderId, LinkedHashMap::new, Collectors.toList()));
        Set<String> taken = takenReferences(orders, dropshipmentCount, connections.values());
        Instant now = Instant.now(clock);
        List<Result> results = new ArrayList<>(orders.size());
        for (SalesOrder order : orders) {
            List<Routed> routed = new ArrayList<>();
            List<Kept> kept = new ArrayList<>();
            Map<DropshipConnection, List<SalesOrderLine>> bySupplier = new LinkedHashMap<>();
            boolean waiting = false;
            for (SalesOrderLine line : linesByOrder.getOrDefault(order.id, List.of())) {
                DropshipSource source = line.productId == null ? null : sources.get(line.productId);
                DropshipConnection connection = source == null ? null : connections.get(source.connectionId);
                if (source == null || connection == null) {
                    kept.add(new Kept(line.position, line.sku,
                            line.productId == null ? "no product with this SKU in your catalogue: it stays with you"
                                    : "no dropship supplier for this product: it stays with you"));
                } else if (connection.status != DropshipConnection.Status.ACTIVE) {
                    waiting = true;
                    kept.add(new Kept(line.position, line.sku,
                            connection.supplierName + " is not connected ("
                                    + connection.status.name().toLowerCase(java.util.Locale.ROOT)
                                    + "): it stays with you until the supplier is connected and you route again"));
                } else {
                    bySupplier.computeIfAbsent(connection, c -> new ArrayList<>()).add(line);
                }
            }
            int n = dropshipmentCount.getOrDefault(order.id, 0);
            List<SalesOrderChanged.Copy> copies = new ArrayList<>();
            for (var entry : bySupplier.entrySet()) {
                // a reference is unique per supplier, and another merchant of the supplier may use the same order
                // reference: the next free number, never a failed routing
                while (taken.contains(entry.getKey().supplierId + " " + order.reference + "-" + (n + 1))) {
                    n++;
                }
                Dropshipment d = dropshipment(order, entry.getKey(), ++n, now);
                taken.add(d.supplierId + " " + d.reference);
                int position = 1;
                List<SalesOrderChanged.CopyLine> copied = new ArrayList<>();
                for (SalesOrderLine line : entry.getValue()) {
                    DropshipmentLine l = copyLine(d, line, sources.get(line.productId), entry.getKey(), position++,
                            names.get(line.productId));
                    copied.add(new SalesOrderChanged.CopyLine(line.position, l.sku, l.supplierSku, l.description,
                            l.quantity, l.unitPrice));
                }
                routed.add(new Routed(d.reference, entry.getKey().supplierName, entry.getValue().size()));
                copies.add(new SalesOrderChanged.Copy(d.reference, entry.getKey().supplierName, d.revision, false,
                        List.copyOf(copied)));
            }
            if (!waiting && n > 0 && order.status == SalesOrder.Status.OPEN) {
                order.status = SalesOrder.Status.ROUTED;
                order.updatedAt = now;
            }
            if (!routed.isEmpty()) {
                String detail = describe(routed, kept);
                timeline.record(Subject.salesOrder(organizationId, order.id), actor, SalesOrderEvent.ROUTED, detail,
                        Visibility.INTERNAL);
                changed.fire(new SalesOrderChanged(organizationId, order.reference, SalesOrderChanged.Kind.ROUTED,
                        detail, order.status.name(), List.copyOf(copies), List.copyOf(kept), null, null, now));
            }
            results.add(new Result(order.reference, List.copyOf(routed), List.copyOf(kept), order.status));
        }
        try {
            // here, not at the commit: a reference another merchant's routing took meanwhile is told apart
            em.flush();
        } catch (jakarta.persistence.PersistenceException e) {
            if (io.portlink.platform.ConstraintViolations.violated(e)
                    .filter(name -> name.contains("dropshipment_reference_uk")).isPresent()) {
                throw new ReferenceTaken();
            }
            throw e;
        }
        return results;
    }

    /**
     * The "supplier id + space + reference" pairs already taken among the references this batch may give (each order's
     * next numbers, one per connected supplier and as many again), with one query: dropshipment references are unique
     * per supplier ({@code dropshipment_reference_uk}), and two merchants of one supplier may use the same order
     * reference.
     */
    private Set<String> takenReferences(List<SalesOrder> orders, Map<Long, Integer> dropshipmentCount,
            java.util.Collection<DropshipConnection> connections) {
        Set<Long> suppliers = connections.stream().map(c -> c.supplierId).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        Set<String> taken = new HashSet<>();
        if (suppliers.isEmpty()) {
            return taken;
        }
        List<String> candidates = new ArrayList<>();
        for (SalesOrder order : orders) {
            int from = dropshipmentCount.getOrDefault(order.id, 0);
            for (int i = 1; i <= 2 * suppliers.size(); i++) {
                candidates.add(order.reference + "-" + (from + i));
            }
        }
        // the candidates as one array joined on the reference, not an IN list of 2,000 parameters: once the driver
        // prepares the statement PostgreSQL's generic plan tested every dropshipment of the supplier against the whole
        // list (a second a batch at 15,000 dropshipments, growing with them); joined, it is a hash or an index lookup
        String array = dbKind.startsWith("h2") ? "cast(?2 as varchar array)" : "cast(?2 as text[])";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em
                .createNativeQuery("select d.supplier_id, d.reference from unnest(" + array + ") as r(reference)"
                        + " join dropshipment d on d.reference = r.reference where d.supplier_id = any(?1)")
                .setParameter(1, suppliers.toArray(Long[]::new)).setParameter(2, candidates.toArray(String[]::new))
                .getResultList();
        for (Object[] row : rows) {
            taken.add(((Number) row[0]).longValue() + " " + row[1]);
        }
        return taken;
    }

    /** Lines that arrived before their product existed get it now (routing needs the product). */
    private static void resolveProducts(long organizationId, List<SalesOrderLine> lines) {
        Set<String> missing = lines.stream().filter(l -> l.productId == null).map(l -> l.sku)
                .collect(Collectors.toSet());
        if (missing.isEmpty()) {
            return;
        }
        Map<String, Long> bySku = Product.<Product> list("organizationId = ?1 and sku in ?2", organizationId, missing)
                .stream().collect(Collectors.toMap(p -> p.sku, p -> p.id));
        for (SalesOrderLine l : lines) {
            if (l.productId == null) {
                l.productId = bySku.get(l.sku);
            }
        }
    }

    private static Dropshipment dropshipment(SalesOrder order, DropshipConnection connection, int n, Instant now) {
        Dropshipment d = new Dropshipment();
        d.connectionId = connection.id;
        d.merchantId = order.organizationId;
        d.supplierId = connection.supplierId;
        d.salesOrderId = order.id;
        d.reference = order.reference + "-" + n;
        d.status = Dropshipment.Status.ROUTED;
        d.shipToName = order.shipToName;
        d.shipToCompany = order.shipToCompany;
        d.shipToAddress = order.shipToAddress;
        d.shipToPhone = order.shipToPhone;
        d.shippingMethod = order.shippingMethod;
        d.note = connection.passNotes ? order.internalNote : null;
        d.routedAt = now;
        d.persist();
        return d;
    }

    private static DropshipmentLine copyLine(Dropshipment d, SalesOrderLine line, DropshipSource source,
            DropshipConnection connection, int position, String productName) {
        DropshipmentLine l = new DropshipmentLine();
        l.dropshipmentId = d.id;
        l.salesOrderLineId = line.id;
        l.position = position;
        l.sku = line.sku;
        l.supplierSku = source.supplierSku;
        l.description = line.description == null || line.description.isBlank() ? productName : line.description;
        l.quantity = line.quantity;
        l.unitPrice = connection.passPrices ? line.unitPrice : null;
        l.persist();
        return l;
    }

    private static String describe(Collection<Routed> routed, Collection<Kept> kept) {
        String text = routed.stream().map(r -> r.reference() + " to " + r.supplierName() + " (" + r.lines()
                + (r.lines() == 1 ? " line)" : " lines)")).collect(Collectors.joining("; "));
        if (!kept.isEmpty()) {
            text += "; staying with you: " + kept.stream().map(k -> "line " + k.position() + " (" + k.sku() + ")")
                    .collect(Collectors.joining(", "));
        }
        return text;
    }
}
