package io.portlink.purchasing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.timeline.Actor;

/**
 * Every active vendor link of an organisation (or those that expired today), and the actions that span links:
 * per-vendor revoke, expiry.
 */
@ApplicationScoped
public class VendorLinkList {

    /** "Expiring soon" means within this many days. */
    static final int SOON_DAYS = 7;

    @Inject
    Clock clock;

    @Inject
    Links links;

    @Inject
    VendorLinks vendorLinks;

    @Inject
    OrderTimeline timeline;

    @Inject
    OrderLocks locks;

    public enum Show {
        ALL, EXPIRING_SOON, NEVER_OPENED,
        /** Not revoked, and their expiry fell between the start of the organisation's today and now. */
        EXPIRED_TODAY
    }

    /** {@code expired}: "Expired today" for a link of {@link Show#EXPIRED_TODAY}, null for an active one. */
    public record Row(long id, String tokenHint, String reference, long vendorId, String vendorName, String recipient,
            Instant createdAt, Instant expiresAt, Instant firstOpenedAt, Instant lastOpenedAt, int botOpenCount,
            String expired) {
    }

    public record Page(List<Row> items, int page, int size, long total) {
        public boolean hasNext() {
            return (long) (page + 1) * size < total;
        }
    }

    /**
     * One page of the organisation's active vendor links, newest first, or (EXPIRED_TODAY) of those whose expiry fell
     * on the organisation's today (its zone) up to now, latest expiry first: a range of the (organisation, expiry)
     * index.
     */
    @Transactional
    public Page active(long organizationId, Show show, String vendor, int page, int size) {
        new io.portlink.platform.Paging(page, size); // refuses a page whose offset would overflow
        Instant now = Instant.now(clock);
        var format = io.portlink.organization.Organization.<io.portlink.organization.Organization> findById(
                organizationId).format();
        LocalDate today = format.today(clock);
        StringBuilder where = new StringBuilder(" from AccessLink l join PurchaseOrder o on o.id = l.purchaseOrderId"
                + " join Vendor v on v.id = l.vendorId where l.organization.id = ?1 and l.scope = ?3"
                + " and l.revokedAt is null");
        List<Object> params = new ArrayList<>(List.of(organizationId, now, VendorLinks.SCOPE));
        if (show == Show.EXPIRED_TODAY) {
            where.append(" and l.expiresAt <= ?2 and l.expiresAt >= ?").append(params.size() + 1);
            params.add(today.atStartOfDay(format.zone()).toInstant());
        } else {
            where.append(" and (l.expiresAt is null or l.expiresAt > ?2)");
        }
        if (show == Show.EXPIRING_SOON) {
            where.append(" and l.expiresAt <= ?").append(params.size() + 1);
            params.add(now.plus(Duration.ofDays(SOON_DAYS)));
        } else if (show == Show.NEVER_OPENED) {
            where.append(" and l.firstOpenedAt is null");
        }
        if (vendor != null && !vendor.isBlank()) {
            where.append(" and lower(v.name) like ?").append(params.size() + 1).append(" escape '!'");
            params.add("%"
                    + vendor.strip().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_")
                    + "%");
        }
        var query = AccessLink.getEntityManager().createQuery(
                "select l, o.reference, v.name" + where + (show == Show.EXPIRED_TODAY
                        ? " order by l.expiresAt desc, l.id desc" : " order by l.createdAt desc, l.id desc"),
                Object[].class);
        var count = AccessLink.getEntityManager().createQuery("select count(l)" + where, Long.class);
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
            count.setParameter(i + 1, params.get(i));
        }
        var rows = query.setFirstResult(page * size).setMaxResults(size).getResultList().stream().map(r -> {
            AccessLink l = (AccessLink) r[0];
            Links.Opens opens = links.opens(l); // with this replica's counts not written yet
            return new Row(l.id, l.tokenHint, (String) r[1], l.vendorId, (String) r[2],
                    l.recipientName != null ? l.recipientName : l.recipientContact, l.createdAt, l.expiresAt,
                    opens.firstOpenedAt(), opens.lastOpenedAt(), opens.bots(),
                    show == Show.EXPIRED_TODAY ? format.expired(l.expiresAt, today) : null);
        }).toList();
        long total = count.getSingleResult();
        return new Page(rows, page, size, total);
    }

    /**
     * What "revoke all links of this vendor" would stop: the vendor's name, its links that are not revoked (expired
     * ones included, as the revoke takes them too) and their orders. Empty when the organisation has no such vendor.
     */
    public record VendorLinkSummary(long vendorId, String vendorName, long links, long orders) {
    }

    @Transactional
    public java.util.Optional<VendorLinkSummary> summary(long organizationId, long vendorId) {
        Vendor vendor = Vendor.findById(vendorId);
        if (vendor == null || vendor.organization.id != organizationId) {
            return java.util.Optional.empty();
        }
        Object[] counts = AccessLink.getEntityManager()
                .createQuery("select count(l), count(distinct l.purchaseOrderId) from AccessLink l"
                        + " where l.organization.id = ?1 and l.scope = ?3 and l.vendorId = ?2 and l.revokedAt is null",
                        Object[].class)
                .setParameter(1, organizationId).setParameter(2, vendorId).setParameter(3, VendorLinks.SCOPE)
                .getSingleResult();
        return java.util.Optional.of(new VendorLinkSummary(vendorId, vendor.name, ((Number) counts[0]).longValue(),
                ((Number) counts[1]).longValue()));
    }

    /** Stops every link of a vendor at once, each on its order's timeline. Returns how many. */
    @Transactional
    public int revokeAllOfVendor(long organizationId, long vendorId, Actor actor) {
        // every order first (by id), then its links: the lock order of every other writer (see OrderLocks)
        List<Long> orderIds = AccessLink.getEntityManager()
                .createQuery("select distinct l.purchaseOrderId from AccessLink l where l.organization.id = ?1"
                        + " and l.scope = ?3 and l.vendorId = ?2 and l.revokedAt is null order by l.purchaseOrderId",
                        Long.class)
                .setParameter(1, organizationId).setParameter(2, vendorId).setParameter(3, VendorLinks.SCOPE)
                .getResultList();
        List<PurchaseOrder> orders = orderIds.stream().map(locks::order).toList();
        int revoked = 0;
        for (PurchaseOrder order : orders) {
            for (AccessLink link : locks.links(order)) {
                if (link.revokedAt == null && link.vendorId == vendorId) {
                    links.revoke(link);
                    timeline.record(order, actor, OrderEvent.LINK_REVOKED,
                            "link #" + link.id + " revoked with all links of " + VendorLinks.vendor(link).name);
                    revoked++;
                }
            }
        }
        return revoked;
    }

    /** Sets (end of that day, organisation time) or clears a link's expiry; null = no expiry. */
    @Transactional
    public boolean setExpiry(long organizationId, String reference, long linkId, LocalDate day, Actor actor) {
        return locks.order(organizationId, reference).flatMap(order -> locks.link(order, linkId))
                .filter(l -> l.revokedAt == null).map(link -> {
                    PurchaseOrder order = VendorLinks.order(link);
                    if (day == null) {
                        links.setExpiry(link, null);
                    } else {
                        if (!day.isAfter(order.organization.format().today(clock))) {
                            throw io.portlink.platform.ValidationException.of("expires", "must be a date after today",
                                    day.toString());
                        }
                        vendorLinks.setExpiry(order, link.id, day);
                    }
                    timeline.record(order, actor, OrderEvent.LINK_EXPIRY, "link #" + link.id + (day == null
                            ? ": no expiry" : ": expires after " + order.organization.format().date(day)));
                    return true;
                }).orElse(false);
    }
}
