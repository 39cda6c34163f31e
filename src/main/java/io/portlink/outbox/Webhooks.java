package io.portlink.outbox;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/**
 * Signed outbound webhooks: an organisation's endpoints, the events features publish to them, and their deliveries.
 *
 * <p>
 * A feature calls {@link #publish} inside the transaction of the change the event is about: one outbox message is
 * queued per enabled endpoint of the organisation that wants the type, each with its own event id ({@code evt_…}), and
 * they exist if and only if that transaction commits. {@link WebhookDelivery} (run by the outbox's job) POSTs them,
 * signed with the endpoint's secret ({@link WebhookSecrets}), retries with backoff and ends dead after
 * {@code portlink.webhooks.max-attempts} tries. The organisation always comes from the caller's login or key: another
 * organisation's endpoint is "not found" for every method here.
 */
@ApplicationScoped
public class Webhooks {

    /** Most endpoints of one organisation (so publishing and the endpoint list stay one short page). */
    public static final int MAX_ENDPOINTS = 20;

    /** The type of the test event staff send from the endpoint's page; delivered whatever types the endpoint wants. */
    public static final String TEST_EVENT = "webhook.test";

    /** Deliveries on one page of an endpoint's list. */
    public static final int DELIVERIES_PAGE = 20;

    /** An event type: lower-case words joined by dots, e.g. {@code sales_order.shipped}; at most 64 characters. */
    static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    /** The largest JSON body one event may have (characters): the outbox's body column. */
    static final int MAX_BODY = 100_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Clock clock;

    /** Each feature's list of the types it publishes; see {@link #knownTypes()}. */
    @Inject
    Instance<WebhookEventTypes> publishers;

    @Inject
    PortlinkConfig config;

    @Inject
    WebhookSecrets secrets;

    @Inject
    ObjectMapper json;

    @Inject
    TransactionSynchronizationRegistry transaction;

    /** The key of this transaction's memo of enabled endpoints by organisation ({@link #enabledInTransaction}). */
    private static final String ENABLED = Webhooks.class.getName() + ".enabled";

    /** An endpoint as pages and the API show it; {@code eventTypes} empty when it wants every type. */
    public record EndpointView(long id, String url, List<String> eventTypes, String secretHint, boolean enabled,
            Instant createdAt, Instant updatedAt) {

        public boolean allEvents() {
            return eventTypes.isEmpty();
        }
    }

    /** An endpoint with its secret, which is shown this once (at creation or rotation). */
    public record WithSecret(EndpointView endpoint, String secret) {
    }

    /**
     * The organisation has an endpoint for this address already: one endpoint per address, so a create sent twice (a
     * retry after a lost answer, a double submit) never makes a receiver get each event twice under two ids.
     * {@link #sameEventTypes}: the existing one wants the same types, so the create was a repeat of it.
     */
    public static final class EndpointExists extends ConflictException {

        private final EndpointView endpoint;
        private final boolean sameEventTypes;

        EndpointExists(EndpointView endpoint, boolean sameEventTypes, String sentTypes) {
            super("webhook endpoint " + endpoint.id() + " has this address already (one endpoint per address): rotate"
                    + " its secret for a new one, or delete it to add the address with other event types",
                    sameEventTypes ? List.of() : List.of(new ValidationException.FieldError(null, "eventTypes",
                            "endpoint " + endpoint.id() + " for this address wants "
                                    + (endpoint.allEvents() ? "every type" : String.join(", ", endpoint.eventTypes())),
                            sentTypes.isEmpty() ? "every type" : sentTypes)));
            this.endpoint = endpoint;
            this.sameEventTypes = sameEventTypes;
        }

        /** The endpoint already there. */
        public EndpointView endpoint() {
            return endpoint;
        }

        /** Whether it wants the event types the create asked for. */
        public boolean sameEventTypes() {
            return sameEventTypes;
        }
    }

    /** Where a delivery stands, as staff read it. */
    public enum DeliveryStatus {
        /** Queued, not tried yet. */
        PENDING,
        /** Tried and failed; tried again at {@code nextAttemptAt}. */
        RETRYING, DELIVERED,
        /** Tried the maximum number of times; staff can retry it. */
        DEAD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One delivery of an event to an endpoint; {@code nextAttemptAt} only while pending or retrying. */
    public record DeliveryView(long id, String eventId, String type, DeliveryStatus status, int attempts,
            Integer lastStatusCode, String lastError, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt) {
    }

    /** One page of an endpoint's deliveries, newest first. */
    public record DeliveryPage(EndpointView endpoint, List<DeliveryView> deliveries, int page, boolean hasMore) {
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Queues an event for every enabled endpoint of the organisation that wants {@code type}, in the caller's
     * transaction (or a new one when there is none): nothing is sent when it rolls back. The body is {@code {id, type,
     * createdAt, organization: {id, name}, data}} with {@code data} as Jackson writes it (a map or a record). Returns
     * the event ids, one per endpoint (none when no endpoint wants it).
     *
     * @throws IllegalArgumentException
     *             for a type that is not lower-case words joined by dots, or a body over 100,000 characters
     */
    @Transactional
    public List<String> publish(long organizationId, String type, Object data) {
        checkType(type);
        Organization org = Organization.findById(organizationId);
        if (org == null) {
            throw new IllegalArgumentException("no organisation " + organizationId);
        }
        List<String> ids = new ArrayList<>();
        for (WebhookEndpoint endpoint : enabledInTransaction(organizationId)) {
            if (endpoint.wants(type)) {
                ids.add(queue(org, endpoint, type, data));
            }
        }
        return ids;
    }

    private String queue(Organization org, WebhookEndpoint endpoint, String type, Object data) {
        Instant now = Instant.now(clock);
        String id = newEventId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", type);
        body.put("createdAt", now.toString());
        body.put("organization", Map.of("id", org.id, "name", org.name));
        body.put("data", data == null ? Map.of() : data);
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the data of a " + type + " event cannot be written as JSON", e);
        }
        if (text.length() > MAX_BODY) {
            throw new IllegalArgumentException(
                    "a " + type + " event's body has " + text.length() + " characters, more than " + MAX_BODY);
        }
        OutboxMessage.webhook(org, endpoint, id, type, text, now).persist();
        return id;
    }

    private static void checkType(String type) {
        if (type == null || type.length() > 64 || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException(
                    "an event type is lower-case words joined by dots, like sales_order.shipped; got " + type);
        }
    }

    /** 128 random bits: unique, and the receiver's idempotency key. */
    private static String newEventId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "evt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The organisation's enabled endpoints, read once per transaction: a batch that publishes an event per row (the
     * dropship routing of 500 orders) asks the database once, not once per row (each query would also make Hibernate
     * dirty-check the whole batch before it). Adding, enabling, disabling or deleting an endpoint forgets the memo.
     */
    private List<WebhookEndpoint> enabledInTransaction(long organizationId) {
        @SuppressWarnings("unchecked")
        Map<Long, List<WebhookEndpoint>> memo = (Map<Long, List<WebhookEndpoint>>) transaction.getResource(ENABLED);
        if (memo == null) {
            memo = new java.util.HashMap<>();
            transaction.putResource(ENABLED, memo);
        }
        return memo.computeIfAbsent(organizationId, Webhooks::enabled);
    }

    /** Forgets this transaction's memo of the organisation's enabled endpoints (called by every change to them). */
    private void forget(long organizationId) {
        @SuppressWarnings("unchecked")
        Map<Long, List<WebhookEndpoint>> memo = (Map<Long, List<WebhookEndpoint>>) transaction.getResource(ENABLED);
        if (memo != null) {
            memo.remove(organizationId);
        }
    }

    private static List<WebhookEndpoint> enabled(long organizationId) {
        return WebhookEndpoint
                .<WebhookEndpoint> find("organization.id = ?1 and enabled = true order by id", organizationId)
                .page(0, MAX_ENDPOINTS).list();
    }

    // ------------------------------------------------------------------ endpoints

    /** The organisation's endpoints, oldest first (at most {@value #MAX_ENDPOINTS}). */
    @Transactional
    public List<EndpointView> list(long organizationId) {
        return WebhookEndpoint.<WebhookEndpoint> find("organization.id = ?1 order by id", organizationId)
                .page(0, MAX_ENDPOINTS).list().stream().map(Webhooks::view).toList();
    }

    /** One endpoint of the organisation. */
    @Transactional
    public Optional<EndpointView> view(long organizationId, long id) {
        return endpoint(organizationId, id).map(Webhooks::view);
    }

    /**
     * A new, enabled endpoint with a new secret, which the answer carries this once. {@code eventTypes}: types
     * separated by commas or spaces; blank or {@code *} for every type.
     *
     * @throws ValidationException
     *             naming {@code url} or {@code eventTypes}, or the organisation has {@value #MAX_ENDPOINTS} already
     * @throws EndpointExists
     *             the organisation has an endpoint for this address (checked after the organisation's lock, so two
     *             creates at once make one)
     */
    @Transactional
    public WithSecret create(long organizationId, String url, String eventTypes) {
        // two at once are served one after the other: the second counts the first (limits, open invitations)
        Organization.lockForCreating(organizationId);
        var errors = new ValidationException.Builder();
        String checkedUrl = checkUrl(url, config.webhooks().allowLocal(), errors);
        String types = eventTypes(eventTypes, knownTypes(), errors);
        errors.throwIfAny();
        // before the limit: a retry of a create at the limit is that endpoint, not "delete one first"
        List<WebhookEndpoint> all = WebhookEndpoint
                .<WebhookEndpoint> find("organization.id = ?1 order by id", organizationId).page(0, MAX_ENDPOINTS + 1)
                .list();
        String address = sameAddress(checkedUrl);
        WebhookEndpoint existing = all.stream().filter(e -> sameAddress(e.url).equals(address)).findFirst()
                .orElse(null);
        if (existing != null) {
            // the same types in another order are the same subscription
            boolean same = Set.of(existing.eventTypes.split(",")).equals(Set.of(types.split(",")));
            throw new EndpointExists(view(existing), same, WebhookEndpoint.ALL.equals(types) ? "" : types);
        }
        if (all.size() >= MAX_ENDPOINTS) {
            errors.add("url", "an organisation has at most " + MAX_ENDPOINTS + " webhook endpoints; delete one first",
                    null);
            errors.throwIfAny();
        }
        Instant now = Instant.now(clock);
        WebhookEndpoint e = new WebhookEndpoint();
        e.organization = Organization.findById(organizationId);
        e.url = checkedUrl;
        e.eventTypes = types;
        e.secretSeed = WebhookSecrets.newSeed();
        e.secretHint = "";
        e.enabled = true;
        e.createdAt = now;
        e.updatedAt = now;
        e.persist(); // the id is part of what the secret is derived from
        forget(organizationId);
        String secret = secrets.secret(e);
        e.secretHint = WebhookSecrets.hint(secret);
        return new WithSecret(view(e), secret);
    }

    /**
     * A new secret for the endpoint, shown this once; the old one stops at once: every try from now on, retries of
     * events queued before included, is signed with the new one.
     */
    @Transactional
    public Optional<WithSecret> rotate(long organizationId, long id) {
        return endpoint(organizationId, id).map(e -> {
            e.secretSeed = WebhookSecrets.newSeed();
            String secret = secrets.secret(e);
            e.secretHint = WebhookSecrets.hint(secret);
            e.updatedAt = Instant.now(clock);
            return new WithSecret(view(e), secret);
        });
    }

    /**
     * Turns an endpoint on or off. A disabled endpoint gets no new events, and deliveries already queued for it wait
     * until it is enabled again.
     */
    @Transactional
    public Optional<EndpointView> setEnabled(long organizationId, long id, boolean enabled) {
        return endpoint(organizationId, id).map(e -> {
            if (e.enabled != enabled) {
                e.enabled = enabled;
                e.updatedAt = Instant.now(clock);
                forget(organizationId);
            }
            return view(e);
        });
    }

    /** Deletes an endpoint with its deliveries (pending ones are never sent); false when there is no such endpoint. */
    @Transactional
    public boolean delete(long organizationId, long id) {
        Optional<WebhookEndpoint> found = endpoint(organizationId, id);
        if (found.isEmpty()) {
            return false;
        }
        OutboxMessage.delete("webhookEndpointId = ?1 and channel = ?2", id, OutboxMessage.Channel.WEBHOOK);
        found.get().delete();
        forget(organizationId);
        return true;
    }

    /**
     * Queues a {@value #TEST_EVENT} event for this endpoint only, whatever types it wants; returns its event id.
     *
     * @throws ValidationException
     *             when the endpoint is disabled (it would not be sent)
     */
    @Transactional
    public Optional<String> sendTest(long organizationId, long id) {
        return endpoint(organizationId, id).map(e -> {
            if (!e.enabled) {
                throw ValidationException.of("endpoint", "is disabled: enable it to send a test event", e.url);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("message", "A test event from Portlink: the signature checks out if you can read this.");
            data.put("endpoint", e.id);
            return queue(e.organization, e, TEST_EVENT, data);
        });
    }

    // ------------------------------------------------------------------ deliveries

    /** One page of the endpoint's deliveries, newest first; empty when there is no such endpoint. */
    @Transactional
    public Optional<DeliveryPage> deliveries(long organizationId, long id, int page) {
        Paging paging = new Paging(page, DELIVERIES_PAGE);
        return endpoint(organizationId, id).map(e -> {
            List<OutboxMessage> rows = OutboxMessage
                    .<OutboxMessage> find("webhookEndpointId = ?1 and channel = ?2 order by id desc", e.id,
                            OutboxMessage.Channel.WEBHOOK)
                    .range(paging.offset(), paging.offset() + paging.size()).list();
            boolean more = rows.size() > paging.size();
            return new DeliveryPage(view(e), rows.stream().limit(paging.size()).map(Webhooks::delivery).toList(), page,
                    more);
        });
    }

    /**
     * Sends a dead delivery again: it is due now, with the full number of tries (and the same event id, so a receiver
     * that did take it recognises it). False when there is no such delivery of the endpoint in the organisation.
     *
     * @throws ValidationException
     *             when the delivery is not dead
     */
    @Transactional
    public boolean retry(long organizationId, long endpointId, long deliveryId) {
        if (endpoint(organizationId, endpointId).isEmpty()) {
            return false;
        }
        OutboxMessage m = OutboxMessage
                .<OutboxMessage> find("id = ?1 and webhookEndpointId = ?2 and channel = ?3 and organization.id = ?4",
                        deliveryId, endpointId, OutboxMessage.Channel.WEBHOOK, organizationId)
                .firstResult();
        if (m == null) {
            return false;
        }
        if (m.status != OutboxMessage.Status.DEAD || m.bodyText == null) {
            throw ValidationException.of("delivery",
                    "only a dead delivery can be retried; this one is " + delivery(m).status().label(), m.messageId);
        }
        m.status = OutboxMessage.Status.PENDING;
        m.attempts = 0;
        m.nextAttemptAt = Instant.now(clock);
        m.claimedUntil = null;
        return true;
    }

    // ------------------------------------------------------------------ rules and views

    private static Optional<WebhookEndpoint> endpoint(long organizationId, long id) {
        return WebhookEndpoint.<WebhookEndpoint> find("id = ?1 and organization.id = ?2", id, organizationId)
                .firstResultOptional();
    }

    private static EndpointView view(WebhookEndpoint e) {
        return new EndpointView(e.id, e.url, e.types(), e.secretHint, e.enabled, e.createdAt, e.updatedAt);
    }

    static DeliveryView delivery(OutboxMessage m) {
        DeliveryStatus status = switch (m.status) {
        case SENT -> DeliveryStatus.DELIVERED;
        // no webhook kind is withdrawn (no handler serves them); shown as not delivered should one ever be
        case DEAD, WITHDRAWN -> DeliveryStatus.DEAD;
        case PENDING -> m.attempts == 0 ? DeliveryStatus.PENDING : DeliveryStatus.RETRYING;
        };
        boolean waiting = m.status == OutboxMessage.Status.PENDING;
        return new DeliveryView(m.id, m.messageId, m.kind, status, m.attempts, m.lastStatusCode, m.lastError,
                m.createdAt, waiting ? m.nextAttemptAt : null, m.sentAt);
    }

    /**
     * Every event type an endpoint may ask for: {@link #TEST_EVENT} and the types of each {@link WebhookEventTypes}
     * bean, sorted.
     */
    public SortedSet<String> knownTypes() {
        var known = new TreeSet<String>();
        known.add(TEST_EVENT);
        publishers.forEach(p -> known.addAll(p.eventTypes()));
        return known;
    }

    /**
     * Blank or {@code *}: every type; else up to 20 distinct types separated by commas or white space, each one of
     * {@code known} (a misspelt type would never receive anything).
     */
    private static String eventTypes(String text, Set<String> known, ValidationException.Builder errors) {
        if (text == null || text.isBlank() || text.strip().equals(WebhookEndpoint.ALL)) {
            return WebhookEndpoint.ALL;
        }
        Set<String> types = new LinkedHashSet<>();
        for (String t : text.strip().split("[,\\s]+")) {
            if (t.length() > 64 || !TYPE.matcher(t).matches()) {
                errors.add("eventTypes", "each event type is lower-case words joined by dots, like sales_order.shipped",
                        t);
                return WebhookEndpoint.ALL;
            }
            if (!known.contains(t)) {
                errors.add("eventTypes", "is not an event type Portlink sends; the types are "
                        + String.join(", ", known) + " (or none for every type)", t);
                return WebhookEndpoint.ALL;
            }
            types.add(t);
        }
        if (types.size() > 20) {
            errors.add("eventTypes", "name at most 20 event types, or none for every type", null);
        }
        return String.join(",", types);
    }

    /**
     * The URL as stored: absolute {@code https://} (or {@code http://} when {@code allowLocal}), ASCII, at most 2,000
     * characters, no user name or fragment, and, unless {@code allowLocal}, not a loopback, private or link-local host.
     * Adds what is wrong to {@code errors}.
     */
    /**
     * What makes two endpoint URLs one address: the scheme and host without case, the host without a trailing dot, no
     * port where it is the scheme's default (https 443, http 80); the path and query as written (a receiver may tell
     * {@code /a} from {@code /A}). {@code url} is one {@link #checkUrl} took.
     */
    public static String sameAddress(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return url; // stored before today's checks: only the same text is the same address
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return url;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        int port = uri.getPort() == ("https".equals(scheme) ? 443 : 80) ? -1 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + host + (port < 0 ? "" : ":" + port) + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    static String checkUrl(String url, boolean allowLocal, ValidationException.Builder errors) {
        if (url == null || url.isBlank()) {
            errors.add("url", "enter the https:// address that receives the webhooks", url);
            return null;
        }
        String u = url.strip();
        if (u.length() > 2000) {
            errors.add("url", "must be at most 2,000 characters", u.substring(0, 100) + "…");
            return null;
        }
        if (!u.chars().allMatch(c -> c > 32 && c < 127)) {
            errors.add("url",
                    "must be written without spaces and in ASCII: a host name with other letters in its"
                            + " xn-- form (e.g. xn--mnchen-3ya.example for münchen.example), anything else in the path"
                            + " percent-encoded",
                    u);
            return null;
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            errors.add("url", "is not a valid address: write it as https://host/path", u);
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowLocal && scheme.equals("http"))) {
            errors.add("url", allowLocal ? "must start with https:// or http://" : "must start with https://", u);
            return null;
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            errors.add("url", "must be https://host/path, without a user name, password or #fragment", u);
            return null;
        }
        if (uri.getHost() == null) {
            errors.add("url", "must name its host as a name (hooks.example.com) or an IP address written as four"
                    + " numbers (203.0.113.7) or in brackets ([2001:db8::7]), with a port from 1 to 65535 if any", u);
            return null;
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            errors.add("url", "must have a port from 1 to 65535, or none", u);
            return null;
        }
        String host = uri.getHost();
        if (looksNumeric(host) && !DOTTED_QUAD.matcher(host).matches()) {
            // 0177.0.0.1 and 0x7f000001 mean 127.0.0.1 to C resolvers and to curl, and something else to Java
            errors.add("url",
                    "must write an IP address as four decimal numbers without leading zeros, like" + " 203.0.113.7", u);
            return null;
        }
        if (host.length() > 253 || java.util.Arrays.stream(host.split("\\.")).anyMatch(label -> label.length() > 63)) {
            errors.add("url", "must have a host name of at most 253 characters, each part between dots at most 63", u);
            return null;
        }
        if (!allowLocal && localHost(host)) {
            errors.add("url", "must be a public address, not this machine or a private network", u);
            return null;
        }
        return u;
    }

    /**
     * Whether a host names this machine or a private network without asking DNS: {@code localhost}, {@code *.local},
     * {@code *.internal}, or an IP literal that is not public ({@link #publicAddress}).
     */
    static boolean localHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        // "localhost." is localhost: a trailing dot only says the name is complete
        String h = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        if (h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".local") || h.endsWith(".internal")) {
            return true;
        }
        if (h.startsWith("[") || h.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            try {
                // an IP literal: parsed without a lookup
                return !publicAddress(InetAddress.getByName(h.startsWith("[") ? h.substring(1, h.length() - 1) : h));
            } catch (java.net.UnknownHostException e) {
                return true;
            }
        }
        return false;
    }

    /** Four decimal numbers 0 to 255 without leading zeros. */
    private static final java.util.regex.Pattern DOTTED_QUAD = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /** A host whose every part is a number (decimal, or hex with 0x): an IP address in some spelling, not a name. */
    private static boolean looksNumeric(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return !h.isEmpty() && java.util.Arrays.stream(h.split("\\.", -1))
                .allMatch(part -> part.matches("[0-9]+|0[xX][0-9a-fA-F]*"));
    }

    /**
     * Not loopback, wildcard, link-local (cloud metadata), private (site-local, unique-local), multicast, "this
     * network" (0.0.0.0/8) or reserved and broadcast (240.0.0.0/4); an IPv6 address that carries an IPv4 one (NAT64
     * 64:ff9b::/96, 6to4 2002::/16) is judged by the IPv4 address it carries.
     */
    static boolean publicAddress(InetAddress a) {
        byte[] raw = a.getAddress();
        if (raw.length == 16 && ((raw[0] == 0 && raw[1] == 0x64 && (raw[2] & 0xff) == 0xff && (raw[3] & 0xff) == 0x9b
                && java.util.Arrays.equals(raw, 4, 12, new byte[8], 0, 8)) || (raw[0] == 0x20 && raw[1] == 0x02))) {
            int at = raw[0] == 0x20 ? 2 : 12;
            try {
                return publicAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(raw, at, at + 4)));
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 16 && (b[0] & 0xfe) == 0xfc) {
            return false; // IPv6 unique local fc00::/7
        }
        if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return false; // carrier-grade NAT 100.64.0.0/10
        }
        if (b.length == 4 && (b[0] == 0 || (b[0] & 0xff) >= 240)) {
            return false; // "this network" 0.0.0.0/8; reserved 240.0.0.0/4 with the broadcast 255.255.255.255
        }
        return true;
    }
}
