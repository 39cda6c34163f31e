package io.portlink.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.order.Actor;
import io.portlink.order.OrderEvent;
import io.portlink.order.OrderLocks;
import io.portlink.order.PurchaseOrder;
import io.portlink.order.Timeline;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Tokens;

/**
 * Issuing, resolving, revoking and regenerating access links. Tokens are database rows, not signed URLs, so every
 * change takes effect on the next request on every replica.
 */
@ApplicationScoped
public class Links {

    @Inject
    Clock clock;

    @Inject
    PortlinkConfig config;

    @Inject
    Timeline timeline;

    @Inject
    OrderLocks locks;

    /** A link just issued: the only moment its token exists outside the recipient's hands. */
    public record Issued(long linkId, String token, String url, Instant expiresAt) {
    }

    /** What a token turned out to be. */
    public sealed interface Resolution {
    }

    public record Active(AccessLink link) implements Resolution {
    }

    /** Revoked, expired, or its organisation is locked: 410, a neutral page. */
    public record Gone(Long linkId) implements Resolution {
    }

    /** Not a token of ours: 404, the same neutral page. */
    public record Unknown() implements Resolution {
    }

    public String url(String token) {
        return config.publicUrl("/v/" + token);
    }

    /** Must run inside the caller's transaction (the order and its link are written together). */
    public Issued issue(PurchaseOrder order, String recipientName, String recipientContact, String createdBy) {
        String token = Tokens.generate(Tokens.VENDOR);
        AccessLink link = new AccessLink();
        link.organization = order.organization;
        link.vendor = order.vendor;
        link.order = order;
        link.scope = AccessLink.Scope.VENDOR;
        link.tokenHash = Tokens.sha256(token);
        link.tokenHint = Tokens.hint(token);
        link.recipientName = recipientName;
        link.recipientContact = recipientContact;
        link.createdAt = Instant.now(clock);
        link.createdBy = createdBy;
        link.expiresAt = order.closedAt == null ? null : expiryAfterClose(order);
        link.persist();
        return new Issued(link.id, token, url(token), link.expiresAt);
    }

    /** Must run inside a transaction; the caller reads the link's relations. */
    public Resolution resolve(String token) {
        if (!Tokens.wellFormed(token, Tokens.VENDOR)) {
            return new Unknown();
        }
        Optional<AccessLink> found = AccessLink.find("tokenHash", Tokens.sha256(token)).firstResultOptional();
        if (found.isEmpty()) {
            return new Unknown();
        }
        AccessLink link = found.get();
        return link.isUsable(Instant.now(clock)) ? new Active(link) : new Gone(link.id);
    }

    /**
     * A holder of a revoked or expired link asks for a new one. At most one open request per link a day: the page can
     * be reloaded and the button pressed again without flooding staff. Returns true when a new request was recorded.
     */
    @Transactional
    public boolean requestNewLink(String token) {
        if (!Tokens.wellFormed(token, Tokens.VENDOR)) {
            return false;
        }
        Optional<AccessLink> found = AccessLink.find("tokenHash", Tokens.sha256(token))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        Instant now = Instant.now(clock);
        // only a link that is gone (and not a locked organisation's) may ask
        if (found.isEmpty() || found.get().isUsable(now) || !found.get().organization.isActive()) {
            return false;
        }
        AccessLink link = found.get();
        if (LinkRequest.count("link = ?1 and requestedAt > ?2", link, now.minus(Duration.ofDays(1))) > 0) {
            return false;
        }
        LinkRequest request = new LinkRequest();
        request.organization = link.organization;
        request.order = link.order;
        request.link = link;
        request.requestedAt = now;
        request.persist();
        timeline.record(link.order, new Actor(OrderEvent.ActorType.VENDOR_LINK, link.id, link.actorLabel()),
                OrderEvent.Type.LINK_REQUESTED, "asked for a new link (link #" + link.id + " no longer works)");
        return true;
    }

    /** Records an open. Allowed on GET: it is telemetry, not business state, and bots are kept apart. */
    @Transactional
    public void recordOpen(long linkId, boolean bot) {
        Instant now = Instant.now(clock);
        if (bot) {
            AccessLink.update("botOpenCount = botOpenCount + 1, lastBotOpenAt = ?1 where id = ?2", now, linkId);
        } else {
            // The order row before the link row: the lock order of every writer (see OrderLocks).
            // The queue's "never opened" reads this from the order; not a business change, so no version bump.
            PurchaseOrder.update("firstOpenedAt = ?1 where firstOpenedAt is null"
                    + " and id = (select l.order.id from AccessLink l where l.id = ?2)", now, linkId);
            AccessLink.update("openCount = openCount + 1, lastOpenedAt = ?1,"
                    + " firstOpenedAt = coalesce(firstOpenedAt, ?1) where id = ?2", now, linkId);
        }
    }

    /** Finds a link of the organisation that matches a token shown earlier (e.g. on the import screen). */
    @Transactional
    public Optional<AccessLink> findByToken(long organizationId, String token) {
        if (!Tokens.wellFormed(token, Tokens.VENDOR)) {
            return Optional.empty();
        }
        return AccessLink.<AccessLink> find("tokenHash", Tokens.sha256(token)).firstResultOptional()
                .filter(l -> l.organization.id == organizationId && l.revokedAt == null);
    }

    /** Must run inside the caller's transaction. */
    public void revoke(AccessLink link) {
        if (link.revokedAt == null) {
            link.revokedAt = Instant.now(clock);
        }
    }

    /** Old link stops, new one issued for the same recipient: one step, one transaction (the caller's). */
    public Issued regenerate(AccessLink old, String createdBy) {
        revoke(old);
        return issue(old.order, old.recipientName, old.recipientContact, createdBy);
    }

    /** An order closed (the caller holds its lock): its links keep working for N more days, then "not available". */
    public void orderClosed(PurchaseOrder order) {
        Instant expiry = expiryAfterClose(order);
        // Managed entities, not a bulk update: the caller may hold one of these links and flush it later.
        for (AccessLink link : locks.links(order)) {
            if (link.revokedAt == null && (link.expiresAt == null || link.expiresAt.isAfter(expiry))) {
                link.expiresAt = expiry;
            }
        }
    }

    /** A closed order came back (the vendor can supply it after all; its lock held): its links live with it again. */
    public void orderReopened(PurchaseOrder order) {
        for (AccessLink link : locks.links(order)) {
            if (link.revokedAt == null) {
                link.expiresAt = null;
            }
        }
    }

    /** Sets a link's expiry to the end of the given day in the organisation's time zone. */
    public void setExpiry(PurchaseOrder order, long linkId, java.time.LocalDate day) {
        AccessLink link = AccessLink.findById(linkId);
        link.expiresAt = day.plusDays(1).atStartOfDay(order.organization.format().zone()).toInstant();
    }

    private Instant expiryAfterClose(PurchaseOrder order) {
        Integer days = order.organization.linkExpiryDays;
        return order.closedAt.plus(Duration.ofDays(days != null ? days : config.link().expiryDays()));
    }
}
