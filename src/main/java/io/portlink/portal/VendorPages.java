package io.portlink.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.FlushMode;
import org.hibernate.Session;

import io.portlink.fulfilment.Fulfilments;
import io.portlink.fulfilment.OrderFulfilment;
import io.portlink.purchasing.VendorDesk;
import io.portlink.purchasing.mail.Buyer;
import io.portlink.purchasing.mail.PoDocuments;

/**
 * Everything the vendor's order page shows, read in one transaction: the order's page model, its buyer and its
 * fulfilment (the entities the first reads load serve the others). The page writes nothing, so the session is read-only
 * and never flushed: no snapshots are kept, no query looks for changes first and nothing is compared at commit (a
 * machine's fetch is counted by a statement of its own, {@code Links.recordBotFetch}).
 */
@ApplicationScoped
public class VendorPages {

    @Inject
    VendorDesk desk;

    @Inject
    PoDocuments documents;

    @Inject
    Fulfilments fulfilments;

    @Inject
    EntityManager em;

    /** What {@link #open} read: the access, and for a shown page its buyer (may be null) and fulfilment. */
    public record Loaded(VendorDesk.Access<VendorDesk.OrderPage> access, Buyer buyer, OrderFulfilment fulfilment) {
    }

    /** The page of a token (the link's own order when {@code reference} is null); {@code bot}: counted apart. */
    @Transactional
    public Loaded open(String token, String reference, boolean bot) {
        Session session = em.unwrap(Session.class);
        session.setDefaultReadOnly(true);
        // nothing to flush: no query needs to look for changes first, and the commit has nothing to compare
        session.setHibernateFlushMode(FlushMode.MANUAL);
        var access = desk.open(token, reference, bot);
        if (access instanceof VendorDesk.Shown<VendorDesk.OrderPage> shown) {
            long orderId = shown.page().orderId();
            return new Loaded(access, documents.buyerOf(orderId), fulfilments.forVendor(orderId).orElseThrow());
        }
        return new Loaded(access, null, null);
    }
}
