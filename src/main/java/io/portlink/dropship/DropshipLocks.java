package io.portlink.dropship;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/**
 * The lock order of dropship writes: the sales order's row first, then its dropshipments' rows, each by ascending id. A
 * supplier shipping and a merchant changing the same order (or two suppliers of one order) then wait for each other and
 * the second works on the first one's committed state: no over-shipping, no stale {@code @Version}, no deadlock.
 */
@ApplicationScoped
public class DropshipLocks {

    @Inject
    EntityManager em;

    /** A locked dropshipment with its locked sales order, both in their committed state. */
    public record Locked(SalesOrder salesOrder, Dropshipment dropshipment) {
    }

    /**
     * Locks the dropshipment {@code id} that {@code supplierId} can see (sent to it), and its sales order first; empty
     * when there is none (another supplier's, not sent yet, unknown).
     */
    public Optional<Locked> forSupplier(long supplierId, long id) {
        return em
                .createQuery("select d.salesOrderId from Dropshipment d where d.id = ?1 and d.supplierId = ?2"
                        + " and d.sentAt is not null", Long.class)
                .setParameter(1, id).setParameter(2, supplierId).getResultStream().findFirst()
                .map(salesOrderId -> new Locked(lock(SalesOrder.class, salesOrderId), lock(Dropshipment.class, id)));
    }

    /** Locks the merchant's sales order of {@code reference}; empty when it has none. */
    public Optional<SalesOrder> forMerchant(long merchantId, String reference) {
        return em
                .createQuery("select o.id from SalesOrder o where o.organizationId = ?1 and o.reference = ?2",
                        Long.class)
                .setParameter(1, merchantId).setParameter(2, reference).getResultStream().findFirst()
                .map(id -> lock(SalesOrder.class, id));
    }

    /** The most ids one locking statement names; more are locked in further statements, still in ascending order. */
    static final int LOCK_BATCH = 500;

    /**
     * Locks several sales orders, then several dropshipments, each in ascending id order (a whole CSV file's, a sync
     * batch's): one {@code SELECT ... WHERE id IN (...) ORDER BY id FOR UPDATE} per {@value #LOCK_BATCH} ids, which
     * also loads the rows as committed. The rows must not have been loaded earlier in the transaction (read their ids,
     * then lock): a row loaded before keeps its old state, and Hibernate refuses the lock when it was changed since.
     *
     * @return the locked dropshipments by id (ids that no longer exist are absent)
     */
    public Map<Long, Dropshipment> all(Collection<Long> salesOrderIds, Collection<Long> dropshipmentIds) {
        lockAll(SalesOrder.class, salesOrderIds);
        Map<Long, Dropshipment> locked = new LinkedHashMap<>();
        lockAll(Dropshipment.class, dropshipmentIds).forEach(d -> locked.put(d.id, d));
        return locked;
    }

    private <T> List<T> lockAll(Class<T> type, Collection<Long> ids) {
        List<Long> sorted = List.copyOf(new TreeSet<>(ids));
        List<T> rows = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += LOCK_BATCH) {
            rows.addAll(
                    em.createQuery("select e from " + type.getSimpleName() + " e where e.id in ?1 order by e.id", type)
                            .setParameter(1, sorted.subList(from, Math.min(sorted.size(), from + LOCK_BATCH)))
                            .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList());
        }
        return rows;
    }

    /** The lines of a dropshipment already locked, by position, as committed. */
    public List<DropshipmentLine> lines(Dropshipment dropshipment) {
        List<DropshipmentLine> lines = DropshipmentLine.<DropshipmentLine> list("dropshipmentId = ?1 order by position",
                dropshipment.id);
        // a line this transaction read before the lock keeps its old state in a query result
        lines.forEach(em::refresh);
        return lines;
    }

    private <T> T lock(Class<T> type, long id) {
        T row = em.find(type, id);
        // a refresh, not a lock upgrade: the upgrade compares versions and fails when someone committed meanwhile
        em.refresh(row, LockModeType.PESSIMISTIC_WRITE);
        return row;
    }
}
