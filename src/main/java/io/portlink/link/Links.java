package io.portlink.link;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.order.OrderEvent;
import io.portlink.order.OrderLocks;
import io.portlink.order.OrderTimeline;
import io.portlink.order.PurchaseOrder;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Tokens;
import io.portlink.timeline.Actor;

/**
 * Issuing, resolving, revoking and regenerating access links. Tokens are database rows, not signed URLs, so every
 * change takes effect on the next request on every replica.
 */
@ApplicationScoped
public class Links {

    /** How long a render's nonce counts: a browser asks for a page's stylesheet right after the page. */
    static final Duration RENDER_NONCE_LIFE = Duration.ofMinutes(10);

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Clock clock;

    @Inject
    PortlinkConfig config;

    @Inject
    OrderTimeline timeline;

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
        timeline.record(link.order, new Actor(Actor.Type.LINK, link.id, link.actorLabel()), OrderEvent.LINK_REQUESTED,
                "asked for a new link (link #" + link.id + " no longer works)");
        return true;
    }

    /**
     * Counts a fetch of a link page by a machine ({@link Bots}: HEAD, scanner and preview agents). A page fetch is
     * never a person's open, whatever its agent: that is recorded only on signals scanners do not give, the page's own
     * stylesheet fetched with its render nonce ({@link #confirmOpen}) or a form posted ({@link #recordAction}).
     * Telemetry, allowed on GET.
     */
    @Transactional
    public void recordBotFetch(long linkId) {
        AccessLink.update("botOpenCount = botOpenCount + 1, lastBotOpenAt = ?1 where id = ?2", Instant.now(clock),
                linkId);
    }

    /**
     * A new nonce for one render of a link page, to be put in that page's stylesheet URL: a browser that shows the page
     * asks for it at once, a scanner that only reads the HTML never does. Only its SHA-256 is kept, on the link, and
     * only the latest render's counts. Returns null when the token is no link of ours.
     */
    @Transactional
    public String renderNonce(String token) {
        if (!Tokens.wellFormed(token, Tokens.VENDOR)) {
            return null;
        }
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        int updated = AccessLink.update("renderNonceHash = ?1, renderedAt = ?2 where tokenHash = ?3",
                Tokens.sha256(nonce), Instant.now(clock), Tokens.sha256(token));
        return updated == 1 ? nonce : null;
    }

    /**
     * The page rendered with this nonce was shown by a browser: a person's open. A nonce counts once, within
     * {@link #RENDER_NONCE_LIFE} of its render, and only with its own link's token. Returns whether it counted.
     */
    @Transactional
    public boolean confirmOpen(String token, String nonce) {
        if (!Tokens.wellFormed(token, Tokens.VENDOR) || nonce == null || nonce.isEmpty() || nonce.length() > 64) {
            return false;
        }
        Instant now = Instant.now(clock);
        String match = "l.tokenHash = ?2 and l.renderNonceHash = ?3 and l.renderedAt > ?4";
        Object[] args = { now, Tokens.sha256(token), Tokens.sha256(nonce), now.minus(RENDER_NONCE_LIFE) };
        // The order row before its link: the order vendor and staff actions lock them in.
        PurchaseOrder.update("firstOpenedAt = ?1 where firstOpenedAt is null"
                + " and id = (select l.order.id from AccessLink l where " + match + ")", args);
        return AccessLink.update("openCount = openCount + 1, lastOpenedAt = ?1,"
                + " firstOpenedAt = coalesce(firstOpenedAt, ?1), renderNonceHash = null"
                + " where tokenHash = ?2 and renderNonceHash = ?3 and renderedAt > ?4", args) == 1;
    }

    /**
     * A form was posted with the link: machines do not post forms, so a person has opened it (counted as one open when
     * none was recorded yet).
     */
    @Transactional
    public void recordAction(String token) {
        if (!Tokens.wellFormed(token, Tokens.VENDOR)) {
            return;
        }
        Instant now = Instant.now(clock);
        String hash = Tokens.sha256(token);
        // The order row before its link, as in confirmOpen.
        PurchaseOrder.update("firstOpenedAt = ?1 where firstOpenedAt is null"
                + " and id = (select l.order.id from AccessLink l where l.tokenHash = ?2 and l.revokedAt is null)", now,
                hash);
        AccessLink.update("openCount = openCount + case when firstOpenedAt is null then 1 else 0 end,"
                + " lastOpenedAt = ?1, firstOpenedAt = coalesce(firstOpenedAt, ?1)"
                + " where tokenHash = ?2 and revokedAt is null", now, hash);
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
