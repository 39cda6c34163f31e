package io.portlink.purchasing;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.organization.Logos;
import io.portlink.organization.Organization;
import io.portlink.platform.Locales;
import io.portlink.platform.OneTrip;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Tokens;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.mail.Buyer;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What a vendor can see and do through a link. The token decides everything: the organisation, the vendor, and which
 * orders are reachable. Vendors change only whitelisted fields.
 */
@ApplicationScoped
public class VendorDesk {

    @Inject
    Clock clock;

    @Inject
    Links links;

    @Inject
    OrderTimeline timeline;

    @Inject
    PortlinkConfig config;

    @Inject
    OrderLocks locks;

    @Inject
    VendorActions actions;

    @Inject
    VendorForms forms;

    // ---------------------------------------------------------------- views

    public record Line(String sku, String description, String quantity, String unit, String unitPrice, String amount) {
    }

    public record OrderPage(String organization, String vendorName, String reference, OrderStatus status,
            String deliveryAddress, String requestedDate, String expectedDate, String expectedDateIso, String minDate,
            String maxDate, String carrier, String trackingNumber, String vendorNote, String declineReason,
            List<Line> lines, long version, Map<String, String> nonces, boolean landing, boolean reconfirmAsked,
            String logoUrl, String language, long orderId, int revision, List<String> pendingChanges,
            String cancelReason, boolean cancelUnacknowledged, boolean cancelAcknowledged, List<String> totals) {

        /** Changes of revisions the vendor has not acknowledged yet: the banner with "Acknowledge revision N". */
        public boolean changeUnacknowledged() {
            return !pendingChanges.isEmpty();
        }

        public boolean closed() {
            return status.isClosed();
        }

        public boolean canConfirm() {
            return status.awaitsConfirmation();
        }

        /** Declined by the vendor: "I can supply it after all" is offered, as a secondary action with a warning. */
        public boolean canReopen() {
            return status == OrderStatus.DECLINED;
        }

        public boolean canDecline() {
            return status.declinable();
        }

        public boolean canUpdate() {
            return !status.isClosed();
        }

        public boolean canTrack() {
            return status.acceptsTracking();
        }

        /** Progress steps still ahead of the order. */
        public List<OrderStatus> nextSteps() {
            return List.of(OrderStatus.PREPARING, OrderStatus.DISPATCHED, OrderStatus.DELIVERED).stream()
                    .filter(s -> s.rank() > status.rank()).toList();
        }
    }

    /** One order of the vendor's list: its id (for what features above purchasing add to the row), dates as shown. */
    public record ListRow(long id, String reference, OrderStatus status, String requestedDate, String expectedDate,
            boolean closed) {
    }

    /**
     * The vendor's orders with an organisation: {@code open}, page {@code page} (from 0) of {@link #OPEN_PAGE}, by
     * expected (else requested) date; {@code hasNext} when more open orders follow; {@code recentlyClosed}, on the
     * first page only, the {@link #CLOSED_SHOWN} latest closed in the last 90 days ({@code closedCut}: there were
     * more). {@code lastPage}: for a page past the last one (an old address, a typed number), the last page that has
     * open orders (0 when none has); else -1.
     */
    public record OrderList(String organization, String vendorName, String landingReference, List<ListRow> open,
            List<ListRow> recentlyClosed, String logoUrl, String language, int page, boolean hasNext, boolean closedCut,
            int lastPage) {
    }

    /** Open orders a page of the vendor's list shows. */
    public static final int OPEN_PAGE = 100;

    /** Closed orders the vendor's list shows (the latest). */
    public static final int CLOSED_SHOWN = 50;

    /** What a token opened. */
    public sealed interface Access<T> {
    }

    public record Shown<T>(T page) implements Access<T> {
    }

    /** 410: revoked, expired, or the organisation is locked. */
    public record Gone<T>() implements Access<T> {
    }

    /** 404: no such link, or no such order for this link. */
    public record NotFound<T>() implements Access<T> {
    }

    /**
     * Opens an order page (the link's own order when {@code reference} is null); a machine's fetch is counted apart, a
     * person's open is recorded by the page's stylesheet (see {@link Links#confirmOpen}).
     */
    @Transactional
    public Access<OrderPage> open(String token, String reference, boolean bot) {
        Links.Resolution resolution = links.resolve(token, VendorLinks.SCOPE);
        if (resolution instanceof Links.Active active) {
            AccessLink link = active.link();
            if (bot) {
                links.recordBotFetch(link);
            }
            return reachable(link, reference).<Access<OrderPage>> map(o -> new Shown<>(page(link, o)))
                    .orElseGet(NotFound::new);
        }
        return resolution instanceof Links.Gone ? new Gone<>() : new NotFound<>();
    }

    /**
     * The nonce of the "ask for a new link" form on the page of a gone link; null for an active or unknown one (whose
     * pages have no such form).
     */
    @Transactional
    public String requestLinkNonce(String token) {
        return links.resolve(token, VendorLinks.SCOPE) instanceof Links.Gone gone
                ? forms.issue(gone.linkId(), 0, 0, REQUEST_LINK) : null;
    }

    /**
     * A holder of a gone link asks staff for a new one (see {@link Links#requestNewLink}), with the form's nonce.
     * Returns false, and asks nothing, when the nonce is not that form's (expired ones count: the request changes no
     * order, and a second one a day is dropped anyway).
     */
    @Transactional
    public boolean requestNewLink(String token, String nonce) {
        if (!(links.resolve(token, VendorLinks.SCOPE) instanceof Links.Gone gone)
                || forms.check(nonce, gone.linkId(), 0, REQUEST_LINK).verdict() == VendorForms.Verdict.REFUSED) {
            return false;
        }
        links.requestNewLink(token, VendorLinks.SCOPE);
        return true;
    }

    /** The language of an active link's vendor, for an answer to a post of theirs; empty for gone or unknown links. */
    @Transactional
    public Optional<String> language(String token) {
        return links.resolve(token, VendorLinks.SCOPE) instanceof Links.Active active
                ? Optional
                        .of(active.link().organization.formatFor(VendorLinks.vendor(active.link()).language).language())
                : Optional.empty();
    }

    /**
     * The vendor's orders with this organisation: open first ({@code page} of them, from 0; a page past the last is
     * empty), then, on the first page, those closed in the last 90 days.
     */
    @Transactional
    public Access<OrderList> orders(String token, boolean bot, int page) {
        Links.Resolution resolution = links.resolve(token, VendorLinks.SCOPE);
        if (!(resolution instanceof Links.Active active)) {
            return resolution instanceof Links.Gone ? new Gone<>() : new NotFound<>();
        }
        AccessLink link = active.link();
        if (bot) {
            links.recordBotFetch(link);
        }
        Vendor vendor = VendorLinks.vendor(link);
        Locales.Format format = link.organization.formatFor(vendor.language);
        // one more than shown tells whether a next page exists (the (vendor_id, closed_at) index finds them)
        List<ListRow> open = PurchaseOrder.<PurchaseOrder> find(
                "vendor = ?1 and closedAt is null order by coalesce(expectedDate, requestedDate) nulls last, reference",
                vendor).range(page * OPEN_PAGE, page * OPEN_PAGE + OPEN_PAGE).list().stream().map(o -> row(o, format))
                .toList();
        boolean hasNext = open.size() > OPEN_PAGE;
        int lastPage = -1;
        if (open.isEmpty() && page > 0) {
            // past the end: say where the end is rather than "no open orders" (one count by the vendor's index)
            long count = PurchaseOrder.count("vendor = ?1 and closedAt is null", vendor);
            lastPage = count == 0 ? 0 : (int) ((count - 1) / OPEN_PAGE);
        }
        List<ListRow> closed = List.of();
        if (page == 0) {
            Instant since = Instant.now(clock).minus(java.time.Duration.ofDays(90));
            closed = PurchaseOrder
                    .<PurchaseOrder> find("vendor = ?1 and closedAt >= ?2 order by closedAt desc", vendor, since)
                    .range(0, CLOSED_SHOWN).list().stream().map(o -> row(o, format)).toList();
        }
        return new Shown<>(new OrderList(link.organization.name, vendor.name, VendorLinks.order(link).reference,
                hasNext ? open.subList(0, OPEN_PAGE) : open,
                closed.size() > CLOSED_SHOWN ? closed.subList(0, CLOSED_SHOWN) : closed,
                Logos.url(link.organization.logoDigest), format.language(), page, hasNext, closed.size() > CLOSED_SHOWN,
                lastPage));
    }

    private static ListRow row(PurchaseOrder o, Locales.Format format) {
        return new ListRow(o.id, o.reference, o.status, format.date(o.requestedDate), format.date(o.expectedDate),
                o.status.isClosed());
    }

    /** The id of the order a link may reach, read without loading the order (it is locked before it is read). */
    private static Optional<Long> reachableId(AccessLink link, String reference) {
        if (reference == null) {
            return Optional.of(link.purchaseOrderId);
        }
        return PurchaseOrder.getEntityManager()
                .createQuery("select o.id from PurchaseOrder o where o.organization = ?1 and o.vendor.id = ?2"
                        + " and o.reference = ?3", Long.class)
                .setParameter(1, link.organization).setParameter(2, link.vendorId).setParameter(3, reference)
                .getResultStream().findFirst();
    }

    /** The order a link may reach: its own, or another order of the same vendor and organisation. */
    private Optional<PurchaseOrder> reachable(AccessLink link, String reference) {
        // one statement for the order, its vendor and its lines (the page shows all three)
        if (reference == null) {
            return PurchaseOrder.<PurchaseOrder> find(
                    "from PurchaseOrder o join fetch o.vendor left join fetch o.lines where o.id = ?1",
                    link.purchaseOrderId).singleResultOptional();
        }
        // the link's own order, or another order of its vendor with the same organisation
        return PurchaseOrder.<PurchaseOrder> find(
                "from PurchaseOrder o join fetch o.vendor left join fetch o.lines where o.organization = ?1"
                        + " and o.reference = ?3 and (o.vendor.id = ?2 or o.id = ?4)",
                link.organization, link.vendorId, reference, link.purchaseOrderId).singleResultOptional();
    }

    private OrderPage page(AccessLink link, PurchaseOrder o) {
        Locales.Format format = o.organization.formatFor(o.vendor.language);
        return page(link.id, link.purchaseOrderId, o.organization.name, o.organization.logoDigest, format, stored(o),
                pendingChanges(o, format));
    }

    /** The order as {@link VendorPageReads} reads it, from its entity (inside a transaction: reads its relations). */
    private static VendorPageReads.Order stored(PurchaseOrder o) {
        List<StoredLine> lines = o.lines.stream().map(
                l -> new StoredLine(l.id, l.lineNo, l.sku, l.description, l.quantity, l.unit, l.unitPrice, l.currency))
                .toList();
        return new VendorPageReads.Order(o.id, o.reference, o.status, o.deliveryAddress, o.requestedDate,
                o.expectedDate, o.carrier, o.trackingNumber, o.vendorNote, o.declineReason, o.version, o.revision,
                o.acknowledgedRevision, o.reconfirmAskedFor, o.reconfirmedAt, o.cancelReason, o.cancelAcknowledgedAt,
                o.notifiedAt, o.vendor.name, o.vendor.language, o.buyer != null,
                o.buyer == null ? null : o.buyer.displayName, o.buyer == null ? null : o.buyer.email,
                o.buyer != null && o.buyer.enabled, lines);
    }

    /**
     * The page of an order ({@code pending}: the texts of the changes the vendor has not acknowledged), however it was
     * read; {@code linkOrderId} is the link's own order.
     */
    private OrderPage page(long linkId, Long linkOrderId, String organization, String logoDigest, Locales.Format format,
            VendorPageReads.Order o, List<String> pending) {
        var lines = o.lines().stream()
                .map(l -> new Line(l.sku(), l.description(), format.number(l.quantity()), l.unit(),
                        format.money(l.unitPrice(), l.currency()),
                        format.amount(LineAmounts.amount(l.quantity(), l.unitPrice()), l.currency())))
                .toList();
        // in the vendor's number format, one per currency
        List<String> totals = LineAmounts
                .totals(o.lines(), StoredLine::quantity, StoredLine::unitPrice, StoredLine::currency).stream()
                .map(t -> format.amount(t.amount(), t.currency())).toList();
        return new OrderPage(organization, o.vendorName(), o.reference(), o.status(), o.deliveryAddress(),
                format.date(o.requestedDate()), format.date(o.expectedDate()),
                o.expectedDate() == null ? "" : o.expectedDate().toString(),
                actions.earliestDate(format.zone()).toString(), actions.latestDate().toString(), o.carrier(),
                o.trackingNumber(), o.vendorNote(), o.declineReason(), lines, o.version(),
                nonces(linkId, o.id(), o.revision()), Long.valueOf(o.id()).equals(linkOrderId),
                !o.status().isClosed() && o.expectedDate() != null && o.expectedDate().equals(o.reconfirmAskedFor())
                        && o.reconfirmedAt() == null,
                Logos.url(logoDigest), format.language(), o.id(), o.revision(), pending,
                o.status() == OrderStatus.CANCELLED ? o.cancelReason() : null, o.cancelUnacknowledged(),
                o.status() == OrderStatus.CANCELLED && o.cancelAcknowledgedAt() != null && o.notifiedAt() != null,
                totals);
    }

    /** An order line as stored: quantity and price exact and unformatted, price and currency null when not given. */
    public record StoredLine(long id, int lineNo, String sku, String description, BigDecimal quantity, String unit,
            BigDecimal unitPrice, String currency) {
    }

    /**
     * What {@link #read} found: the access; for a shown page also its buyer (null when there is none), the order's
     * lines as stored and the vendor's format (what the page's fulfilment is drawn from).
     */
    public record PageRead(Access<OrderPage> access, Buyer buyer, List<StoredLine> lines, Locales.Format format,
            boolean linkOpens) {
        static PageRead of(Access<OrderPage> access, boolean linkOpens) {
            return new PageRead(access, null, List.of(), null, linkOpens);
        }
    }

    /**
     * A statement read with the vendor page ({@link #read}) about the order the page reaches; on PostgreSQL it goes in
     * the page's round trip ({@link OneTrip}). Its SQL names that order's id as the scalar subquery it is given (over
     * the link's token hash and the page's reference: the same order the page reads, null when there is none), as many
     * times as {@link #orderIdUses} says, and no other parameter.
     */
    public interface Companion<T> {
        /** The SELECT, with {@code orderId} wherever the order's id goes. */
        String sql(String orderId);

        /** How many times {@link #sql} names the order's id. */
        int orderIdUses();

        /** Its rows, as read (whatever the page's access turns out to be). */
        T read(ResultSet rs) throws SQLException;
    }

    /** What {@link #read} found: the page, and what its companion read (null for a malformed token). */
    public record WithCompanion<T>(PageRead page, T companion) {
    }

    /**
     * {@link #open}'s page read in plain statements on {@code c}, outside any transaction ({@link VendorPageReads}: the
     * link with its organisation, order, vendor, buyer and lines in one statement, and {@code companion} with it, in
     * one round trip on PostgreSQL; the unacknowledged revisions in one more statement when there are any). Each
     * statement sees committed data, as every statement of a read-committed transaction does. The link opens by
     * {@link AccessLink#isUsable}'s rule (the injected clock); {@code linkOpens} says so, also when the reference
     * reaches no order, so that a machine's fetch can be counted ({@link #countBotFetch}) once {@code c} is back in the
     * pool. Writes nothing.
     *
     * @throws SQLException
     *             when the database cannot be read
     */
    public <T> WithCompanion<T> read(Connection c, String token, String reference, Companion<T> companion)
            throws SQLException {
        if (!Tokens.wellFormed(token, VendorLinks.SCOPE.prefix)) {
            return new WithCompanion<>(PageRead.of(new NotFound<>(), false), null);
        }
        String hash = Tokens.sha256(token);
        String orderId = VendorPageReads.orderId(reference);
        OneTrip.Select<T> with = new OneTrip.Select<>(companion.sql(orderId), (ps, first) -> {
            int i = first;
            for (int use = 0; use < companion.orderIdUses(); use++) {
                i = VendorPageReads.bindOrderId(ps, i, hash, reference);
            }
            return i;
        }, companion::read);
        var both = OneTrip.read(c, VendorPageReads.page(hash, reference, Instant.now(clock)), with);
        return new WithCompanion<>(page(c, both.first()), both.second());
    }

    private PageRead page(Connection c, VendorPageReads.Page p) throws SQLException {
        if (p == null) {
            return PageRead.of(new NotFound<>(), false);
        }
        if (!p.usable()) {
            return PageRead.of(new Gone<>(), false);
        }
        VendorPageReads.Order o = p.order();
        if (o == null) {
            return PageRead.of(new NotFound<>(), true);
        }
        Locales.Format format = Organization.formatFor(p.country(), p.timeZone(), p.language(), o.vendorLanguage());
        List<String> pending = List.of();
        if (o.changeUnacknowledged() && !o.status().isClosed()) {
            VendorMessages text = VendorTexts.in(format.language());
            pending = VendorPageReads.pendingChanges(c, o.id(), o.acknowledgedRevision()).stream()
                    .flatMap(json -> RevisionChange.fromJson(json).stream().filter(RevisionChange::vendorVisible))
                    .map(change -> change.forVendor(text, format)).limit(200).toList();
        }
        OrderPage page = page(p.linkId(), p.linkOrderId(), p.organizationName(), p.logoDigest(), format, o, pending);
        Buyer buyer = Buyer.of(o.hasBuyer() && o.buyerEnabled(), o.buyerName(), o.buyerEmail(), p.purchasingName(),
                p.purchasingEmail(), p.purchasingPhone()).orElse(null);
        return new PageRead(new Shown<>(page), buyer, o.lines(), format, true);
    }

    /**
     * A person was shown order {@code reference} through another order's link of the same vendor (the page's
     * stylesheet, {@link Links#stylesheetFetched}, counted the link's open): that order counts as opened by its vendor
     * from now on ({@code firstOpenedAt}, kept when set), as its own link's open would make it, so that a later change
     * or cancellation of it is told to the vendor ({@link PurchaseOrder#vendorHasIt}). The order is the one the page
     * reads by reference: the link's organisation and vendor, or the link's own. One statement, in a transaction of its
     * own; a token that is malformed or reaches no such order changes nothing.
     */
    @Transactional
    public void openedByReference(String token, String reference) {
        if (!Tokens.wellFormed(token, VendorLinks.SCOPE.prefix) || reference == null) {
            return;
        }
        PurchaseOrder.update(
                "firstOpenedAt = ?1 where firstOpenedAt is null and id in (select o.id from PurchaseOrder o,"
                        + " AccessLink l where l.tokenHash = ?2 and l.scope = ?3 and o.organization = l.organization"
                        + " and o.reference = ?4 and (o.vendor.id = l.vendorId or o.id = l.purchaseOrderId))",
                Instant.now(clock), Tokens.sha256(token), VendorLinks.SCOPE, reference);
    }

    /**
     * Counts a machine's fetch of a vendor link that opens ({@link Links#recordBotFetch}), in a transaction of its own.
     * Call it with no connection of the page's read still held: the transaction takes one from the pool, and requests
     * that each held one while waiting for a second would use up the pool under a burst of link previews.
     */
    public void countBotFetch(String token) {
        QuarkusTransaction.joiningExisting().run(() -> {
            if (links.resolve(token, VendorLinks.SCOPE) instanceof Links.Active active) {
                links.recordBotFetch(active.link());
            }
        });
    }

    /** What changed in the revisions the vendor has not acknowledged, oldest first, in the vendor's language. */
    private static List<String> pendingChanges(PurchaseOrder o, Locales.Format format) {
        if (!o.changeUnacknowledged() || o.status.isClosed()) {
            return List.of();
        }
        VendorMessages text = VendorTexts.in(format.language());
        return OrderRevision
                .<OrderRevision> find(
                        "purchaseOrderId = ?1 and revision > ?2 and vendorVisible = true order by revision", o.id,
                        o.acknowledgedRevision)
                .page(0, 20).list().stream().flatMap(r -> r.changes().stream().filter(RevisionChange::vendorVisible))
                .map(c -> c.forVendor(text, format)).limit(200).toList();
    }

    /** Every {@link Kind#form}, in the order of {@link Kind}. */
    private static final List<String> FORMS = Arrays.stream(Kind.values()).map(k -> k.form).toList();

    /**
     * One nonce per form of the page, by the form's name ({@link Kind#form}): each form is its own submission, bound to
     * the revision the page shows.
     */
    private Map<String, String> nonces(long linkId, long orderId, int revision) {
        return forms.issue(linkId, orderId, revision, FORMS);
    }

    // ---------------------------------------------------------------- actions

    /** The vendor's forms; {@code form} is the last segment of the form's URL and what its nonce is bound to. */
    public enum Kind {
        CONFIRM("confirm"), DECLINE("decline"), EXPECTED_DATE("date"), STATUS("status"), TRACKING("tracking"),
        /** A note to the buyer: says nothing about the order's content, so an amendment leaves it valid. */
        NOTE("note", false),
        /** The answer to a re-confirmation request: the expected date still holds. */
        ON_TIME("ontime"),
        /** "I can supply it after all": a declined order is open (and confirmed) again; needs {@code understood}. */
        REOPEN("reopen"),
        /**
         * Ship all or part of the order (quantities per line, carrier, tracking number, dates): a shipment. Its rules
         * live above purchasing (io.portlink.fulfilment), which passes them to
         * {@link VendorDesk#act(String, String, Action, Rules)}; {@link #TRACKING} is the same with everything that
         * remains.
         */
        SHIP("ship"),
        /** "Acknowledge revision N" of an amended order ({@link VendorDesk#acknowledgeRevision}). */
        ACK_REVISION("acknowledge-revision"),
        /** The vendor has taken note of the cancellation ({@link VendorDesk#acknowledgeCancel}). */
        ACK_CANCEL("acknowledge-cancel", false);

        public final String form;

        /**
         * The vendor commits to the order as its page showed it (confirms, declines, dates, ships it): a page drawn
         * before an amendment the vendor can see is "changed meanwhile" for this form.
         */
        public final boolean aboutContent;

        Kind(String form) {
            this(form, true);
        }

        Kind(String form, boolean aboutContent) {
            this.form = form;
            this.aboutContent = aboutContent;
        }

        /** The form of that name, or null. */
        public static Kind ofForm(String form) {
            for (Kind kind : values()) {
                if (kind.form.equals(form)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** The form of the neutral page of a gone link ("ask for a new link"); its nonce is bound to this name. */
    public static final String REQUEST_LINK = "request-link";

    /**
     * A posted portal form. Only these fields exist: price, lines and organisation cannot be sent. {@code understood}
     * is "yes" when the vendor ticked the box of a warning; {@code content} the digest of every posted field but the
     * nonce ({@link io.portlink.platform.Tokens#fieldsDigest}), or null when not compared.
     */
    public record Action(Kind kind, String nonce, Long version, String reason, String date, String status,
            String carrier, String trackingNumber, String note, String understood, String content) {

        /** A form whose content is not compared when its nonce comes again (the demo data's own forms). */
        public Action(Kind kind, String nonce, Long version, String reason, String date, String status, String carrier,
                String trackingNumber, String note, String understood) {
            this(kind, nonce, version, reason, date, status, carrier, trackingNumber, note, understood, null);
        }
    }

    public enum Result {
        SAVED,
        /** The same form was already applied (double click, retry): nothing changed now. */
        ALREADY_SAVED,
        /** The order changed since the form was shown, so that the form no longer fits it. */
        CHANGED_MEANWHILE,
        /** A nonce of this form, but older than {@link VendorForms#LIFE}: nothing changed, show the page again. */
        EXPIRED,
        /** No nonce this server issued for this form of this link and order: nothing changed. */
        REFUSED, GONE, NOT_FOUND
    }

    /**
     * What became of a form; {@code detail} is the vendor's message for CHANGED_MEANWHILE (what changed, in the order's
     * language), else null.
     */
    public record Outcome(Result result, String reference, String detail) {
        Outcome(Result result, String reference) {
            this(result, reference, null);
        }
    }

    /**
     * Applies one posted form. The form's nonce must be one this server drew for this very form, link and order
     * ({@link VendorForms}); its second arrival is ALREADY_SAVED. Every form of a page applies on its own, in the order
     * they arrive (the order's row lock serialises them), checked against the order as it is then: a form that no
     * longer fits an order changed since it was drawn (cancelled, declined, a step passed) is CHANGED_MEANWHILE, and so
     * is a form about the order's content ({@link Kind#aboutContent}) drawn before an amendment the vendor can see.
     * Refusals a vendor can fix are {@link ValidationException}s whose messages are written for the vendor in the
     * vendor's language; a race with staff or another vendor tab ends as CHANGED_MEANWHILE or GONE, never as an error.
     */
    @Transactional
    public Outcome act(String token, String reference, Action action) {
        return act(token, reference, action, (Rules) null, null, null);
    }

    /**
     * A check of a vendor form by a feature above purchasing that leaves the form's own rules to purchasing: run by
     * {@link #actChecked} on the order it locked, after the nonce, before those rules.
     */
    public interface Check {
        /**
         * @throws ValidationException
         *             what the vendor must fix, in the vendor's language ({@code text})
         * @throws RuntimeException
         *             from {@link VendorDesk#noLongerFits}: the order moved on since the form was drawn (a refusal on a
         *             page drawn on the order as it is, "changed meanwhile" on an older one)
         */
        void check(PurchaseOrder order, VendorMessages text);
    }

    /** {@link #act(String, String, Action)}, with {@code check} run on the locked order before the form's rules. */
    @Transactional
    public Outcome actChecked(String token, String reference, Action action, Check check) {
        return act(token, reference, action, (Rules) null, check, null);
    }

    /**
     * What a feature above purchasing does when a vendor form of purchasing's own changed the order: run on the locked
     * order, in the same transaction, after the form's rules and only when they saved something.
     */
    public interface Then {
        void then(PurchaseOrder order, io.portlink.timeline.Actor actor);
    }

    /** {@link #actChecked(String, String, Action, Check)}, then {@code then} when the form changed the order. */
    @Transactional
    public Outcome actChecked(String token, String reference, Action action, Check check, Then then) {
        return act(token, reference, action, (Rules) null, check, then);
    }

    /**
     * The rules of a vendor form that live in a feature above purchasing (shipping an order makes a shipment): applied
     * by {@link #act(String, String, Action, Rules)} to the order it locked, after the nonce, under the same once-only
     * and "changed meanwhile" rules as every vendor form.
     */
    public interface Rules {
        /**
         * Applies the form to the locked order; false when it changes nothing (already done).
         *
         * @param current
         *            the form was drawn on the order as it is now (a refusal is then the vendor's to fix, else the
         *            order changed meanwhile)
         *
         * @throws ValidationException
         *             what the vendor must fix, in the vendor's language
         * @throws RuntimeException
         *             from {@link VendorDesk#noLongerFits}: the order no longer allows this form
         */
        boolean apply(PurchaseOrder order, io.portlink.timeline.Actor actor, VendorMessages text, boolean current);
    }

    /** A refusal because of where the order stands (see {@link Rules}); shown as "changed meanwhile" on old forms. */
    public static RuntimeException noLongerFits(String field, String message) {
        return new VendorActions.NoLongerFits(VendorActions.refusal(field, message));
    }

    /**
     * {@link #act(String, String, Action)} with the form's rules given by the caller ({@code rules}; null: the vendor
     * forms of purchasing itself, {@link VendorActions}).
     */
    @Transactional
    public Outcome act(String token, String reference, Action action, Rules rules) {
        return act(token, reference, action, rules, null, null);
    }

    private Outcome act(String token, String reference, Action action, Rules rules, Check check, Then then) {
        Links.Resolution resolution = links.resolve(token, VendorLinks.SCOPE);
        if (!(resolution instanceof Links.Active active)) {
            return new Outcome(resolution instanceof Links.Gone ? Result.GONE : Result.NOT_FOUND, reference);
        }
        Optional<Long> found = reachableId(active.link(), reference);
        if (found.isEmpty()) {
            return new Outcome(Result.NOT_FOUND, reference);
        }
        // checked before any lock: a forged post waits for nobody
        VendorForms.Checked nonce = forms.check(action.nonce(), active.link().id, found.get(), action.kind().form);
        if (nonce.verdict() == VendorForms.Verdict.REFUSED) {
            return new Outcome(Result.REFUSED, reference);
        }
        // A shipment (ship, tracking) takes the organisation's row for its new reference (Shipments.createWithLink):
        // taken first, as the lock order says (Organization.lockForCreating), or an erasure holding the organisation
        // and waiting for this order would deadlock with it.
        if (action.kind() == Kind.SHIP || action.kind() == Kind.TRACKING) {
            Organization.lockForCreating(active.link().organization.id);
        }
        // The order, then the link: the lock order of every writer (see OrderLocks). A double click waits here and
        // then sees its nonce; a staff revoke or regenerate that committed meanwhile shows on the link.
        PurchaseOrder order = locks.order(found.get());
        AccessLink link = locks.link(active.link());
        if (!link.isUsable(Instant.now(clock))) {
            return new Outcome(Result.GONE, reference);
        }
        PortalSubmission used = PortalSubmission.findById(nonce.key());
        if (used != null) {
            if (used.contentDigest != null && action.content() != null
                    && !used.contentDigest.equals(action.content())) {
                // the page of a form already sent, changed and sent again (the browser's Back): the change is not
                // "already saved", it was never applied; the page shows the order now with what was typed
                return new Outcome(Result.CHANGED_MEANWHILE, order.reference,
                        VendorActions.texts(order).form_sent_before());
            }
            return new Outcome(Result.ALREADY_SAVED, order.reference);
        }
        if (nonce.verdict() == VendorForms.Verdict.EXPIRED) {
            return new Outcome(Result.EXPIRED, order.reference);
        }
        if (action.kind().aboutContent && amendedSince(order, nonce.revision())) {
            // the vendor would commit to content it never saw (staff see "confirmed" for the amended order)
            VendorMessages text = VendorActions.texts(order);
            return new Outcome(Result.CHANGED_MEANWHILE, order.reference,
                    text.changed_meanwhile() + " " + text.revision_banner_title(order.revision));
        }
        boolean drawnOnThisVersion = action.version() != null && action.version() == order.version;
        try {
            if (check != null) {
                // inside: a check that finds the order moved on (noLongerFits) is "changed meanwhile" on an old page
                check.check(order, VendorActions.texts(order));
            }
            boolean changed = rules == null ? actions.apply(order, link, action)
                    : rules.apply(order, VendorLinks.actor(link), VendorActions.texts(order), drawnOnThisVersion);
            if (!changed) {
                return new Outcome(Result.ALREADY_SAVED, order.reference);
            }
            if (then != null) {
                then.then(order, VendorLinks.actor(link));
            }
        } catch (VendorActions.NoLongerFits e) {
            if (drawnOnThisVersion) {
                throw e.refusal; // the page offered no such form: a hand-made post
            }
            // why it no longer fits says what to do instead: not "submit again"
            return new Outcome(Result.CHANGED_MEANWHILE, order.reference,
                    VendorActions.texts(order).changed_meanwhile_intro() + " " + e.message());
        }
        PortalSubmission submission = new PortalSubmission();
        submission.nonce = nonce.key();
        submission.orderId = order.id;
        submission.linkId = link.id;
        submission.at = Instant.now(clock);
        submission.contentDigest = action.content();
        submission.persist();
        Instant now = Instant.now(clock);
        order.updatedAt = now;
        order.lastVendorActivityAt = now;
        link.lastActionAt = now;
        return new Outcome(Result.SAVED, order.reference);
    }

    /** The order was amended, in a way the vendor sees, after {@code revision} (the revision a page showed). */
    private static boolean amendedSince(PurchaseOrder order, int revision) {
        return revision < order.revision && OrderRevision
                .count("purchaseOrderId = ?1 and revision > ?2 and vendorVisible = true", order.id, revision) > 0;
    }

    /**
     * "Acknowledge revision N" (N is the revision the page showed): every revision up to N is acknowledged, the order
     * leaves "change not yet acknowledged" and its timeline says so. Under {@link #act}'s rules: a double submit or a
     * second tab is ALREADY_SAVED; a page drawn before another amendment (N is no longer the order's revision) is
     * CHANGED_MEANWHILE, so the vendor sees the newer changes before acknowledging them.
     */
    @Transactional
    public Outcome acknowledgeRevision(String token, String reference, Action action, String revisionField) {
        return act(token, reference, action, (order, actor, text, current) -> {
            // the form's hidden field, as posted: no revision of this order (not a number, 0, beyond the order's) is
            // refused in the vendor's words, never taken for "already acknowledged"
            Integer revision = revisionNumber(revisionField);
            if (revision == null || revision < 1 || revision > order.revision) {
                throw VendorActions.refusal("revision", text.error_revision_invalid(order.revision));
            }
            if (revision <= order.acknowledgedRevision) {
                return false;
            }
            if (order.status.isClosed()) {
                throw noLongerFits("status", text.error_closed(text.status(order.status), order.organization.name));
            }
            if (revision != order.revision) {
                throw noLongerFits("revision", text.revision_banner_title(order.revision));
            }
            Instant now = Instant.now(clock);
            order.acknowledgedRevision = revision;
            OrderRevision.update("acknowledgedAt = ?1, acknowledgedBy = ?2 where purchaseOrderId = ?3"
                    + " and revision <= ?4 and acknowledgedAt is null", now, actor.label(), order.id, revision);
            timeline.record(order, actor, OrderEvent.REVISION_ACKNOWLEDGED, "revision " + revision + " acknowledged");
            return true;
        });
    }

    /** A revision as the form sends it (digits, at most 9 of them), or null for anything else. */
    private static Integer revisionNumber(String value) {
        String v = value == null ? "" : value.strip();
        return v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9') ? null
                : Integer.valueOf(v);
    }

    /** The vendor acknowledges the cancellation; once (a second time is ALREADY_SAVED). */
    @Transactional
    public Outcome acknowledgeCancel(String token, String reference, Action action) {
        return act(token, reference, action, (order, actor, text, current) -> {
            if (order.status != OrderStatus.CANCELLED) {
                throw noLongerFits("status", text.error_closed(text.status(order.status), order.organization.name));
            }
            if (order.cancelAcknowledgedAt != null) {
                return false;
            }
            order.cancelAcknowledgedAt = Instant.now(clock);
            timeline.record(order, actor, OrderEvent.CANCEL_ACKNOWLEDGED, "cancellation acknowledged");
            return true;
        });
    }

    /**
     * Marks an order delivered because everything of it has arrived, by the same path as the vendor's "delivered"
     * status: timeline entry, order closed, links following. Locks the order first, then asks {@code arrived} (the
     * caller's judgement on the locked, committed order: every line shipped, every shipment delivered; see
     * {@code io.portlink.fulfilment}), so two shipments delivered at once see each other. Idempotent: false when the
     * order is already delivered, declined or cancelled, or has not all arrived. Runs inside the caller's transaction.
     */
    public boolean deliveredInFull(long orderId, io.portlink.timeline.Actor actor,
            java.util.function.Predicate<PurchaseOrder> arrived) {
        PurchaseOrder order = locks.order(orderId);
        if (order.status.isClosed() || !arrived.test(order)) {
            return false;
        }
        actions.delivered(order, actor);
        order.updatedAt = Instant.now(clock);
        return true;
    }
}
