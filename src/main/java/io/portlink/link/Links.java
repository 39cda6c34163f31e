package io.portlink.link;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Signer;
import io.portlink.platform.Tokens;
import io.portlink.platform.ValidationException;

/**
 * Issuing, resolving, revoking and regenerating access links of every scope, and their telemetry (person and bot
 * opens). Tokens are database rows, not signed URLs, so every change takes effect on the next request on every replica.
 * A token is resolved under one scope only: a token of another scope is {@link Unknown} there, as a token that was
 * never issued.
 * <p>
 * For a shipment's tracking link (CUSTOMER_SHIPMENT): {@link #issue} with {@link Target#shipment}, {@link #active} to
 * find the one active link, {@link #revoke}, {@link #regenerate}, and {@code resolve(token, CUSTOMER_SHIPMENT)} on the
 * page. At most one link per shipment is active: {@link #issue} refuses a second with a {@link ConflictException}, and
 * a unique index refuses one that a concurrent transaction inserts meanwhile (a constraint violation at commit).
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
    Signer signer;

    @Inject
    Event<LinkEvents.Requested> requested;

    @Inject
    Event<LinkEvents.Opened> opened;

    @Inject
    OpenCounts counts;

    @Inject
    LinkMeters meters;

    /** A link just issued: the only moment its token exists outside the recipient's hands. */
    public record Issued(long linkId, String token, String url, Instant expiresAt) {
    }

    /** What a token turned out to be under one scope. */
    public sealed interface Resolution {
    }

    public record Active(AccessLink link) implements Resolution {
    }

    /** Revoked, expired, or its organisation is locked: 410, the neutral page. */
    public record Gone(Long linkId) implements Resolution {
    }

    /** Not a token of ours, or one of another scope: 404, the same neutral page. */
    public record Unknown() implements Resolution {
    }

    /**
     * The latest expiry a link of any scope may have: the end of {@link Fields#LAST_YEAR} (UTC), the last year any date
     * Portlink takes may fall in. A later one (year 300000) is a mistake, and one the database may not even hold.
     */
    public static final Instant LATEST_EXPIRY = java.time.LocalDate.of(Fields.LAST_YEAR + 1, 1, 1)
            .atStartOfDay(java.time.ZoneOffset.UTC).toInstant().minusSeconds(1);

    /**
     * The one rule on how far ahead an expiry may be, for every link and every page that sets one (staff form, API).
     *
     * @throws ValidationException
     *             on {@code expiresAt} when it is after {@link #LATEST_EXPIRY}
     */
    public static void checkLatest(Instant expiresAt) {
        if (expiresAt != null && expiresAt.isAfter(LATEST_EXPIRY)) {
            throw ValidationException.of("expiresAt", "must be no later than " + LATEST_EXPIRY
                    + " (a link's expiry ends in the year " + Fields.LAST_YEAR + " at the latest)",
                    expiresAt.toString());
        }
    }

    /** The full URL of a token of this scope, on the configured public base URL (never the request's host). */
    public String url(AccessLink.Scope scope, String token) {
        return config.publicUrl(scope.path + token);
    }

    /** A new token with what a link row stores of it (hash, hint): for an import that writes its link rows itself. */
    public record Minted(String token, String hash, String hint) {
    }

    /**
     * A token for a link of a scope that {@link #issue} would not check against other links (several active per
     * subject, not rederivable), for a caller that inserts the link row itself in its own transaction.
     *
     * @throws IllegalArgumentException
     *             for a scope with one active link per subject or rederivable tokens: those need {@link #issue}
     */
    public static Minted mint(AccessLink.Scope scope) {
        if (scope.oneActivePerSubject || rederivable(scope)) {
            throw new IllegalArgumentException(scope + " links are issued one by one");
        }
        String token = Tokens.generate(scope.prefix);
        return new Minted(token, Tokens.sha256(token), Tokens.hint(token));
    }

    /**
     * Issues a link of a scope for a subject (its kind must be the scope's, else IllegalArgumentException), with an
     * optional recipient and expiry (null: none). Must run inside the caller's transaction. For a scope with one active
     * link per subject, a link still active is a {@link ConflictException}; one that has expired is revoked first.
     */
    public Issued issue(AccessLink.Scope scope, long organizationId, Target subject, String recipientName,
            String recipientContact, String createdBy, Instant expiresAt) {
        checkLatest(expiresAt);
        if (subject.kind() != scope.subject) {
            throw new IllegalArgumentException(scope + " links need a subject of kind " + scope.subject);
        }
        Instant now = Instant.now(clock);
        if (scope.oneActivePerSubject) {
            for (AccessLink old : unrevoked(scope, subject, true)) {
                if (old.expiresAt == null || old.expiresAt.isAfter(now)) {
                    throw new ConflictException("link #" + old.id + " (" + old.tokenHint + ") is still active. Its"
                            + " address was shown once, in the answer that made it (for a tracking link made with"
                            + " its shipment: the shipment's create answer), and in any mail that sent it; it is"
                            + " never shown again. To get an address now, regenerate the link (the current address"
                            + " stops working) or revoke it and create one");
                }
                revoke(old);
            }
            AccessLink.getEntityManager().flush(); // the revoke reaches the unique index before the insert
        }
        String seed = rederivable(scope) ? seed() : null;
        String token = seed == null ? Tokens.generate(scope.prefix) : derive(scope, seed);
        AccessLink link = new AccessLink();
        link.tokenSeed = seed;
        link.organization = AccessLink.getEntityManager().getReference(Organization.class, organizationId);
        link.scope = scope;
        link.purchaseOrderId = subject.purchaseOrderId();
        link.vendorId = subject.vendorId();
        link.shipmentId = subject.shipmentId();
        link.staffUserId = subject.staffUserId();
        link.tokenHash = Tokens.sha256(token);
        link.tokenHint = Tokens.hint(token);
        link.recipientName = recipientName;
        link.recipientContact = recipientContact;
        link.createdAt = now;
        link.createdBy = createdBy;
        link.expiresAt = expiresAt;
        link.persist();
        return new Issued(link.id, token, url(scope, token), link.expiresAt);
    }

    /**
     * Whether a scope's tokens can be rebuilt by the server for a later mail: CUSTOMER_SHIPMENT only (milestone mails
     * carry the shipment's active tracking link). Such a token is {@code prefix + HMAC-SHA256(server key, scope, seed)}
     * (base64url, the same 43 characters as a random token), the seed being 256 random bits stored on the link: the
     * token itself is still stored nowhere, and neither the seed nor the hash alone gives it; the server key
     * ({@link Signer#linkToken}: {@code portlink.link.token-key}, else derived from the session encryption key) does.
     * Every other scope keeps purely random tokens shown once.
     */
    public static boolean rederivable(AccessLink.Scope scope) {
        return scope == AccessLink.Scope.CUSTOMER_SHIPMENT;
    }

    /**
     * The URL of a link whose token the server can rebuild ({@link #rederivable}): only while the link is usable (not
     * revoked, not expired, organisation active), and only when the rebuilt token still hashes to the stored hash (a
     * link issued before seeds existed, or before the link key was changed, cannot be rebuilt: empty).
     */
    public Optional<String> currentUrl(AccessLink link) {
        return rebuilt(link).map(Issued::url);
    }

    /**
     * A link {@link #currentUrl} can rebuild, as it was issued (token, URL, expiry): for the answer of the request that
     * made it without holding its token, e.g. a shipment's create whose milestone rule issued the tracking link. Never
     * for showing a link again (tokens are shown once: SECURITY.md).
     */
    public Optional<Issued> rebuilt(AccessLink link) {
        if (link.tokenSeed == null || !rederivable(link.scope) || !link.isUsable(Instant.now(clock))) {
            return Optional.empty();
        }
        String token = derive(link.scope, link.tokenSeed);
        return Tokens.sha256(token).equals(link.tokenHash)
                ? Optional.of(new Issued(link.id, token, url(link.scope, token), link.expiresAt)) : Optional.empty();
    }

    private static String seed() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String derive(AccessLink.Scope scope, String seed) {
        return scope.prefix + signer.linkToken(scope.name(), seed);
    }

    /** The subject's active link (not revoked, not expired), newest first when a scope allows several. */
    @Transactional
    public Optional<AccessLink> active(AccessLink.Scope scope, Target subject) {
        Instant now = Instant.now(clock);
        return unrevoked(scope, subject, false).stream().filter(l -> l.expiresAt == null || l.expiresAt.isAfter(now))
                .reduce((first, second) -> second);
    }

    /** The subject's links that are not revoked (expired ones included), oldest first. */
    private List<AccessLink> unrevoked(AccessLink.Scope scope, Target subject, boolean lock) {
        String column = switch (scope.subject) {
        case PURCHASE_ORDER -> "purchaseOrderId";
        case SHIPMENT -> "shipmentId";
        case STAFF_USER -> "staffUserId";
        };
        Long id = switch (scope.subject) {
        case PURCHASE_ORDER -> subject.purchaseOrderId();
        case SHIPMENT -> subject.shipmentId();
        case STAFF_USER -> subject.staffUserId();
        };
        var query = AccessLink.<AccessLink> find("scope = ?1 and " + column + " = ?2 and revokedAt is null order by id",
                scope, id);
        if (lock) {
            query.withLock(LockModeType.PESSIMISTIC_WRITE);
        }
        return query.list();
    }

    /**
     * What a token is under the scope of the path it came on. Must run inside a transaction; the caller reads the
     * link's relations.
     */
    public Resolution resolve(String token, AccessLink.Scope scope) {
        return resolve(token, scope, false);
    }

    /** {@link #resolve}, with the link's row locked (for a change that must happen once, e.g. accepting). */
    public Resolution resolveForUpdate(String token, AccessLink.Scope scope) {
        return resolve(token, scope, true);
    }

    private Resolution resolve(String token, AccessLink.Scope scope, boolean lock) {
        if (!Tokens.wellFormed(token, scope.prefix)) {
            return new Unknown();
        }
        // the organisation comes with the link: whether the link opens depends on it
        var query = lock
                ? AccessLink.<AccessLink> find("tokenHash = ?1 and scope = ?2", Tokens.sha256(token), scope)
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                : AccessLink.<AccessLink> find(
                        "from AccessLink l join fetch l.organization where l.tokenHash = ?1" + " and l.scope = ?2",
                        Tokens.sha256(token), scope);
        Optional<AccessLink> found = query.firstResultOptional();
        if (found.isEmpty()) {
            return new Unknown();
        }
        AccessLink link = found.get();
        return link.isUsable(Instant.now(clock)) ? new Active(link) : new Gone(link.id);
    }

    /**
     * A holder of a revoked or expired link asks for a new one, if the scope allows it. At most one open request per
     * link a day: the page can be reloaded and the button pressed again without flooding staff. Fires
     * {@link LinkEvents.Requested} for the feature of the scope. Returns true when a new request was recorded.
     */
    @Transactional
    public boolean requestNewLink(String token, AccessLink.Scope scope) {
        if (!scope.mayAskForNewLink || !Tokens.wellFormed(token, scope.prefix)) {
            return false;
        }
        Optional<AccessLink> found = AccessLink
                .<AccessLink> find("tokenHash = ?1 and scope = ?2", Tokens.sha256(token), scope)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        Instant now = Instant.now(clock);
        // only a link that is gone may ask; a locked organisation's too: its page looks like any gone link's (it must
        // not tell that the organisation is locked), so its request is kept like any other and staff see it in
        // their queue once the organisation is active again
        if (found.isEmpty() || found.get().isUsable(now)) {
            return false;
        }
        AccessLink link = found.get();
        if (LinkRequest.count("link = ?1 and requestedAt > ?2", link, now.minus(Duration.ofDays(1))) > 0) {
            return false;
        }
        LinkRequest request = new LinkRequest();
        request.organization = link.organization;
        request.link = link;
        request.requestedAt = now;
        request.persist();
        requested.fire(new LinkEvents.Requested(link.id, scope, link.organization.id, Target.of(link)));
        return true;
    }

    /**
     * Counts a fetch of a link page by a machine ({@link Bots}: HEAD, scanner and preview agents). A page fetch is
     * never a person's open, whatever its agent: that is recorded only on signals scanners do not give, the page's own
     * stylesheet fetched with its render nonce ({@link #confirmOpen}) or a form posted ({@link #recordAction}).
     * Telemetry, allowed on GET. The link's first machine fetch is written at once (inside the caller's transaction);
     * later ones are counted in memory and written in batches ({@link OpenCounts}), so a fetch costs no write.
     */
    @Transactional
    public void recordBotFetch(AccessLink link) {
        Instant now = Instant.now(clock);
        meters.open(link.scope, false);
        if (link.lastBotOpenAt != null || AccessLink.getEntityManager().createNamedQuery(AccessLink.FIRST_BOT_FETCH)
                .setParameter("at", now).setParameter("id", link.id).executeUpdate() == 0) {
            counts.bot(link.id, now);
        }
    }

    /** The nonce's lifetime and the clock difference between replicas that a nonce's time may be ahead by. */
    private static final Duration NONCE_SKEW = Duration.ofMinutes(1);

    /** Most nonces remembered as counted (those of the last {@link #RENDER_NONCE_LIFE}); beyond, none counts. */
    static final int MAX_COUNTED_NONCES = 200_000;

    /** Nonces that counted on this replica, with their render time, until they are stale. */
    private final Map<String, Instant> countedNonces = new ConcurrentHashMap<>();

    /**
     * A new nonce for one render of a link page, to be put in that page's stylesheet URL: a browser that shows the page
     * asks for it at once, a scanner that only reads the HTML never does. Nothing is written: the nonce is 22 base64url
     * characters, its render time (seconds) and 32 random bits followed by 64 bits of the server's signature over them,
     * the scope and the token's hash, so it is good for this link only and for {@link #RENDER_NONCE_LIFE} (checked in
     * {@link #confirmOpen}). Call it only for a page shown for an active link.
     */
    public String renderNonce(String token, AccessLink.Scope scope) {
        ByteBuffer head = ByteBuffer.allocate(8);
        head.putInt((int) Instant.now(clock).getEpochSecond());
        head.putInt(RANDOM.nextInt());
        String time = Base64.getUrlEncoder().withoutPadding().encodeToString(head.array());
        return time + nonceSignature(scope, Tokens.sha256(token), time);
    }

    private String nonceSignature(AccessLink.Scope scope, String tokenHash, String head) {
        return signer.sign("render nonce", scope.name(), tokenHash, head).substring(0, 11);
    }

    /** Whether a nonce is one {@link #renderNonce} made for this token's link within its life. */
    private boolean nonceValid(AccessLink.Scope scope, String tokenHash, String nonce, Instant now) {
        if (nonce.length() != 22) {
            return false;
        }
        String head = nonce.substring(0, 11);
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(head);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (bytes.length != 8 || !MessageDigest.isEqual(nonce.substring(11).getBytes(StandardCharsets.US_ASCII),
                nonceSignature(scope, tokenHash, head).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        Instant rendered = Instant.ofEpochSecond(Integer.toUnsignedLong(ByteBuffer.wrap(bytes).getInt()));
        return rendered.isAfter(now.minus(RENDER_NONCE_LIFE)) && !rendered.isAfter(now.plus(NONCE_SKEW));
    }

    /** Marks a nonce counted on this replica; false when it already was (or too many are remembered). */
    private boolean firstUse(String nonce, Instant now) {
        if (countedNonces.size() >= MAX_COUNTED_NONCES / 2) {
            Instant stale = now.minus(RENDER_NONCE_LIFE).minus(NONCE_SKEW);
            countedNonces.values().removeIf(at -> at.isBefore(stale));
            if (countedNonces.size() >= MAX_COUNTED_NONCES) {
                return false;
            }
        }
        return countedNonces.putIfAbsent(nonce, now) == null;
    }

    /**
     * A fetch of a link page's render stylesheet ({@code …/seen/{nonce}.css}) with its request headers: a browser asks
     * for a stylesheet as one ({@code Sec-Fetch-Dest: style}, or no such header in older ones); crawlers and headless
     * fetchers that follow every href are no person, whatever they fetch; a prefetch or prerender is a page nobody has
     * looked at yet. Only a person's fetch goes on to {@link #confirmOpen}. Returns whether an open counted.
     */
    public boolean stylesheetFetched(String token, AccessLink.Scope scope, String nonce, String agent,
            String fetchDestination, String secPurpose, String purpose) {
        boolean ahead = (secPurpose != null && secPurpose.contains("prefetch"))
                || (purpose != null && purpose.contains("prefetch"));
        if ((fetchDestination == null || "style".equals(fetchDestination)) && !ahead && !Bots.neverAPerson(agent)) {
            return confirmOpen(token, scope, nonce);
        }
        return false;
    }

    /**
     * The page rendered with this nonce was shown by a browser: a person's open, also when the link was revoked or
     * regenerated after the render. A nonce counts once (on each replica: the nonces that counted are remembered in
     * memory, not in the database), within {@link #RENDER_NONCE_LIFE} of its render, and only with its own link's
     * token. The link's first person open is written at once, with {@link LinkEvents.Opened} (the feature's "first
     * opened", the "Never opened" bucket); later ones are counted by {@link OpenCounts}. Returns whether it counted.
     */
    @Transactional
    public boolean confirmOpen(String token, AccessLink.Scope scope, String nonce) {
        if (!Tokens.wellFormed(token, scope.prefix) || nonce == null) {
            return false;
        }
        Instant now = Instant.now(clock);
        String hash = Tokens.sha256(token);
        if (!nonceValid(scope, hash, nonce, now)) {
            return false;
        }
        // not filtered on usable: the signed nonce proves the page was shown for an active link, so a person who saw
        // it opened it even when staff revoked or regenerated the link a moment later
        Optional<AccessLink> found = AccessLink.<AccessLink> find("tokenHash = ?1 and scope = ?2", hash, scope)
                .firstResultOptional();
        if (found.isEmpty() || !firstUse(nonce, now)) {
            return false;
        }
        AccessLink link = found.get();
        meters.open(scope, true);
        if (link.firstOpenedAt == null) {
            // the feature's subject row first (its writers lock it before the link), then the link
            opened.fire(new LinkEvents.Opened(link.id, scope, Target.of(link), now));
            if (AccessLink.getEntityManager().createNamedQuery(AccessLink.FIRST_OPEN).setParameter("at", now)
                    .setParameter("id", link.id).executeUpdate() == 1) {
                return true;
            }
        }
        counts.person(link.id, now); // a repeat open, or a first one that a concurrent request wrote first
        return true;
    }

    /** A link's open counts as staff see them: its row plus what this replica counted and has not written yet. */
    public record Opens(int people, Instant firstOpenedAt, Instant lastOpenedAt, int bots, Instant lastBotOpenAt) {
    }

    /** {@link Opens} of a loaded link (the row's counts and this replica's pending ones). */
    public Opens opens(AccessLink link) {
        OpenCounts.Pending p = counts.pending(link.id);
        return new Opens(link.openCount + p.people(), link.firstOpenedAt,
                OpenCounts.Pending.later(link.lastOpenedAt, p.lastOpenedAt()), link.botOpenCount + p.bots(),
                OpenCounts.Pending.later(link.lastBotOpenAt, p.lastBotOpenAt()));
    }

    /**
     * A form was posted with the link: machines do not post forms, so a person has opened it (counted as one open when
     * none was recorded yet).
     */
    @Transactional
    public void recordAction(String token, AccessLink.Scope scope) {
        if (!Tokens.wellFormed(token, scope.prefix)) {
            return;
        }
        Instant now = Instant.now(clock);
        String hash = Tokens.sha256(token);
        Optional<AccessLink> found = AccessLink
                .<AccessLink> find("tokenHash = ?1 and scope = ?2 and revokedAt is null", hash, scope)
                .firstResultOptional();
        if (found.isEmpty()) {
            return;
        }
        if (found.get().firstOpenedAt == null) {
            meters.open(scope, true);
        }
        opened.fire(new LinkEvents.Opened(found.get().id, scope, Target.of(found.get()), now));
        // forward only, as OpenCounts writes it: forms of one page posted at once commit in any order
        AccessLink.update("openCount = openCount + case when firstOpenedAt is null then 1 else 0 end,"
                + " lastOpenedAt = case when lastOpenedAt is null or lastOpenedAt < ?1 then ?1 else lastOpenedAt end,"
                + " firstOpenedAt = coalesce(firstOpenedAt, ?1) where tokenHash = ?2 and revokedAt is null", now, hash);
    }

    /** Finds a link of the organisation and scope that matches a token shown earlier (e.g. on the import screen). */
    @Transactional
    public Optional<AccessLink> findByToken(long organizationId, String token, AccessLink.Scope scope) {
        if (!Tokens.wellFormed(token, scope.prefix)) {
            return Optional.empty();
        }
        return AccessLink.<AccessLink> find("tokenHash = ?1 and scope = ?2", Tokens.sha256(token), scope)
                .firstResultOptional().filter(l -> l.organization.id == organizationId && l.revokedAt == null);
    }

    /** Stops the link at once (for good). Must run inside the caller's transaction. */
    public void revoke(AccessLink link) {
        if (link.revokedAt == null) {
            link.revokedAt = Instant.now(clock);
        }
    }

    /**
     * Sets a link's expiry (null: none). Must run inside the caller's transaction, with the subject's lock held. A link
     * the expiry job had marked expired that gets an expiry ahead (or none) works again and loses the mark, so its next
     * end is marked (and written on its timeline) again.
     */
    public void setExpiry(AccessLink link, Instant expiresAt) {
        checkLatest(expiresAt);
        link.expiresAt = expiresAt;
        if (link.expiredAt != null && (expiresAt == null || expiresAt.isAfter(Instant.now(clock)))) {
            link.expiredAt = null;
        }
    }

    /**
     * Old link stops, a new one is issued for the same subject and recipient with the given expiry (null: none): one
     * step, one transaction (the caller's).
     */
    public Issued regenerate(AccessLink old, String createdBy, Instant expiresAt) {
        revoke(old);
        if (old.scope.oneActivePerSubject) {
            AccessLink.getEntityManager().flush(); // the old one leaves the unique index before the new one enters
        }
        return issue(old.scope, old.organization.id, Target.of(old), old.recipientName, old.recipientContact, createdBy,
                expiresAt);
    }

    /**
     * Whether a failed write is a violation of an "at most one active link" unique index ({@code *one_active*}, or one
     * the driver does not name): a concurrent writer issued the subject's link first.
     */
    public static boolean isOneActiveViolation(Throwable e) {
        return io.portlink.platform.ConstraintViolations.violated(e)
                .map(name -> name.isEmpty() || name.contains("one_active")).orElse(false);
    }
}
