package io.portlink.purchasing;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.portlink.link.AccessLink;

/**
 * The orders' part of the one lock order of Portlink (stated on
 * {@link io.portlink.organization.Organization#lockForCreating}): the organisation's row first when orders or vendors
 * are created, then an order's row, then its links, each by ascending id. Every change to an order or its links (staff
 * pages, the vendor portal, jobs) takes its locks through here before it reads what it changes, so two people acting at
 * once wait for each other instead of deadlocking, and the second one works on the first one's committed state: no
 * stale {@code @Version}, no lost update, no error page.
 */
@ApplicationScoped
public class OrderLocks {

    @Inject
    EntityManager em;

    /** Locks the organisation's order with this reference and returns it as committed; empty when there is none. */
    public Optional<PurchaseOrder> order(long organizationId, String reference) {
        // the id alone first: loading the entity unlocked and locking it afterwards would check a stale version
        return em
                .createQuery("select o.id from PurchaseOrder o where o.organization.id = ?1 and o.reference = ?2",
                        Long.class)
                .setParameter(1, organizationId).setParameter(2, reference).getResultStream().findFirst()
                .map(this::order);
    }

    /**
     * Locks one order (must run inside a transaction) and returns its committed state, even when this transaction had
     * read it before the lock.
     */
    public PurchaseOrder order(long id) {
        PurchaseOrder order = em.find(PurchaseOrder.class, id);
        // a refresh, not a lock upgrade: the upgrade compares versions and fails when someone committed meanwhile
        em.refresh(order, LockModeType.PESSIMISTIC_WRITE);
        return order;
    }

    /** Locks one link of an order already locked; empty when the link is not one of that order's. */
    public Optional<AccessLink> link(PurchaseOrder order, long linkId) {
        AccessLink link = em.find(AccessLink.class, linkId);
        if (link == null || !order.id.equals(link.purchaseOrderId)) {
            return Optional.empty();
        }
        return Optional.of(link(link));
    }

    /** Locks a link read earlier (after its order's lock) and returns its committed state: revoked meanwhile shows. */
    public AccessLink link(AccessLink link) {
        em.refresh(link, LockModeType.PESSIMISTIC_WRITE);
        return link;
    }

    /** Locks every link of an order already locked, oldest first, in their committed state. */
    public List<AccessLink> links(PurchaseOrder order) {
        List<AccessLink> links = em
                .createQuery("select l from AccessLink l where l.purchaseOrderId = ?1 and l.scope = ?2 order by l.id",
                        AccessLink.class)
                .setParameter(1, order.id).setParameter(2, VendorLinks.SCOPE)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        // a link this transaction had read before keeps its old state in a query result; the row is locked now
        links.forEach(em::refresh);
        return links;
    }
}
