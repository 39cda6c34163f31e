package io.portlink.mail;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;

/**
 * Delivers the outbox. Runs on every replica; the claim in {@link OutboxStore} makes each message go to exactly one
 * run, and a run that dies leaves its claims to lapse and be retried.
 */
@ApplicationScoped
public class OutboxDelivery {

    private static final Logger LOG = Logger.getLogger(OutboxDelivery.class);

    @Inject
    OutboxStore store;

    @Inject
    Mailer mailer;

    /** The Vert.x client under the mailer: it writes no header we did not set (the mailer adds an empty Cc). */
    @Inject
    MailClient client;

    @ConfigProperty(name = "quarkus.mailer.from")
    String from;

    /** Dev mode only logs mail (the mailer's mock); the real client would need an SMTP server. */
    @ConfigProperty(name = "quarkus.mailer.mock", defaultValue = "false")
    boolean mock;

    @Scheduled(identity = "outbox-delivery", every = "{portlink.outbox.every}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        deliverDue();
    }

    /** Delivers one batch of due messages; returns how many were sent. */
    public int deliverDue() {
        List<Long> claimed = store.claimDue();
        int sent = 0;
        for (long id : claimed) {
            var outgoing = store.read(id);
            if (outgoing.isEmpty()) {
                continue;
            }
            try {
                send(outgoing.get());
                store.sent(id);
                sent++;
            } catch (RuntimeException e) {
                // per-message: one bad recipient or a server hiccup never stops the batch
                LOG.warnf("mail %d to %s failed: %s", id, outgoing.get().recipient(), e.getMessage());
                store.failed(id, e.getMessage());
            }
        }
        return sent;
    }

    private void send(OutboxStore.Outgoing out) {
        if (mock) {
            mailer.send(toMail(out));
            return;
        }
        try {
            client.sendMail(toMessage(out, from)).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the mail server did not answer within 2 minutes", e);
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
        if (out.pdf() != null) {
            message.setAttachment(MailAttachment.create().setName(PurchaseOrderPdf.fileName(out.pdf().reference()))
                    .setContentType("application/pdf").setDisposition("attachment")
                    .setData(Buffer.buffer(PurchaseOrderPdf.render(out.pdf()))));
        }
        if (out.logo() != null) {
            message.setInlineAttachment(
                    MailAttachment.create().setName(out.logo().fileName()).setContentType(out.logo().contentType())
                            .setDisposition("inline").setContentId("<" + VendorMail.MailModel.LOGO_CID + ">")
                            .setData(Buffer.buffer(out.logo().content())));
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
        if (out.pdf() != null) {
            byte[] pdf = PurchaseOrderPdf.render(out.pdf());
            mail.addAttachment(PurchaseOrderPdf.fileName(out.pdf().reference()), pdf, "application/pdf");
        }
        if (out.logo() != null) {
            mail.addInlineAttachment(out.logo().fileName(), out.logo().content(), out.logo().contentType(),
                    "<" + VendorMail.MailModel.LOGO_CID + ">");
        }
        return mail;
    }
}
