package io.portlink.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.cfg.AvailableSettings;
import org.jboss.logging.Logger;

import io.portlink.organization.Logos;
import io.portlink.platform.PortlinkConfig;

/**
 * The outbox's transactions, each short: claim the next message, extend its claim while SMTP talks, record that it was
 * sent, tell its feature ({@link OutboxEvents.Delivered}), record a failure (and {@link OutboxEvents.GaveUp} when it is
 * the last). SMTP is never called inside any of them.
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
    Logos logos;

    @Inject
    Outbox outbox;

    @Inject
    Event<OutboxEvents.Delivered> delivered;

    @Inject
    Event<OutboxEvents.GaveUp> gaveUp;

    /**
     * A mail ready for SMTP: its attachments come from its kind's {@link OutboxHandler}, the logo (inline, under
     * {@link Outbox#LOGO_CID}) when its HTML shows it; {@code replyTo} may be null.
     */
    public record Outgoing(long id, String messageId, String recipient, String subject, String text, String html,
            List<OutboxHandler.Attachment> attachments, Logos.Image logo, String replyTo) {
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
            // SKIP LOCKED where the database has it (timeout -2): other runs pass over a message being claimed
            OutboxMessage m = OutboxMessage.<OutboxMessage> find(
                    "status = ?1 and nextAttemptAt <= ?2 and (claimedUntil is null or claimedUntil < ?2) and channel = ?3 order by nextAttemptAt, id",
                    OutboxMessage.Status.PENDING, now, OutboxMessage.Channel.MAIL)
                    .withLock(LockModeType.PESSIMISTIC_WRITE).withHint(AvailableSettings.JAKARTA_LOCK_TIMEOUT, -2)
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
        List<OutboxHandler.Attachment> attachments = outbox.handler(m.kind).map(h -> h.attachments(m))
                .orElse(List.of());
        Logos.Image logo = m.withLogo ? logos.of(m.organization.id).orElse(null) : null;
        return new Outgoing(m.id, m.messageId, m.recipient, m.subject, m.bodyText, m.bodyHtml, attachments, logo,
                m.contactEmail);
    }

    /**
     * Records that SMTP took the mail: one row, no lock on anything else, so the moment between the server's answer and
     * this commit (where a crash sends the mail again) stays as short as it can be. Its feature hears of it in
     * {@link #recordDelivered}.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void sent(long id) {
        OutboxMessage m = OutboxMessage.findById(id);
        m.status = OutboxMessage.Status.SENT;
        m.sentAt = Instant.now(clock);
        m.claimedUntil = null;
        m.lastError = null;
        m.deliveredEventPending = true;
        erase(m);
    }

    /**
     * Fires {@link OutboxEvents.Delivered} for a sent mail, once: the pending flag is cleared first (a second run waits
     * on that row, then finds nothing to do), and the observers' writes (e.g. the order's timeline, which waits for the
     * order's lock) commit with it. When an observer fails or the run dies first, the flag stays and the next run does
     * it ({@link #deliveredEventsPending}). Does nothing for a mail already done.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordDelivered(long id) {
        if (OutboxMessage.update("deliveredEventPending = false where id = ?1 and deliveredEventPending = true",
                id) == 0) {
            return; // done already, by this run or another
        }
        OutboxMessage m = OutboxMessage.findById(id);
        delivered.fire(new OutboxEvents.Delivered(m.id, m.organization.id, m.channel, m.kind, m.subjectRef(),
                m.recipient, m.linkId, m.attempts, m.sentAt));
    }

    /**
     * Sent mails whose feature has not yet heard of it (a run died or failed between the two records), oldest first.
     */
    @Transactional
    public List<Long> deliveredEventsPending() {
        return OutboxMessage.<OutboxMessage> find("deliveredEventPending = true order by id")
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
            // in this transaction: the feature's record of it (e.g. the order's "dead mail") commits with the state
            gaveUp.fire(new OutboxEvents.GaveUp(m.id, m.organization.id, m.channel, m.kind, m.subjectRef(), m.recipient,
                    m.linkId, m.attempts, m.lastError, now));
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
