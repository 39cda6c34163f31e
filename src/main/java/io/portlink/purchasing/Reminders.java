package io.portlink.purchasing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.link.Links;
import io.portlink.organization.Organization;
import io.portlink.platform.GracefulStop;
import io.portlink.purchasing.mail.VendorMail;
import io.portlink.timeline.Actor;

/**
 * Automatic reminders, per organisation policy: a sent link still unconfirmed after N hours (and again after each N
 * more), and a request to re-confirm the expected date M days before it; at most K per order, never to a declined,
 * cancelled or delivered order. Each reminder carries a fresh link for the vendor (tokens are not stored, so the first
 * one cannot be sent again), goes through the outbox and onto the timeline.
 */
@ApplicationScoped
public class Reminders {

    private static final Logger LOG = Logger.getLogger(Reminders.class);
    static final int BATCH = 100;

    @Inject
    Clock clock;

    @Inject
    GracefulStop stop;

    @Inject
    Reminders self;

    @Inject
    VendorLinks vendorLinks;

    @Inject
    VendorMail mail;

    @Inject
    OrderTimeline timeline;

    /** One run: {@code ran} is false when the service was already stopping. */
    public record Run(boolean ran, int sent) {
    }

    /**
     * One pass over every organisation with reminders on. The scheduler runs it on one replica at a time
     * ({@link ReminderJob}); a stop waits for the reminder in hand, and the next run goes on from there.
     */
    public Run runOnce() {
        try (GracefulStop.Job job = stop.begin()) {
            if (stop.requested()) {
                return new Run(false, 0);
            }
            int sent = 0;
            for (long organizationId : self.organizationsWithReminders()) {
                sent += pass(organizationId, Reminder.UNCONFIRMED) + pass(organizationId, Reminder.RECONFIRM);
            }
            return new Run(true, sent);
        }
    }

    /** Walks the candidates in id order, a batch at a time, each reminder in its own transaction. */
    private int pass(long organizationId, String kind) {
        int sent = 0;
        long after = 0;
        List<Long> batch;
        do {
            if (stop.requested()) {
                return sent; // the service is stopping: the next run (here or on another replica) goes on
            }
            batch = self.candidates(organizationId, kind, after);
            for (long orderId : batch) {
                if (stop.requested()) {
                    return sent;
                }
                try {
                    if (self.send(orderId, kind)) {
                        sent++;
                    }
                } catch (RuntimeException e) {
                    // one order's failure (e.g. a concurrent change) never stops the others
                    LOG.warnf("reminder %s for order %d not sent: %s", kind, orderId, e.getMessage());
                }
                after = orderId;
            }
        } while (batch.size() == BATCH);
        return sent;
    }

    @Transactional
    List<Long> organizationsWithReminders() {
        return Organization.<Organization> list("remindersEnabled = true and status = ?1", Organization.Status.ACTIVE)
                .stream().map(o -> o.id).toList();
    }

    /** Orders that may be due, by an indexed query; {@link #send} decides exactly, under a row lock. */
    @Transactional
    List<Long> candidates(long organizationId, String kind, long afterId) {
        Organization org = Organization.findById(organizationId);
        Instant now = Instant.now(clock);
        var query = Reminder.UNCONFIRMED.equals(kind)
                ? PurchaseOrder.<PurchaseOrder> find(
                        "organization = ?1 and status = ?2 and notifiedAt <= ?3"
                                + " and reminderCount < ?4 and vendor.email is not null and id > ?5 order by id",
                        org, OrderStatus.NOTIFIED, now.minus(Duration.ofHours(org.remindAfterHours)), org.maxReminders,
                        afterId)
                : PurchaseOrder.<PurchaseOrder> find("organization = ?1 and status in ?2 and expectedDate >= ?3"
                        + " and expectedDate <= ?4 and reminderCount < ?5 and vendor.email is not null"
                        + " and (reconfirmAskedFor is null or reconfirmAskedFor <> expectedDate) and id > ?6 order by id",
                        org, List.of(OrderStatus.ACKNOWLEDGED, OrderStatus.PREPARING), today(org),
                        today(org).plusDays(org.reconfirmDaysBefore), org.maxReminders, afterId);
        return query.page(0, BATCH).list().stream().map(o -> o.id).toList();
    }

    /** Sends one reminder if it is still due and its window has none yet. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean send(long orderId, String kind) {
        PurchaseOrder order = PurchaseOrder.findById(orderId, LockModeType.PESSIMISTIC_WRITE);
        Organization org = order.organization;
        if (order.status.isClosed() || !org.remindersEnabled || order.reminderCount >= org.maxReminders
                || order.vendor.email == null) {
            return false;
        }
        String window;
        VendorMail.Purpose purpose;
        if (Reminder.UNCONFIRMED.equals(kind)) {
            int number = order.reminderCount + 1;
            Instant due = order.notifiedAt == null ? null
                    : order.notifiedAt.plus(Duration.ofHours((long) org.remindAfterHours * number));
            if (order.status != OrderStatus.NOTIFIED || due == null || due.isAfter(Instant.now(clock))) {
                return false;
            }
            window = Integer.toString(number);
            purpose = VendorMail.Purpose.REMINDER;
        } else {
            LocalDate expected = order.expectedDate;
            if (expected == null || expected.isBefore(today(org))
                    || expected.isAfter(today(org).plusDays(org.reconfirmDaysBefore))
                    || expected.equals(order.reconfirmAskedFor)) {
                return false;
            }
            window = expected.toString();
            purpose = VendorMail.Purpose.RECONFIRM;
        }
        if (Reminder.count("order = ?1 and kind = ?2 and windowKey = ?3", order, kind, window) > 0) {
            return false;
        }
        deliver(order, kind, window, purpose, Actor.system());
        return true;
    }

    /** Why staff cannot remind right now, or null when they can. */
    public enum Refusal {
        NOT_FOUND, CLOSED, NO_EMAIL, NOT_SENT, JUST_SENT
    }

    /**
     * What a manual reminder did: the refusal, or when the previous one went out (for "just sent"); {@code reason}: the
     * refusal in the reader's words (null when sent or not found).
     */
    public record Manual(Refusal refusal, Instant lastSentAt, String reason) {

        Manual(Refusal refusal, Instant lastSentAt) {
            this(refusal, lastSentAt, null);
        }
    }

    /** Staff need not send twice within this span; a double click or a retried POST sends one reminder. */
    static final Duration MANUAL_GAP = Duration.ofMinutes(15);

    /**
     * Staff's "send a reminder now": the same mail as the automatic one, chosen by the order's state (unconfirmed:
     * please confirm; confirmed with a date: is it still right?; otherwise: please give a date). It counts towards the
     * organisation's maximum, so automatic reminders do not pile on top, but is not limited by it.
     */
    @Transactional
    public Manual sendNow(long organizationId, String reference, Actor actor) {
        // locked as it is read: a concurrent reminder or vendor action waits for this one
        PurchaseOrder order = PurchaseOrder
                .<PurchaseOrder> find("organization.id = ?1 and reference = ?2", organizationId, reference)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (order == null) {
            return new Manual(Refusal.NOT_FOUND, null);
        }
        // the same rule the queue's buttons follow (QueueActions): a forced POST is refused as the page would be
        String reason = QueueActions.mailRefusal(order, true);
        if (reason != null) {
            Refusal refusal = order.status.isClosed() ? Refusal.CLOSED
                    : order.vendor.email == null ? Refusal.NO_EMAIL : Refusal.NOT_SENT;
            return new Manual(refusal, null, reason);
        }
        Instant now = Instant.now(clock);
        Reminder last = Reminder.<Reminder> find("order = ?1 order by sentAt desc", order).firstResult();
        if (last != null && last.sentAt.isAfter(now.minus(MANUAL_GAP))) {
            return new Manual(Refusal.JUST_SENT, last.sentAt);
        }
        boolean confirmed = order.status != OrderStatus.PENDING && order.status != OrderStatus.NOTIFIED;
        VendorMail.Purpose purpose = !confirmed ? VendorMail.Purpose.REMINDER
                : order.expectedDate != null && order.status != OrderStatus.DISPATCHED ? VendorMail.Purpose.RECONFIRM
                        : VendorMail.Purpose.UPDATE;
        deliver(order, Reminder.MANUAL, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), purpose,
                actor);
        return new Manual(null, null);
    }

    /** Records the reminder, issues its link, queues its mail and puts it on the timeline: one transaction. */
    private void deliver(PurchaseOrder order, String kind, String window, VendorMail.Purpose purpose, Actor actor) {
        Reminder reminder = new Reminder();
        reminder.order = order;
        reminder.kind = kind;
        reminder.windowKey = window;
        reminder.sentAt = Instant.now(clock);
        reminder.persist();
        Links.Issued link = vendorLinks.issue(order, null, null, actor.label());
        mail.queue(order, link, false, purpose, actor);
        String what = switch (purpose) {
        case REMINDER -> Reminder.MANUAL.equals(kind) ? "reminder sent by staff: order not confirmed yet"
                : "reminder " + window + ": order not confirmed yet";
        case RECONFIRM -> "asked to re-confirm the expected date "
                + order.organization.format().date(order.expectedDate);
        default -> "asked for an update";
        };
        timeline.record(order, actor, OrderEvent.REMINDER, what + " (link #" + link.linkId() + ")");
        // bulk updates: telemetry of the reminder, not an edit a vendor's open form should conflict with
        PurchaseOrder.update("reminderCount = reminderCount + 1"
                + (purpose == VendorMail.Purpose.RECONFIRM ? ", reconfirmAskedFor = expectedDate" : "")
                + " where id = ?1", order.id);
    }

    private LocalDate today(Organization org) {
        return org.format().today(clock);
    }
}
