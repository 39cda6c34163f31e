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

import io.portlink.order.Actor;
import io.portlink.order.OrderEvent;
import io.portlink.order.Orders;
import io.portlink.order.Timeline;
import io.portlink.organization.Logos;
import io.portlink.platform.PortlinkConfig;

/**
 * The outbox's transactions, each short: claim a batch, read one message, record the outcome. SMTP is never called
 * inside any of them.
 */
@ApplicationScoped
public class OutboxStore {

    /** How long a delivery run owns the messages it claimed; past it, another run may take them. */
    static final Duration CLAIM = Duration.ofMinutes(2);

    @Inject
    Clock clock;

    @Inject
    PortlinkConfig config;

    @Inject
    Timeline timeline;

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

    /** Claims due messages; other replicas skip the locked rows and claim others. */
    @Transactional
    public List<Long> claimDue() {
        Instant now = Instant.now(clock);
        List<OutboxMessage> due = OutboxMessage.<OutboxMessage> find(
                "status = ?1 and nextAttemptAt <= ?2 and (claimedUntil is null or claimedUntil < ?2) order by nextAttemptAt",
                OutboxMessage.Status.PENDING, now).withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint(AvailableSettings.JAKARTA_LOCK_TIMEOUT, -2) // SKIP LOCKED where the database has it
                .page(0, config.outbox().batchSize()).list();
        due.forEach(m -> m.claimedUntil = now.plus(CLAIM));
        return due.stream().map(m -> m.id).toList();
    }

    @Transactional
    public Optional<Outgoing> read(long id) {
        return OutboxMessage.<OutboxMessage> findByIdOptional(id).filter(m -> m.status == OutboxMessage.Status.PENDING)
                .map(m -> {
                    boolean pdf = m.kind == OutboxMessage.Kind.PO_AND_LINK && m.order != null;
                    Logos.Image logo = m.withLogo || (pdf && m.organization.logoDigest != null)
                            ? logos.of(m.organization.id).orElse(null) : null;
                    Buyer buyer = new Buyer(m.buyerName, m.buyerEmail, m.buyerPhone);
                    return new Outgoing(m.id, m.messageId, m.recipient, m.subject, m.bodyText, m.bodyHtml,
                            pdf ? PoDocuments.of(m.order, m.linkUrl,
                                    buyer.label() == null && buyer.phone() == null ? null : buyer,
                                    PoDocuments.logo(logo)) : null,
                            m.withLogo ? logo : null, buyer.email());
                });
    }

    @Transactional
    public void sent(long id) {
        OutboxMessage m = OutboxMessage.findById(id);
        m.status = OutboxMessage.Status.SENT;
        m.sentAt = Instant.now(clock);
        m.attempts++;
        m.claimedUntil = null;
        m.lastError = null;
        erase(m);
        if (m.order != null) {
            locks.order(m.order.id); // a vendor acting on the order meanwhile: wait, then update its current state
            timeline.record(m.order, Actor.system(), OrderEvent.Type.MAIL_SENT,
                    "e-mail delivered to " + m.recipient + " (link #" + m.linkId + ")");
            orders.notified(m.order, Actor.system(), "by e-mail to " + m.recipient);
            m.order.mailDead = false;
        }
    }

    @Transactional
    public void failed(long id, String error) {
        OutboxMessage m = OutboxMessage.findById(id);
        Instant now = Instant.now(clock);
        m.attempts++;
        m.claimedUntil = null;
        m.lastError = error == null ? "unknown error" : error.substring(0, Math.min(error.length(), 1000));
        if (m.attempts >= config.outbox().maxAttempts()) {
            m.status = OutboxMessage.Status.DEAD;
            erase(m);
            if (m.order != null) {
                locks.order(m.order.id);
                m.order.mailDead = true;
                timeline.record(m.order, Actor.system(), OrderEvent.Type.MAIL_DEAD, "e-mail to " + m.recipient
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
