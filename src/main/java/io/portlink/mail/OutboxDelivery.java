package io.portlink.mail;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.scheduler.Scheduled;

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
                mailer.send(toMail(outgoing.get()));
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

    static Mail toMail(OutboxStore.Outgoing out) {
        Mail mail = Mail.withHtml(out.recipient(), out.subject(), out.html()).setText(out.text());
        mail.addHeader("Message-ID", out.messageId());
        if (out.replyTo() != null) {
            // the buyer, so a vendor's reply reaches a person rather than the platform's sender address
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
