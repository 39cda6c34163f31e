package io.portlink.dropship;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.portlink.testing.Fixtures;

/** Merchants and suppliers connected through the real invitation, and what the stock-change table holds. */
@ApplicationScoped
public class CatalogueFixtures {

    @Inject
    Connections connections;

    @Inject
    EntityManager em;

    /** The token of a fresh invitation from the merchant (taken from its link, as the mail carries it). */
    public String invite(Fixtures.Tenant merchant, String supplierName, String email) {
        String url = connections.invite(merchant.id(), supplierName, email, "fixtures").url();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** The merchant connected to the supplier (accepted with the supplier's organisation); the connection's id. */
    public long connect(Fixtures.Tenant merchant, Fixtures.Tenant supplier, String supplierName) {
        String token = invite(merchant, supplierName, "orders-" + supplier.id() + "@supplier.example");
        return connections.acceptExisting(token, supplier.id()).orElseThrow().id();
    }

    /** The (source id, merchant id, supplier product id) rows waiting for merchants' syncs for one supplier product. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Object[]> pending(long supplierProductId) {
        return em
                .createNativeQuery("select source_id, merchant_id, supplier_product_id from dropship_stock_change"
                        + " where supplier_product_id = :p order by source_id")
                .setParameter("p", supplierProductId).getResultList();
    }

    /** The supplier product a merchant product's dropship source is linked to, or null. */
    @Transactional
    public Long linkedSupplierProduct(long merchantId, String sku) {
        var product = io.portlink.inventory.Product.bySku(merchantId, sku);
        DropshipSource s = DropshipSource.find("merchantProductId", product.id).firstResult();
        return s == null ? null : s.supplierProductId;
    }

    /** A connection as stored. */
    @Transactional
    public DropshipConnection connection(long id) {
        DropshipConnection c = DropshipConnection.findById(id);
        em.detach(c);
        return c;
    }
}
