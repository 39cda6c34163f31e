package io.portlink.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

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
    WebhookSecrets secrets;

    @Inject
    Event<OutboxEvents.Delivered> delivered;

    @Inject
    Event<OutboxEvents.GaveUp> gaveUp;

    @Inject
    Event<OutboxEvents.Withdrawn> withdrawn;

    /**
     * A mail ready for SMTP: its attachments come from its kind's {@link OutboxHandler}, the logo (inline, under
     * {@link Outbox#LOGO_CID}) when its HTML shows it; {@code replyTo} may be null; {@code mayWithdraw} when its
     * handler may still withdraw it once it is built ({@link OutboxHandler#mayWithdraw}).
     */
    public record Outgoing(long id, String messageId, String recipient, String subject, String text, String html,
            List<OutboxHandler.Attachment> attachments, Logos.Image logo, String replyTo, boolean mayWithdraw) {
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
        return Optional.ofNullable(claim(OutboxMessage.Channel.MAIL, Set.of()))
                .map(m -> new Claim(outgoing(m), m.claimedUntil));
    }

    /**
     * A claimed webhook: its endpoint's URL and current secret are read at claim time, so a rotation applies at once.
     */
    public record WebhookClaim(long id, String eventId, long endpointId, String url, String secret, String body,
            int attempt, Instant until) {

        @Override
        public String toString() {
            // never the secret
            return "webhook " + id + " (" + eventId + ") to " + url;
        }
    }

    /**
     * Claims the next due webhook of an enabled endpoint, like {@link #claimNext()} claims mail (deliveries of a
     * disabled endpoint wait until it is enabled again).
     */
    @Transactional
    public Optional<WebhookClaim> claimNextWebhook() {
        return claimNextWebhook(Set.of());
    }

    /**
     * {@link #claimNextWebhook()}, passing over the endpoints in {@code busy} (those a delivery of the same run is
     * sending to: one endpoint gets its events one after the other, in the order they were published).
     */
    @Transactional
    public Optional<WebhookClaim> claimNextWebhook(Set<Long> busy) {
        OutboxMessage m = claim(OutboxMessage.Channel.WEBHOOK, busy);
        if (m == null) {
            return Optional.empty();
        }
        WebhookEndpoint endpoint = WebhookEndpoint.findById(m.webhookEndpointId);
        return Optional.of(new WebhookClaim(m.id, m.messageId, endpoint.id, endpoint.url, secrets.secret(endpoint),
                m.bodyText, m.attempts, m.claimedUntil));
    }

    /** The next due message of the channel, claimed (its try counted), or null when none is due. */
    private OutboxMessage claim(OutboxMessage.Channel channel, Set<Long> busy) {
        Instant now = Instant.now(clock);
        String query = "status = ?1 and nextAttemptAt <= ?2 and (claimedUntil is null or claimedUntil < ?2) and channel = ?3"
                + (channel == OutboxMessage.Channel.WEBHOOK
                        ? " and webhookEndpointId in (select e.id from WebhookEndpoint e where e.enabled = true)" : "")
                + (busy.isEmpty() ? "" : " and webhookEndpointId not in ?4") + " order by nextAttemptAt, id";
        Object[] parameters = busy.isEmpty() ? new Object[] { OutboxMessage.Status.PENDING, now, channel }
                : new Object[] { OutboxMessage.Status.PENDING, now, channel, busy };
        while (true) {
            // SKIP LOCKED where the database has it (timeout -2): other runs pass over a message being claimed
            OutboxMessage m = OutboxMessage.<OutboxMessage> find(query, parameters)
                    .withLock(LockModeType.PESSIMISTIC_WRITE).withHint(AvailableSettings.JAKARTA_LOCK_TIMEOUT, -2)
                    .page(0, 1).firstResult();
            if (m == null) {
                return null;
            }
            if (m.claimedUntil != null) {
                // an earlier run claimed it and recorded no outcome: it died or lost the database, maybe after SMTP had
                // taken the mail, so this try may deliver it a second time (under the same Message-ID)
                LOG.warnf("%s %d: the claim of an earlier delivery run lapsed after %d tries",
                        channel == OutboxMessage.Channel.MAIL ? "mail" : "webhook", m.id, m.attempts);
                if (m.attempts >= maxAttempts(m)) {
                    fail(m, "the delivery stopped while sending it, " + m.attempts + " times", null, now);
                    continue;
                }
            }
            if (withdrawIfUnwanted(m, now)) {
                continue;
            }
            m.attempts++;
            m.claimedUntil = now.plus(lease());
            return m;
        }
    }

    /**
     * Withdraws a locked pending message when its feature no longer wants it sent ({@link OutboxHandler#withdrawal},
     * e.g. a reminder the vendor's answer made moot): never sent, its bodies erased, {@link OutboxEvents.Withdrawn}
     * fired in this transaction. True when withdrawn.
     */
    private boolean withdrawIfUnwanted(OutboxMessage m, Instant now) {
        String withdrawal = outbox.handler(m.kind).map(h -> h.withdrawal(m)).orElse(null);
        if (withdrawal == null) {
            return false;
        }
        m.status = OutboxMessage.Status.WITHDRAWN;
        m.claimedUntil = null;
        m.lastError = withdrawal.substring(0, Math.min(withdrawal.length(), OutboxMessage.LAST_ERROR_LENGTH));
        if (m.channel == OutboxMessage.Channel.MAIL) {
            erase(m);
        }
        // in this transaction: the feature undoes what queuing it recorded, with the message's state
        withdrawn.fire(new OutboxEvents.Withdrawn(m.id, m.organization.id, m.channel, m.kind, m.subjectRef(),
                m.recipient, m.linkId, m.createdAt, m.lastError, now));
        return true;
    }

    /**
     * Asks a claimed mail's feature once more, right before the mail is handed to the SMTP server, whether it is still
     * wanted: building it (a PDF among its attachments) takes from milliseconds to seconds, in which staff may cancel
     * the order or send it again with a new link. True when it was withdrawn, as at a claim; false when it is still
     * wanted or no longer pending (then the run goes on as it would have).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean withdrawnBeforeSending(long id) {
        OutboxMessage m = OutboxMessage.findById(id, LockModeType.PESSIMISTIC_WRITE);
        return m != null && m.status == OutboxMessage.Status.PENDING && withdrawIfUnwanted(m, Instant.now(clock));
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

    /**
     * Gives a claim back that is still this run's (same end as given), without counting its try: the delivery stopped
     * before any of its data went out ({@link Handoff}), so the message is due at once for any run, with the tries it
     * had before. False when the claim is no longer this run's (it lapsed and another run took the message) or the
     * message is no longer pending; nothing changes then.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean release(long id, Instant until) {
        return OutboxMessage.update(
                "claimedUntil = null, attempts = attempts - 1 where id = ?1 and status = ?2 and claimedUntil = ?3", id,
                OutboxMessage.Status.PENDING, until) == 1;
    }

    private Outgoing outgoing(OutboxMessage m) {
        List<OutboxHandler.Attachment> attachments = outbox.handler(m.kind).map(h -> h.attachments(m))
                .orElse(List.of());
        Logos.Image logo = m.withLogo ? logos.of(m.organization.id).orElse(null) : null;
        boolean mayWithdraw = outbox.handler(m.kind).map(h -> h.mayWithdraw(m.kind)).orElse(false);
        return new Outgoing(m.id, m.messageId, m.recipient, m.subject, m.bodyText, m.bodyHtml, attachments, logo,
                m.contactEmail, mayWithdraw);
    }

    /**
     * Records that SMTP took the mail: one row, no lock on anything else, so the moment between the server's answer and
     * this commit (where a crash sends the mail again) stays as short as it can be. Its feature hears of it in
     * {@link #recordDelivered}.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void sent(long id) {
        sent(id, null);
    }

    /**
     * {@link #sent(long)} with the receiver's HTTP status (webhooks). Does nothing for a message deleted meanwhile (its
     * webhook endpoint was deleted while it was being sent).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void sent(long id, Integer statusCode) {
        OutboxMessage m = OutboxMessage.findById(id);
        if (m == null) {
            return;
        }
        m.lastStatusCode = statusCode;
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
        if (m == null) {
            return;
        }
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
        failed(id, error, null);
    }

    /**
     * {@link #failed(long, String)} with the receiver's HTTP status, if it answered (webhooks). Does nothing for a
     * message deleted meanwhile.
     */
    @Transactional
    public void failed(long id, String error, Integer statusCode) {
        OutboxMessage m = OutboxMessage.findById(id);
        if (m != null) {
            fail(m, error, statusCode, Instant.now(clock));
        }
    }

    private int maxAttempts(OutboxMessage m) {
        return m.channel == OutboxMessage.Channel.WEBHOOK ? config.webhooks().maxAttempts()
                : config.outbox().maxAttempts();
    }

    private void fail(OutboxMessage m, String error, Integer statusCode, Instant now) {
        m.claimedUntil = null; // the try was counted when it was claimed
        m.lastError = error == null ? "unknown error"
                : error.substring(0, Math.min(error.length(), OutboxMessage.LAST_ERROR_LENGTH));
        m.lastStatusCode = statusCode;
        if (m.attempts >= maxAttempts(m)) {
            m.status = OutboxMessage.Status.DEAD;
            if (m.channel == OutboxMessage.Channel.MAIL) {
                erase(m); // a webhook keeps its body (no link token in it), so staff can retry it
            }
            // in this transaction: the feature's record of it (e.g. the order's "dead mail") commits with the state
            gaveUp.fire(new OutboxEvents.GaveUp(m.id, m.organization.id, m.channel, m.kind, m.subjectRef(), m.recipient,
                    m.linkId, m.attempts, m.lastError, now));
        } else if (m.channel == OutboxMessage.Channel.WEBHOOK) {
            m.nextAttemptAt = now.plus(webhookBackoff(m.attempts, config.webhooks().firstRetry(),
                    config.webhooks().maxRetry(), ThreadLocalRandom.current().nextDouble()));
        } else {
            // exponential backoff: first-retry, then twice that, four times...
            long factor = 1L << Math.min(m.attempts - 1, 20);
            m.nextAttemptAt = now.plus(config.outbox().firstRetry().multipliedBy(factor));
        }
    }

    /**
     * The wait after a webhook's {@code attempts}-th failed try: {@code first} doubled for each earlier failure, at
     * most {@code max}, plus {@code jitter} (0 to 1) times a quarter of that, so endpoints that failed together are not
     * all tried again at the same moment.
     */
    static Duration webhookBackoff(int attempts, Duration first, Duration max, double jitter) {
        Duration base = first.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 30));
        if (base.compareTo(max) > 0 || base.isNegative()) {
            base = max;
        }
        return base.plusMillis((long) (base.toMillis() * 0.25 * jitter));
    }

    /** The bodies hold the link; once the mail is out (or given up, or withdrawn), the token leaves the database. */
    private static void erase(OutboxMessage m) {
        m.bodyText = null;
        m.bodyHtml = null;
        m.linkUrl = null;
    }
}
