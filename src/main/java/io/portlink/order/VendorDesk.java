package io.portlink.order;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.organization.Logos;
import io.portlink.platform.Locales;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/**
 * What a vendor can see and do through a link. The token decides everything: the organisation, the vendor, and which
 * orders are reachable. Vendors change only whitelisted fields.
 */
@ApplicationScoped
public class VendorDesk {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Clock clock;

    @Inject
    Links links;

    @Inject
    Timeline timeline;

    @Inject
    PortlinkConfig config;

    @Inject
    OrderLocks locks;

    @Inject
    VendorActions actions;

    // ---------------------------------------------------------------- views

    public record Line(String sku, String description, String quantity, String unit, String unitPrice) {
    }

    public record OrderPage(String organization, String vendorName, String reference, OrderStatus status,
            String deliveryAddress, String requestedDate, String expectedDate, String expectedDateIso, String minDate,
            String maxDate, String carrier, String trackingNumber, String vendorNote, String declineReason,
            List<Line> lines, long version, String nonce, boolean landing, boolean reconfirmAsked, String logoUrl,
            String language) {

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

    public record ListRow(String reference, OrderStatus status, String requestedDate, String expectedDate,
            boolean closed) {
    }

    public record OrderList(String organization, String vendorName, String landingReference, List<ListRow> open,
            List<ListRow> recentlyClosed, String logoUrl, String language) {
    }

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
        Links.Resolution resolution = links.resolve(token);
        if (resolution instanceof Links.Active active) {
            AccessLink link = active.link();
            if (bot) {
                links.recordBotFetch(link.id);
            }
            return reachable(link, reference).<Access<OrderPage>> map(o -> new Shown<>(page(link, o)))
                    .orElseGet(NotFound::new);
        }
        return resolution instanceof Links.Gone ? new Gone<>() : new NotFound<>();
    }

    /** A holder of a gone link asks staff for a new one (see {@link Links#requestNewLink}). */
    public boolean requestNewLink(String token) {
        return links.requestNewLink(token);
    }

    /** The vendor's orders with this organisation: open first, then those closed in the last 90 days. */
    @Transactional
    public Access<OrderList> orders(String token, boolean bot) {
        Links.Resolution resolution = links.resolve(token);
        if (!(resolution instanceof Links.Active active)) {
            return resolution instanceof Links.Gone ? new Gone<>() : new NotFound<>();
        }
        AccessLink link = active.link();
        if (bot) {
            links.recordBotFetch(link.id);
        }
        Locales.Format format = link.organization.formatFor(link.vendor.language);
        List<ListRow> open = PurchaseOrder.<PurchaseOrder> find(
                "vendor = ?1 and closedAt is null order by coalesce(expectedDate, requestedDate) nulls last, reference",
                link.vendor).page(0, 200).list().stream().map(o -> row(o, format)).toList();
        Instant since = Instant.now(clock).minus(java.time.Duration.ofDays(90));
        List<ListRow> closed = PurchaseOrder
                .<PurchaseOrder> find("vendor = ?1 and closedAt >= ?2 order by closedAt desc", link.vendor, since)
                .page(0, 50).list().stream().map(o -> row(o, format)).toList();
        return new Shown<>(new OrderList(link.organization.name, link.vendor.name, link.order.reference, open, closed,
                Logos.url(link.organization.logoDigest), format.language()));
    }

    private static ListRow row(PurchaseOrder o, Locales.Format format) {
        return new ListRow(o.reference, o.status, format.date(o.requestedDate), format.date(o.expectedDate),
                o.status.isClosed());
    }

    /** The id of the order a link may reach, read without loading the order (it is locked before it is read). */
    private static Optional<Long> reachableId(AccessLink link, String reference) {
        if (reference == null) {
            return Optional.of(link.order.id);
        }
        return PurchaseOrder.getEntityManager()
                .createQuery("select o.id from PurchaseOrder o where o.organization = ?1 and o.vendor = ?2"
                        + " and o.reference = ?3", Long.class)
                .setParameter(1, link.organization).setParameter(2, link.vendor).setParameter(3, reference)
                .getResultStream().findFirst();
    }

    /** The order a link may reach: its own, or another order of the same vendor and organisation. */
    private Optional<PurchaseOrder> reachable(AccessLink link, String reference) {
        if (reference == null || reference.equals(link.order.reference)) {
            return Optional.of(link.order);
        }
        return PurchaseOrder.<PurchaseOrder> find("organization = ?1 and vendor = ?2 and reference = ?3",
                link.organization, link.vendor, reference).firstResultOptional();
    }

    private OrderPage page(AccessLink link, PurchaseOrder o) {
        Locales.Format format = o.organization.formatFor(o.vendor.language);
        var lines = o.lines.stream().map(l -> new Line(l.sku, l.description, format.number(l.quantity), l.unit,
                format.money(l.unitPrice, l.currency))).toList();
        return new OrderPage(o.organization.name, o.vendor.name, o.reference, o.status, o.deliveryAddress,
                format.date(o.requestedDate), format.date(o.expectedDate),
                o.expectedDate == null ? "" : o.expectedDate.toString(), actions.earliestDate().toString(),
                actions.latestDate().toString(), o.carrier, o.trackingNumber, o.vendorNote, o.declineReason, lines,
                o.version, nonce(), o.id.equals(link.order.id), !o.status.isClosed() && o.expectedDate != null
                        && o.expectedDate.equals(o.reconfirmAskedFor) && o.reconfirmedAt == null,
                Logos.url(o.organization.logoDigest), format.language());
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---------------------------------------------------------------- actions

    public enum Kind {
        CONFIRM, DECLINE, EXPECTED_DATE, STATUS, TRACKING, NOTE,
        /** The answer to a re-confirmation request: the expected date still holds. */
        ON_TIME,
        /** "I can supply it after all": a declined order is open (and confirmed) again; needs {@code understood}. */
        REOPEN
    }

    /**
     * A posted portal form. Only these fields exist: price, lines and organisation cannot be sent. {@code understood}
     * is "yes" when the vendor ticked the box of a warning.
     */
    public record Action(Kind kind, String nonce, Long version, String reason, String date, String status,
            String carrier, String trackingNumber, String note, String understood) {
    }

    public enum Result {
        SAVED,
        /** The same form was already applied (double click, retry): nothing changed now. */
        ALREADY_SAVED,
        /** The order changed since the form was shown. */
        CHANGED_MEANWHILE, GONE, NOT_FOUND
    }

    public record Outcome(Result result, String reference) {
    }

    /**
     * Applies one posted form. Refusals a vendor can fix are {@link ValidationException}s whose messages are written
     * for the vendor in the vendor's language; a race with staff or another vendor tab ends as CHANGED_MEANWHILE or
     * GONE, never as an error.
     */
    @Transactional
    public Outcome act(String token, String reference, Action action) {
        Links.Resolution resolution = links.resolve(token);
        if (!(resolution instanceof Links.Active active)) {
            return new Outcome(resolution instanceof Links.Gone ? Result.GONE : Result.NOT_FOUND, reference);
        }
        Optional<Long> found = reachableId(active.link(), reference);
        if (found.isEmpty()) {
            return new Outcome(Result.NOT_FOUND, reference);
        }
        // The order, then the link: the lock order of every writer (see OrderLocks). A double click waits here and
        // then sees its nonce; a staff revoke or regenerate that committed meanwhile shows on the link.
        PurchaseOrder order = locks.order(found.get());
        AccessLink link = locks.link(active.link());
        if (!link.isUsable(Instant.now(clock))) {
            return new Outcome(Result.GONE, reference);
        }
        if (action.nonce() == null || action.nonce().isBlank() || action.nonce().length() > 64) {
            throw VendorActions.refusal("form", VendorActions.texts(order).error_form_expired());
        }
        if (PortalSubmission.findById(action.nonce()) != null) {
            return new Outcome(Result.ALREADY_SAVED, order.reference);
        }
        if (action.version() == null || action.version() != order.version) {
            return new Outcome(Result.CHANGED_MEANWHILE, order.reference);
        }
        if (!actions.apply(order, link, action)) {
            return new Outcome(Result.ALREADY_SAVED, order.reference);
        }
        PortalSubmission submission = new PortalSubmission();
        submission.nonce = action.nonce();
        submission.orderId = order.id;
        submission.linkId = link.id;
        submission.at = Instant.now(clock);
        submission.persist();
        Instant now = Instant.now(clock);
        order.updatedAt = now;
        order.lastVendorActivityAt = now;
        link.lastActionAt = now;
        return new Outcome(Result.SAVED, order.reference);
    }
}
