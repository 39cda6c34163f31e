package io.portlink.portal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.fulfilment.Fulfilments;
import io.portlink.fulfilment.OrderFulfilment;
import io.portlink.purchasing.VendorDesk;
import io.portlink.purchasing.mail.Buyer;

/**
 * Everything the vendor's order page shows: the order's page model, its buyer and its fulfilment, read in a few plain
 * statements on one pooled connection, outside any transaction and without a Hibernate session ({@link VendorDesk#read}
 * with {@link Fulfilments#VENDOR_PAGE}: on PostgreSQL the page and its fulfilment in one round trip). The page writes
 * nothing; a machine's fetch is counted afterwards, with the read's connection back in the pool
 * ({@link VendorDesk#countBotFetch}).
 */
@ApplicationScoped
public class VendorPages {

    @Inject
    VendorDesk desk;

    @Inject
    DataSource dataSource;

    /** What {@link #open} read: the access, and for a shown page its buyer (may be null) and fulfilment. */
    public record Loaded(VendorDesk.Access<VendorDesk.OrderPage> access, Buyer buyer, OrderFulfilment fulfilment) {
    }

    /**
     * The page of a token (the link's own order when {@code reference} is null); {@code bot}: counted apart.
     *
     * @throws IllegalStateException
     *             when the database cannot be read (the page answers 500, as any failed read)
     */
    public Loaded open(String token, String reference, boolean bot) {
        Loaded loaded;
        boolean linkOpens;
        try (Connection c = dataSource.getConnection()) {
            var both = desk.read(c, token, reference, Fulfilments.VENDOR_PAGE);
            VendorDesk.PageRead read = both.page();
            linkOpens = read.linkOpens();
            if (read.access() instanceof VendorDesk.Shown<VendorDesk.OrderPage> shown) {
                long orderId = shown.page().orderId();
                OrderFulfilment fulfilment = Fulfilments
                        .forVendorPage(both.companion(), orderId, read.lines(), read.format()).orElse(null);
                if (fulfilment == null) { // the order a reference reaches was replaced meanwhile: read by its id
                    fulfilment = Fulfilments.forVendor(c, orderId, read.lines(), read.format());
                }
                loaded = new Loaded(read.access(), read.buyer(), fulfilment);
            } else {
                loaded = new Loaded(read.access(), null, null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The vendor page could not be read", e);
        }
        if (bot && linkOpens) {
            // after the read's connection went back: the count's transaction takes one of its own (see countBotFetch)
            desk.countBotFetch(token);
        }
        return loaded;
    }
}
