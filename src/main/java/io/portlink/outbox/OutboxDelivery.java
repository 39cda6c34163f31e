package io.portlink.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.portlink.platform.Addresses;
import io.portlink.platform.GracefulStop;
import io.portlink.platform.JobRuns;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.StopSignal;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;

/**
 * Delivers the outbox. The scheduler runs it on one replica at a time, like every job; each message is still claimed by
 * one run at a time ({@link OutboxStore}, so a direct call or a run recovered after a crash never sends it twice), one
 * message at a time, and a run that dies holds only the message it was sending, for one short lease.
 *
 * <p>
 * Delivery is at least once, never exactly once: SMTP has no way to ask whether a server already took a message. A run
 * that dies after the server accepted a mail and before {@link OutboxStore#sent} committed (one single-row update, a
 * few milliseconds) sends that one mail again after its lease; it carries the same Message-ID, by which mail clients
 * and servers recognise the copy. Every other outcome is recorded once.
 */
@ApplicationScoped
public class OutboxDelivery {

    private static final Logger LOG = Logger.getLogger(OutboxDelivery.class);

    /**
     * The longest one SMTP conversation may take before the try counts as failed: RFC 5321 4.5.3.2's longest wait, for
     * the reply to the end of the data (a server may scan a mail for minutes before its "250"). A try given up earlier
     * could still be completed by the server, and its retry would then send the mail twice.
     */
    static final Duration SEND_TIMEOUT = Duration.ofMinutes(10);

    @Inject
    OutboxStore store;

    @Inject
    GracefulStop stop;

    @Inject
    Mailer mailer;

    /** The Vert.x client under the mailer: it writes no header we did not set (the mailer adds an empty Cc). */
    @Inject
    SmtpClient client;

    @ConfigProperty(name = "quarkus.mailer.from")
    String from;

    /** Dev mode only logs mail (the mailer's mock); the real client would need an SMTP server. */
    @ConfigProperty(name = "quarkus.mailer.mock", defaultValue = "false")
    boolean mock;

    @Inject
    PortlinkConfig config;

    @Inject
    WebhookDelivery webhooks;

    @Scheduled(identity = "outbox-delivery", every = "{portlink.outbox.every}", delayed = "5s")
    @Nonconcurrent
    void scheduled() {
        JobRuns.count("sent", deliverDue());
        JobRuns.count("webhooks", webhooks.deliverDue());
    }

    /**
     * Delivers due messages, one claim at a time, at most a batch of them; returns how many were sent. Stops between
     * two messages when the service is stopping, and gives back a message whose data has not started going out
     * ({@link Handoff}).
     */
    public int deliverDue() {
        try (GracefulStop.Job job = stop.begin()) {
            recordDeliveredLeftOver();
            int sent = 0;
            for (int i = 0; i < config.outbox().batchSize() && !stop.requested(); i++) {
                Optional<OutboxStore.Claim> claim = store.claimNext();
                if (claim.isEmpty()) {
                    break;
                }
                Handoff.Outcome outcome = deliver(claim.get(), stop);
                if (outcome == Handoff.Outcome.DELIVERED) {
                    sent++;
                } else if (outcome == Handoff.Outcome.GIVEN_BACK) {
                    break;
                }
            }
            return sent;
        }
    }

    /**
     * Sends one claimed message and records the outcome. When {@code stopping} begins before the mail is handed to the
     * SMTP client (while its attachments are rendered, or when the server closed the session with 421 before taking
     * it), the claim is given back without a try and the mail is not sent; once handed over, the send runs to its
     * outcome. Package-private for tests that stop one delivery.
     */
    Handoff.Outcome deliver(OutboxStore.Claim claim, StopSignal stopping) {
        OutboxStore.Outgoing out = claim.mail();
        Handoff handoff = new Handoff();
        try (StopSignal.Registration listening = stopping.whenRequested(handoff::giveUp)) {
            Handed handed = send(claim, handoff, stopping);
            if (handed.outcome() == Handoff.Outcome.WITHDRAWN) {
                return Handoff.Outcome.WITHDRAWN;
            }
            if (handed.outcome() == Handoff.Outcome.GIVEN_BACK) {
                giveBack(out.id(), handed.until());
                return Handoff.Outcome.GIVEN_BACK;
            }
        } catch (RuntimeException e) {
            // per message: one bad recipient or a server hiccup never stops the batch
            // the address (and any the server's answer repeats) only as j…@example.com: logs outlive an erasure
            LOG.warnf("mail %d to %s failed: %s", out.id(), Addresses.mask(out.recipient()),
                    Addresses.maskAll(e.getMessage()));
            store.failed(out.id(), e.getMessage());
            return Handoff.Outcome.FAILED;
        }
        // from the server's answer to this commit, a crash means the mail goes out once more
        store.sent(out.id());
        try {
            store.recordDelivered(out.id());
        } catch (RuntimeException e) {
            // the mail is out and recorded as sent; the next run tells its feature (e.g. puts it on the order)
            LOG.warnf("mail %d was sent; its subject is updated on the next run: %s", out.id(), e.getMessage());
        }
        return Handoff.Outcome.DELIVERED;
    }

    private void giveBack(long id, Instant until) {
        if (store.release(id, until)) {
            LOG.infof("mail %d: given back unsent, the service is stopping; another replica sends it", id);
        } else {
            LOG.warnf("mail %d: given back unsent, but its claim had lapsed; it is sent after its lease", id);
        }
    }

    /** Tells the features of mails that a run sent but stopped before it could tell them (their subjects' records). */
    private void recordDeliveredLeftOver() {
        for (long id : store.deliveredEventsPending()) {
            try {
                store.recordDelivered(id);
            } catch (RuntimeException e) {
                LOG.warnf("mail %d was sent; its subject is not updated yet: %s", id, e.getMessage());
            }
        }
    }

    /**
     * Sends over SMTP and records nothing ({@link #deliverDue} records the outcome). While the server takes its time,
     * the claim is extended every third of a lease, so it lasts as long as this send and no longer. Public for tests
     * that stop a run between the server's answer and its record.
     */
    public void send(OutboxStore.Claim claim) {
        send(claim, new Handoff(), NEVER);
    }

    /**
     * What {@link #send} did: the server took the mail ({@code DELIVERED}), nothing went out and the claim ending at
     * {@code until} is to be given back ({@code GIVEN_BACK}), or the feature withdrew it ({@code WITHDRAWN}).
     */
    private record Handed(Handoff.Outcome outcome, Instant until) {

        static final Handed TAKEN = new Handed(Handoff.Outcome.DELIVERED, null);
        static final Handed WITHDRAWN = new Handed(Handoff.Outcome.WITHDRAWN, null);

        static Handed givenBack(Instant until) {
            return new Handed(Handoff.Outcome.GIVEN_BACK, until);
        }
    }

    /** A stop that never begins. */
    private static final StopSignal NEVER = new StopSignal() {
        @Override
        public boolean requested() {
            return false;
        }

        @Override
        public Registration whenRequested(Runnable action) {
            return () -> {
            };
        }
    };

    /**
     * {@link #send(OutboxStore.Claim)}, unless {@code handoff} was given up before the mail went to the SMTP client, or
     * the server closed the session without taking it while {@code stopping}: then nothing was sent, and this gives the
     * claim's current end (to give it back); withdrawn when its feature withdrew it once it was built; taken when the
     * server took the mail. The message (attachments rendered) is built first, then handed over.
     */
    private Handed send(OutboxStore.Claim claim, Handoff handoff, StopSignal stopping) {
        OutboxStore.Outgoing out = claim.mail();
        if (mock) {
            Mail mail = toMail(out);
            if (out.mayWithdraw() && store.withdrawnBeforeSending(out.id())) {
                return Handed.WITHDRAWN;
            }
            if (!handoff.send()) {
                return Handed.givenBack(claim.until());
            }
            mailer.send(mail);
            return Handed.TAKEN;
        }
        MailMessage message = toMessage(out, from);
        // asked again once the mail is built: the order may have been cancelled or sent anew meanwhile
        if (out.mayWithdraw() && store.withdrawnBeforeSending(out.id())) {
            return Handed.WITHDRAWN;
        }
        if (!handoff.send()) {
            return Handed.givenBack(claim.until());
        }
        var sending = client.send(message);
        long heartbeat = Math.max(1, store.lease().toMillis() / 3);
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        Instant until = claim.until();
        boolean reconnected = false;
        while (true) {
            try {
                sending.get(heartbeat, TimeUnit.MILLISECONDS);
                return Handed.TAKEN;
            } catch (ExecutionException e) {
                if (!reconnected && e.getCause() instanceof SMTPException smtp && smtp.getReplyCode() == 421) {
                    // 421: the server closed the session before it took the mail (RFC 5321 4.2.3), e.g. a connection
                    // it timed out or a server restart; a new session at once cannot send it twice
                    if (stopping.requested()) {
                        return Handed.givenBack(until); // not taken: as good as never handed over
                    }
                    reconnected = true;
                    LOG.infof("mail %d: the mail server closed the session (%s); trying once more", out.id(),
                            smtp.getMessage());
                    sending = client.send(toMessage(out, from));
                    continue;
                }
                throw new IllegalStateException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(
                            "the mail server did not answer within " + SEND_TIMEOUT.toMinutes() + " minutes", e);
                }
                Optional<Instant> extended = store.extend(out.id(), until);
                if (extended.isPresent()) {
                    until = extended.get();
                } else {
                    LOG.warnf("mail %d: its claim lapsed while the mail server was still answering", out.id());
                }
            }
        }
    }

    /**
     * The message as SMTP carries it: To, From, Subject, Message-ID, and Reply-To only when there is a buyer; no Cc or
     * any other header without a value. Header values are free of CR/LF: the subject and buyer are cleaned when queued,
     * addresses are checked when entered.
     */
    static MailMessage toMessage(OutboxStore.Outgoing out, String from) {
        MailMessage message = new MailMessage().setFrom(from).setTo(List.of(out.recipient())).setSubject(out.subject())
                .setText(out.text()).setHtml(out.html());
        message.addHeader("Message-ID", out.messageId());
        if (out.replyTo() != null) {
            // the buyer, so a vendor's reply reaches a person rather than the platform's sender address
            message.addHeader("Reply-To", out.replyTo());
        }
        if (!out.attachments().isEmpty()) {
            message.setAttachment(out.attachments().stream()
                    .map(a -> MailAttachment.create().setName(a.fileName()).setContentType(a.contentType())
                            .setDisposition("attachment").setData(Buffer.buffer(a.content().get())))
                    .toList());
        }
        if (out.logo() != null) {
            message.setInlineAttachment(MailAttachment.create().setName(out.logo().fileName())
                    .setContentType(out.logo().contentType()).setDisposition("inline")
                    .setContentId("<" + Outbox.LOGO_CID + ">").setData(Buffer.buffer(out.logo().content())));
        }
        return message;
    }

    /** The same message for the mailer's mock (dev mode), which only logs it. */
    static Mail toMail(OutboxStore.Outgoing out) {
        Mail mail = Mail.withHtml(out.recipient(), out.subject(), out.html()).setText(out.text());
        mail.addHeader("Message-ID", out.messageId());
        if (out.replyTo() != null) {
            mail.setReplyTo(out.replyTo());
        }
        for (OutboxHandler.Attachment a : out.attachments()) {
            mail.addAttachment(a.fileName(), a.content().get(), a.contentType());
        }
        if (out.logo() != null) {
            mail.addInlineAttachment(out.logo().fileName(), out.logo().content(), out.logo().contentType(),
                    "<" + Outbox.LOGO_CID + ">");
        }
        return mail;
    }
}
