package io.portlink.outbox;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataErasures.TextSearch;
import io.portlink.organization.PersonalDataHolder;

/**
 * Stored mails and webhook bodies, erased on request ({@link PersonalDataErasures}). A mail to the person (or with them
 * as its Reply-To contact) loses its recipient, contact, bodies and link; its subject and last error (a mail server's
 * answer repeats the address) are cleaned; one not sent yet is never sent (dead, "recipient erased"). Any other message
 * whose subject, bodies or last error mention the person's e-mail or phone, or, for messages about the orders and
 * shipments concerned (or that mention the records concerned, as a webhook about a sales order or a supplier's mail of
 * a merchant's change does: {@code Request#concernsMessagesMentioning}), their name and address, has those occurrences
 * replaced. The row stays (that a mail was sent, when, of which kind).
 */
@ApplicationScoped
public class OutboxPersonalData implements PersonalDataHolder {

    @Override
    public int order() {
        return 20;
    }

    @Override
    public void erase(PersonalDataErasures.Request r) {
        List<String> ids = r.identifiers();
        int[] mails = { 0 };
        PersonalDataErasures.inBatches(OutboxMessage.class, PersonalDataErasures.ids("select id from OutboxMessage"
                + " where organization.id = ?1 and channel = ?2 and (lower(recipient) in ?3 or lower(contactEmail) in ?3)",
                r.organizationId(), OutboxMessage.Channel.MAIL, ids), m -> {
                    m.recipient = PersonalDataErasures.ERASED;
                    // its subject is cleaned with the rest of the texts, once all is learnt
                    r.concernsMessage(m.id);
                    m.bodyText = null;
                    m.bodyHtml = null;
                    m.contactName = null;
                    m.contactEmail = null;
                    m.contactPhone = null;
                    m.linkUrl = null;
                    if (m.status == OutboxMessage.Status.PENDING) {
                        m.status = OutboxMessage.Status.DEAD;
                        m.claimedUntil = null;
                        m.lastError = "not sent: the recipient's personal data was erased on request";
                    }
                    mails[0]++;
                });
        r.erased("mails", mails[0]);
        if (!r.cleansTexts()) {
            // the texts: once, when all is learnt
            return;
        }
        // the subjects of the mails to the person, and the mail server's answer, which repeats their address (counted
        // as mails above)
        PersonalDataErasures.inBatches(OutboxMessage.class, r.messageIds(), m -> {
            m.subject = r.scrub(m.subject, true, OutboxMessage.SUBJECT_LENGTH);
            m.lastError = r.scrub(m.lastError, true, OutboxMessage.LAST_ERROR_LENGTH);
        });
        // other messages that mention the person: by identifier anywhere, by name only about the subjects concerned
        Set<Long> mentioning = new TreeSet<>();
        for (TextSearch t : r.textSearches()) {
            mentioning.addAll(PersonalDataErasures.ids(
                    "select id from OutboxMessage where organization.id = ?1 and (" + t.on("subject", 2) + " or "
                            + t.on("bodyText", 2) + " or " + t.on("bodyHtml", 2) + " or " + t.on("lastError", 2) + ")",
                    t.parameters(r.organizationId())));
        }
        Set<Long> orders = r.purchaseOrderIds();
        Set<Long> shipments = r.shipmentIds();
        mentioning.addAll(PersonalDataErasures.idsIn(
                "select id from OutboxMessage where organization.id = ?1 and purchaseOrderId in ?2", orders,
                r.organizationId()));
        mentioning.addAll(PersonalDataErasures.idsIn(
                "select id from OutboxMessage where organization.id = ?1 and shipmentId in ?2", shipments,
                r.organizationId()));
        // messages that name no order or shipment but the records concerned (webhooks, another side's mails)
        Set<Long> marked = new TreeSet<>();
        for (var e : r.messageMarkers().entrySet()) {
            for (String marker : e.getValue()) {
                marked.addAll(PersonalDataErasures.ids("select id from OutboxMessage where organization.id = ?1"
                        + " and (subject like ?2 escape '!' or bodyText like ?2 escape '!' or bodyHtml like ?2"
                        + " escape '!')", e.getKey(), like(marker)));
            }
        }
        mentioning.addAll(marked);
        int[] texts = { 0 };
        PersonalDataErasures.inBatches(OutboxMessage.class, mentioning, m -> {
            boolean concerned = (m.purchaseOrderId != null && orders.contains(m.purchaseOrderId))
                    || (m.shipmentId != null && shipments.contains(m.shipmentId)) || marked.contains(m.id);
            String subject = r.scrub(m.subject, concerned, OutboxMessage.SUBJECT_LENGTH);
            String text = r.scrub(m.bodyText, concerned, OutboxMessage.BODY_TEXT_LENGTH);
            String html = r.scrub(m.bodyHtml, concerned, OutboxMessage.BODY_HTML_LENGTH);
            String contact = r.scrub(m.contactName, concerned, OutboxMessage.CONTACT_NAME_LENGTH);
            String error = r.scrub(m.lastError, concerned, OutboxMessage.LAST_ERROR_LENGTH);
            if (subject != m.subject || text != m.bodyText || html != m.bodyHtml || contact != m.contactName
                    || error != m.lastError) {
                m.subject = subject;
                m.bodyText = text;
                m.bodyHtml = html;
                m.contactName = contact;
                m.lastError = error;
                texts[0]++;
            }
        });
        r.erased("mailTexts", texts[0]);
    }

    /** A LIKE pattern (escape {@code !}) for text containing {@code needle}. */
    private static String like(String needle) {
        return "%" + needle.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }
}
