package io.portlink.order;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
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

    // ---------------------------------------------------------------- views

    public record Line(String sku, String description, String quantity, String unit, String unitPrice) {
    }

    public record OrderPage(String organization, String vendorName, String reference, OrderStatus status,
            String deliveryAddress, String requestedDate, String expectedDate, String expectedDateIso, String minDate,
            String carrier, String trackingNumber, String vendorNote, String declineReason, List<Line> lines,
            long version, String nonce, boolean landing, boolean reconfirmAsked, String logoUrl, String language) {

        public boolean closed() {
            return status.isClosed();
        }

        public boolean canConfirm() {
            return status.awaitsConfirmation();
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

    /** Opens an order page (the link's own order when {@code reference} is null) and records the open. */
    @Transactional
    public Access<OrderPage> open(String token, String reference, boolean bot) {
        Links.Resolution resolution = links.resolve(token);
        if (resolution instanceof Links.Active active) {
            AccessLink link = active.link();
            links.recordOpen(link.id, bot);
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
        links.recordOpen(link.id, bot);
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
        return new OrderPage(o.organization.name, o.vendor.name, o.reference, o.status, o.deliveryAddress, format.date(
                o.requestedDate), format.date(o.expectedDate), o.expectedDate == null ? "" : o.expectedDate.toString(),
                format.today(clock).toString(), o.carrier, o.trackingNumber, o.vendorNote, o.declineReason, lines,
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
        ON_TIME
    }

    /** A posted portal form. Only these fields exist: price, lines and organisation cannot be sent. */
    public record Action(Kind kind, String nonce, Long version, String reason, String date, String status,
            String carrier, String trackingNumber, String note) {
    }

    public enum Result {
        SAVED,
        /** The same form was already applied (double click, retry): nothing changed now. */
        ALREADY_SAVED,
        /** The order changed since the form was shown. */
        CHANGED_MEANWHILE, GONE, NOT_FOUND
    }

    public record Outcome(Result result, String message, String reference) {
    }

    @Transactional
    public Outcome act(String token, String reference, Action action) {
        Links.Resolution resolution = links.resolve(token);
        if (!(resolution instanceof Links.Active active)) {
            return new Outcome(resolution instanceof Links.Gone ? Result.GONE : Result.NOT_FOUND, null, reference);
        }
        AccessLink link = active.link();
        Optional<PurchaseOrder> found = reachable(link, reference);
        if (found.isEmpty()) {
            return new Outcome(Result.NOT_FOUND, null, reference);
        }
        // Serialises concurrent submits on this order: a double click waits here, then sees its nonce.
        PurchaseOrder order = PurchaseOrder.findById(found.get().id, LockModeType.PESSIMISTIC_WRITE);
        if (action.nonce() == null || action.nonce().isBlank() || action.nonce().length() > 64) {
            throw ValidationException.of("form", "this form has expired; reload the page and try again", null);
        }
        if (PortalSubmission.findById(action.nonce()) != null) {
            return new Outcome(Result.ALREADY_SAVED, "Already saved.", order.reference);
        }
        if (action.version() == null || action.version() != order.version) {
            return new Outcome(Result.CHANGED_MEANWHILE,
                    "This order was changed meanwhile. Here is its current state: check it and submit again.",
                    order.reference);
        }
        String message = apply(order, link, action);
        if (message == null) {
            return new Outcome(Result.ALREADY_SAVED, "Nothing to change.", order.reference);
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
        return new Outcome(Result.SAVED, message, order.reference);
    }

    /** Applies one action; returns the message for the vendor, or null when nothing changes. */
    private String apply(PurchaseOrder order, AccessLink link, Action action) {
        var actor = new Actor(OrderEvent.ActorType.VENDOR_LINK, link.id, link.actorLabel());
        var errors = new ValidationException.Builder();
        Fields fields = new Fields(errors, null, 2000);
        OrderStatus before = order.status;
        switch (action.kind()) {
        case CONFIRM -> {
            if (!before.awaitsConfirmation()) {
                refuseIfClosed(order);
                return null; // already confirmed or further along
            }
            if (before == OrderStatus.DECLINED) {
                reopen(order);
            }
            order.status = OrderStatus.ACKNOWLEDGED;
            timeline.record(order, actor, OrderEvent.Type.CONFIRMED,
                    before == OrderStatus.DECLINED ? "confirmed after declining" : null);
            return "Thank you: order " + order.reference + " is confirmed.";
        }
        case DECLINE -> {
            String reason = fields.text("reason", action.reason(), true, 1000);
            errors.throwIfAny();
            if (before == OrderStatus.DECLINED) {
                return null;
            }
            refuseIfClosed(order);
            if (!before.declinable()) {
                throw ValidationException.of("status", "the order is already " + before.label.toLowerCase()
                        + "; contact " + order.organization.name + " instead", null);
            }
            order.status = OrderStatus.DECLINED;
            order.declineReason = reason;
            close(order);
            timeline.record(order, actor, OrderEvent.Type.DECLINED, reason);
            return "Order " + order.reference + " is declined. " + order.organization.name + " has been told.";
        }
        case EXPECTED_DATE -> {
            refuseIfClosed(order);
            LocalDate date = fields.date("date", action.date(), true);
            errors.throwIfAny();
            LocalDate today = order.organization.format().today(clock);
            if (date.isBefore(today)) {
                throw ValidationException.of("date", "must be today or later", action.date());
            }
            if (date.isAfter(today.plusYears(2))) {
                throw ValidationException.of("date", "must be within two years", action.date());
            }
            if (date.equals(order.expectedDate)) {
                return null;
            }
            Locales.Format format = order.organization.format();
            String detail = (order.expectedDate == null ? "set to " : format.date(order.expectedDate) + " → ")
                    + format.date(date);
            order.expectedDate = date;
            order.reconfirmedAt = null;
            timeline.record(order, actor, OrderEvent.Type.EXPECTED_DATE, detail);
            return "Expected delivery date saved: " + format.date(date) + ".";
        }
        case STATUS -> {
            refuseIfClosed(order);
            OrderStatus next = parseStep(action.status());
            String carrier = fields.line("carrier", action.carrier(), false, 100);
            String tracking = fields.line("trackingNumber", action.trackingNumber(), false, 100);
            errors.throwIfAny();
            if (next == before) {
                return tracking(order, actor, carrier, tracking) ? "Tracking saved." : null;
            }
            if (next.rank() < before.rank()) {
                throw ValidationException.of("status", "the order is already " + before.label.toLowerCase()
                        + "; it cannot go back to " + next.label.toLowerCase(), action.status());
            }
            order.status = next;
            timeline.record(order, actor, OrderEvent.Type.STATUS, before.label + " → " + next.label);
            tracking(order, actor, carrier, tracking);
            if (next == OrderStatus.DELIVERED) {
                close(order);
            }
            return "Status saved: " + next.label + ".";
        }
        case TRACKING -> {
            if (!order.status.acceptsTracking()) {
                refuseIfClosed(order);
            }
            String carrier = fields.line("carrier", action.carrier(), false, 100);
            String tracking = fields.line("trackingNumber", action.trackingNumber(), true, 100);
            errors.throwIfAny();
            return tracking(order, actor, carrier, tracking) ? "Tracking saved." : null;
        }
        case NOTE -> {
            String note = fields.text("note", action.note(), true, 2000);
            errors.throwIfAny();
            order.vendorNote = note;
            timeline.record(order, actor, OrderEvent.Type.NOTE, note);
            return "Your note was sent to " + order.organization.name + ".";
        }
        case ON_TIME -> {
            refuseIfClosed(order);
            if (order.expectedDate == null) {
                throw ValidationException.of("date", "give an expected delivery date first", null);
            }
            if (order.reconfirmedAt != null && order.expectedDate.equals(order.reconfirmAskedFor)) {
                return null;
            }
            order.reconfirmedAt = Instant.now(clock);
            timeline.record(order, actor, OrderEvent.Type.DATE_RECONFIRMED,
                    "still on time for " + order.organization.format().date(order.expectedDate));
            return "Thank you: delivery on " + order.organization.format().date(order.expectedDate) + " is confirmed.";
        }
        default -> throw new IllegalStateException("unknown action " + action.kind());
        }
    }

    private boolean tracking(PurchaseOrder order, Actor actor, String carrier, String trackingNumber) {
        if (trackingNumber == null
                || (Objects.equals(carrier, order.carrier) && Objects.equals(trackingNumber, order.trackingNumber))) {
            return false;
        }
        order.carrier = carrier;
        order.trackingNumber = trackingNumber;
        timeline.record(order, actor, OrderEvent.Type.TRACKING,
                (carrier == null ? "" : carrier + " ") + trackingNumber);
        return true;
    }

    private static OrderStatus parseStep(String value) {
        try {
            OrderStatus status = OrderStatus.valueOf(value == null ? "" : value.trim().toUpperCase());
            if (status.isProgress()) {
                return status;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ValidationException.of("status", "must be one of PREPARING, DISPATCHED, DELIVERED", value);
    }

    private static void refuseIfClosed(PurchaseOrder order) {
        if (order.status.isClosed()) {
            throw ValidationException.of("status", "order " + order.reference + " is "
                    + order.status.label.toLowerCase() + " and cannot be changed any more", null);
        }
    }

    private void close(PurchaseOrder order) {
        order.closedAt = Instant.now(clock);
        links.orderClosed(order);
    }

    private void reopen(PurchaseOrder order) {
        order.closedAt = null;
        order.declineReason = null;
        links.orderReopened(order);
    }
}
