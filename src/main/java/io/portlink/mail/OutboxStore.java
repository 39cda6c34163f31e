package io.portlink.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.cfg.AvailableSettings;
import org.jboss.logging.Logger;

import io.portlink.order.OrderEvent;
import io.portlink.order.OrderTimeline;
import io.portlink.order.Orders;
import io.portlink.organization.Logos;
import io.portlink.platform.PortlinkConfig;
import io.portlink.timeline.Actor;

/**
 * The outbox's transactions, each short: claim the next message, extend its claim while SMTP talks, record that it was
 * sent, record it on its order, record a failure. SMTP is never called inside any of them.
 *
 * <p>
 * A run claims one message at a time, for {@code portlink.outbox.lease} (30 s), and extends the claim while the send
 * takes longer. A run that dies therefore holds at most one message, for at most one lease; the messages it had not yet
 * reached were never claimed and stay due for any other run.
 */
@ApplicationScoped
public class OutboxStore {

    private static final Logger LOG = Logger.getLogger(OutboxStore.class);

    @Inject
    Clock clock;

    @Inject
    PortlinkConfig config;

    @Inject
    OrderTimeline timeline;

    @Inject
    Orders orders;

    @Inject
    io.portlink.order.OrderLocks locks;

    @Inject
    Logos logos;

    /** A mail ready for SMTP. */
    public record Outgoing(long id, String messageId, String recipient, String subject, String text, String html,
            PurchaseOrderPdf.Document pdf, Logos.Image logo, String replyTo) {
    }

    /** A claimed mail and the end of its claim (which also tells this claim from a later one). */
    public record Claim(Outgoing mail, Instant until) {
    }

    /** How long one claim lasts before another run may take the message. */
    Duration lease() {
        return config.outbox().lease();
    }

    /**
     * Claims the next due message and reads it, in one transaction; other replicas skip the locked row and claim
     * others. A claim counts as a try: a message whose runs keep dying while sending it (a claim lapsing again and
     * again) ends dead after the maximum number of tries like any other.
     */
    @Transactional
    public Optional<Claim> claimNext() {
        Instant now = Instant.now(clock);
        while (true) {
            OutboxMessage m = OutboxMessage.<OutboxMessage> find(
                    "status = ?1 and nextAttemptAt <= ?2 and (claimedUntil is null or claimedUntil < ?2) order by nextAttemptAt, id",
                    OutboxMessage.Status.PENDING, now).withLock(LockModeType.PESSIMISTIC_WRITE)
                    .withHint(AvailableSettings.JAKARTA_LOCK_TIMEOUT, -2) // SKIP LOCKED where the database has it
                    .page(0, 1).firstResult();
            if (m == null) {
                return Optional.empty();
            }
            if (m.claimedUntil != null) {
                // an earlier run claimed it and recorded no outcome: it died or lost the database, maybe after SMTP had
                // taken the mail, so this try may deliver it a second time (under the same Message-ID)
                LOG.warnf("mail %d: the claim of an earlier delivery run lapsed after %d tries", m.id, m.attempts);
                if (m.attempts >= config.outbox().maxAttempts()) {
                    fail(m, "the delivery stopped while sending it, " + m.attempts + " times", now);
                    continue;
                }
            }
            m.attempts++;
            m.claimedUntil = now.plus(lease());
            return Optional.of(new Claim(outgoing(m), m.claimedUntil));
        }
    }

    /**
     * Extends a claim that is still this run's (same end as given) by one lease from now; empty when another run has
     * taken the message meanwhile or it is no longer pending.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Instant> extend(long id, Instant until) {
        Instant next = Instant.now(clock).plus(lease());
        int updated = OutboxMessage.update("claimedUntil = ?1 where id = ?2 and status = ?3 and claimedUntil = ?4",
                next, id, OutboxMessage.Status.PENDING, until);
        return updated == 1 ? Optional.of(next) : Optional.empty();
    }

    private Outgoing outgoing(OutboxMessage m) {
        boolean pdf = m.kind == OutboxMessage.Kind.PO_AND_LINK && m.order != null;
        Logos.Image logo = m.withLogo || (pdf && m.organization.logoDigest != null)
                ? logos.of(m.organization.id).orElse(null) : null;
        Buyer buyer = new Buyer(m.buyerName, m.buyerEmail, m.buyerPhone);
        return new Outgoing(
                m.id, m.messageId, m.recipient, m.subject, m.bodyText, m.bodyHtml, pdf
                        ? PoDocuments.of(m.order, m.linkUrl,
                                buyer.label() == null && buyer.phone() == null ? null : buyer, PoDocuments.logo(logo))
                        : null,
                m.withLogo ? logo : null, buyer.email());
    }

    /**
     * Records that SMTP took the mail: one row, no lock on anything else, so the moment between the server's answer and
     * this commit (where a crash sends the mail again) stays as short as it can be. The order's timeline and status
     * follow in {@link #recordOnOrder}.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void sent(long id) {
        OutboxMessage m = OutboxMessage.findById(id);
        m.status = OutboxMessage.Status.SENT;
        m.sentAt = Instant.now(clock);
        m.claimedUntil = null;
        m.lastError = null;
        m.orderUpdatePending = m.order != null;
        erase(m);
    }

    /**
     * Puts a sent mail on its order: the timeline entry and the order's "notified" state. Waits for the order's lock (a
     * vendor acting on it meanwhile); when this fails or the run dies first, the next run does it
     * ({@link #ordersToUpdate}). Does nothing for a mail already recorded.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordOnOrder(long id) {
        OutboxMessage m = OutboxMessage.findById(id);
        if (m == null || !m.orderUpdatePending || m.order == null) {
            return;
        }
        locks.order(m.order.id); // a vendor acting on the order meanwhile: wait, then update its current state
        if (OutboxMessage.update("orderUpdatePending = false where id = ?1 and orderUpdatePending = true", id) == 0) {
            return; // another run recorded it while this one waited for the order
        }
        timeline.record(m.order, Actor.system(), OrderEvent.MAIL_SENT,
                "e-mail delivered to " + m.recipient + " (link #" + m.linkId + ")");
        orders.notified(m.order, Actor.system(), "by e-mail to " + m.recipient);
        m.order.mailDead = false;
    }

    /** Sent mails whose order does not show them yet (a run died or failed between the two records), oldest first. */
    @Transactional
    public List<Long> ordersToUpdate() {
        return OutboxMessage.<OutboxMessage> find("orderUpdatePending = true order by id")
                .page(0, config.outbox().batchSize()).list().stream().map(m -> m.id).toList();
    }

    /** Records a failed try: retried after a backoff, or dead after the maximum number of tries. */
    @Transactional
    public void failed(long id, String error) {
        fail(OutboxMessage.findById(id), error, Instant.now(clock));
    }

    private void fail(OutboxMessage m, String error, Instant now) {
        m.claimedUntil = null; // the try was counted when it was claimed
        m.lastError = error == null ? "unknown error" : error.substring(0, Math.min(error.length(), 1000));
        if (m.attempts >= config.outbox().maxAttempts()) {
            m.status = OutboxMessage.Status.DEAD;
            erase(m);
            if (m.order != null) {
                locks.order(m.order.id);
                m.order.mailDead = true;
                timeline.record(m.order, Actor.system(), OrderEvent.MAIL_DEAD, "e-mail to " + m.recipient
                        + " could not be delivered after " + m.attempts + " tries: " + m.lastError);
            }
        } else {
            // exponential backoff: first-retry, then twice that, four times...
            long factor = 1L << Math.min(m.attempts - 1, 20);
            m.nextAttemptAt = now.plus(config.outbox().firstRetry().multipliedBy(factor));
        }
    }

    /** The bodies hold the link; once the mail is out (or given up), the token leaves the database. */
    private static void erase(OutboxMessage m) {
        m.bodyText = null;
        m.bodyHtml = null;
        m.linkUrl = null;
    }
}
