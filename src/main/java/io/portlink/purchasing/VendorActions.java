package io.portlink.purchasing;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.link.AccessLink;
import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;

/**
 * The rules of each vendor action on an order already locked by {@link VendorDesk}. Every refusal is a
 * {@link ValidationException} whose message is written for the vendor, in the vendor's language, and says what to do.
 */
@ApplicationScoped
class VendorActions {

    /** UTC+14: the last place on earth where a day begins. */
    private static final ZoneOffset LATEST = ZoneOffset.ofHours(14);

    @Inject
    Clock clock;

    @Inject
    VendorLinks vendorLinks;

    @Inject
    OrderTimeline timeline;

    /**
     * Earliest expected date a vendor may give: today where the goods arrive, taken as the buying organisation's
     * {@code zone} (the date is the delivery's, so a vendor a day behind the buyer cannot promise a day already over
     * there; the staff form and the overdue lists count days in the same zone).
     */
    LocalDate earliestDate(ZoneId zone) {
        return LocalDate.now(clock.withZone(zone));
    }

    /** Latest expected date: two years after the last today on earth (UTC+14's today). */
    LocalDate latestDate() {
        return LocalDate.now(clock.withZone(LATEST)).plusYears(2);
    }

    /** The texts a vendor reads about this order. */
    static VendorMessages texts(PurchaseOrder order) {
        return VendorTexts.in(format(order).language());
    }

    private static Locales.Format format(PurchaseOrder order) {
        return order.organization.formatFor(order.vendor.language);
    }

    /** Applies one action; returns false when it changes nothing (already done). */
    boolean apply(PurchaseOrder order, AccessLink link, VendorDesk.Action action) {
        var actor = VendorLinks.actor(link);
        VendorMessages text = texts(order);
        VendorInput input = new VendorInput(text);
        OrderStatus before = order.status;
        switch (action.kind()) {
        case CONFIRM -> {
            if (before == OrderStatus.DECLINED) {
                // undoing a decline is its own, deliberate action (REOPEN), never a side effect of this button
                throw noLongerFits("status", text.error_declined_reopen_instead());
            }
            if (!before.awaitsConfirmation()) {
                refuseIfClosed(order, text);
                return false; // already confirmed or further along
            }
            order.status = OrderStatus.ACKNOWLEDGED;
            timeline.record(order, actor, OrderEvent.CONFIRMED, null);
            return true;
        }
        case REOPEN -> {
            if (before != OrderStatus.DECLINED) {
                refuseIfClosed(order, text);
                return false; // reopened already (a double click)
            }
            if (!"yes".equals(action.understood())) {
                throw refusal("understood", text.error_reopen_unticked());
            }
            String reason = order.declineReason;
            order.status = OrderStatus.ACKNOWLEDGED;
            order.closedAt = null;
            order.declineReason = null;
            order.reopenedAt = Instant.now(clock);
            vendorLinks.orderReopened(order);
            timeline.record(order, actor, OrderEvent.REOPENED,
                    "can supply it after all (had declined: " + reason + ")");
            return true;
        }
        case DECLINE -> {
            String reason = input.text(text.reason(), action.reason(), 1000, text.error_reason_required());
            input.throwIfAny();
            if (before == OrderStatus.DECLINED) {
                return false;
            }
            refuseIfClosed(order, text);
            if (!before.declinable()) {
                throw noLongerFits("status", text.error_cannot_decline(text.status(before), order.organization.name));
            }
            order.status = OrderStatus.DECLINED;
            order.declineReason = reason;
            order.reopenedAt = null;
            // a new decline needs the buyer again, even if an earlier one was marked handled
            order.declineHandledAt = null;
            close(order);
            timeline.record(order, actor, OrderEvent.DECLINED, reason);
            return true;
        }
        case EXPECTED_DATE -> {
            refuseIfClosed(order, text);
            LocalDate date = date(action.date(), text, format(order));
            if (date.equals(order.expectedDate)) {
                return false;
            }
            Locales.Format format = order.organization.format();
            String detail = (order.expectedDate == null ? "set to " : format.date(order.expectedDate) + " → ")
                    + format.date(date);
            order.expectedDate = date;
            order.reconfirmedAt = null;
            timeline.record(order, actor, OrderEvent.EXPECTED_DATE, detail);
            return true;
        }
        case STATUS -> {
            // carrier and tracking number are a shipment now (io.portlink.fulfilment): the status form has none
            refuseIfClosed(order, text);
            OrderStatus next = parseStep(action.status(), text);
            if (next == before) {
                return false;
            }
            if (next.rank() < before.rank()) {
                throw noLongerFits("status",
                        text.error_status_backwards(text.status(before), text.status(next), order.organization.name));
            }
            if (next == OrderStatus.DELIVERED) {
                delivered(order, actor);
                return true;
            }
            order.status = next;
            timeline.record(order, actor, OrderEvent.STATUS, before.label + " → " + next.label);
            return true;
        }
        case NOTE -> {
            String note = input.text(text.note(), action.note(), 2000, text.error_note_required());
            input.throwIfAny();
            order.vendorNote = note;
            timeline.record(order, actor, OrderEvent.NOTE, note);
            return true;
        }
        case ON_TIME -> {
            refuseIfClosed(order, text);
            if (order.expectedDate == null) {
                throw noLongerFits("date", text.error_on_time_no_date());
            }
            if (order.reconfirmedAt != null && order.expectedDate.equals(order.reconfirmAskedFor)) {
                return false;
            }
            order.reconfirmedAt = Instant.now(clock);
            timeline.record(order, actor, OrderEvent.DATE_RECONFIRMED,
                    "still on time for " + order.organization.format().date(order.expectedDate));
            return true;
        }
        // TRACKING and SHIP make shipments: their rules come with the form (VendorDesk.Rules, io.portlink.fulfilment)
        default -> throw new IllegalStateException("unknown action " + action.kind());
        }
    }

    /** An expected date: ISO as the date input sends it, from today in the organisation's zone, within two years. */
    private LocalDate date(String value, VendorMessages text, Locales.Format format) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw refusal("date", text.error_date_required());
        }
        LocalDate date;
        try {
            date = LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw refusal("date", text.error_date_invalid(v.length() > 40 ? v.substring(0, 40) + "…" : v));
        }
        if (date.isBefore(earliestDate(format.zone()))) {
            // the buyer's today may be the vendor's tomorrow: the zone says why a day not over yet is refused
            throw refusal("date", text.error_date_past(format.date(date),
                    format.date(earliestDate(format.zone())) + " (" + format.zone().getId() + ")"));
        }
        if (date.isAfter(latestDate())) {
            throw refusal("date", text.error_date_too_far(format.date(date), format.date(latestDate())));
        }
        return date;
    }

    private static OrderStatus parseStep(String value, VendorMessages text) {
        try {
            OrderStatus status = OrderStatus.valueOf(value == null ? "" : value.trim().toUpperCase());
            if (status.isProgress()) {
                return status;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw refusal("status", text.error_status_invalid());
    }

    private static void refuseIfClosed(PurchaseOrder order, VendorMessages text) {
        if (order.status.isClosed()) {
            throw noLongerFits("status", text.error_closed(text.status(order.status), order.organization.name));
        }
    }

    /**
     * The order moves to {@link OrderStatus#DELIVERED}: a STATUS entry on its timeline, closed (its vendor links follow
     * the closed order). The one path for the vendor's "delivered" and for an order whose shipments are all delivered.
     * The caller holds the order's lock and has checked that the order is open.
     */
    void delivered(PurchaseOrder order, io.portlink.timeline.Actor actor) {
        OrderStatus before = order.status;
        order.status = OrderStatus.DELIVERED;
        timeline.record(order, actor, OrderEvent.STATUS, before.label + " → " + OrderStatus.DELIVERED.label);
        close(order);
    }

    private void close(PurchaseOrder order) {
        order.closedAt = Instant.now(clock);
        vendorLinks.orderClosed(order);
    }

    static ValidationException refusal(String field, String message) {
        return ValidationException.of(field, message, null);
    }

    private static NoLongerFits noLongerFits(String field, String message) {
        return new NoLongerFits(refusal(field, message));
    }

    /**
     * A refusal because of where the order stands (closed, declined, a step already passed), not because of what was
     * typed. On a form drawn before the order changed it means "changed meanwhile" (see {@link VendorDesk#act}); on a
     * current form it is the refusal it carries.
     */
    static final class NoLongerFits extends RuntimeException {
        final ValidationException refusal;

        NoLongerFits(ValidationException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }

        String message() {
            return refusal.errors().get(0).message();
        }
    }
}
