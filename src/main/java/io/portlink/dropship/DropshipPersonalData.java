package io.portlink.dropship;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataHolder;

/**
 * What dropship keeps of a merchant's customer and of a supplier's contact, erased on request
 * ({@link PersonalDataErasures}).
 * <ul>
 * <li>A sales order's ship-to (name, company, address, phone, as the sales channel sent it): a sales order carries no
 * e-mail, so it is found by its phone, the request's or one an earlier holder found on the person's records (a
 * shipment's or an order's consignee's: {@code Request#isKnownPhone}). Name and address become
 * {@link PersonalDataErasures#ERASED} (the columns are required), company and phone are cleared; the person's name,
 * address and phone are erased from the order's internal note and cancel reason. The copies go with it: every
 * dropshipment of the order (the supplier's view: ship-to, note, change summary, cancel reason) and its recorded
 * changes ({@code dropshipment_change}); the timelines of both (the supplier's too), the webhooks about the order
 * ({@code "salesOrder":"SO-1"} in their body) and the supplier's change mails are cleaned by the timeline and outbox
 * holders, to which this one hands the subjects.</li>
 * <li>On the supplier's side, a request names what the supplier holds: its dropshipments whose ship-to phone is the
 * person's lose the ship-to the same way (the merchant's sales order is the merchant's to erase).</li>
 * <li>A supplier invited by the person's address: the invitation's address becomes {@link PersonalDataErasures#ERASED}
 * and an invitation still open ends now (invite the supplier again at another address).</li>
 * </ul>
 * Kept: references, lines, quantities, prices, statuses, dates, carriers and tracking numbers.
 */
@ApplicationScoped
public class DropshipPersonalData implements PersonalDataHolder {

    @Inject
    ObjectMapper json;

    @Override
    public int order() {
        // after purchasing (0) and shipments (5): a phone they found on the person's records finds a sales order
        return 7;
    }

    @Override
    public void erase(PersonalDataErasures.Request r) {
        int orders = 0;
        int copies = 0;
        int texts = 0;
        Set<Long> done = new LinkedHashSet<>();
        if (r.knowsPhone()) {
            // two columns a row, not the entities: a merchant may have many orders; the match is on the digits
            for (long id : matching(r, "select id, shipToPhone from SalesOrder where organizationId = ?1"
                    + " and shipToPhone is not null")) {
                SalesOrder order = SalesOrder.findById(id);
                learn(r, order.shipToName, order.shipToCompany, order.shipToAddress, order.shipToPhone);
                r.concernsSalesOrder(order.id);
                r.concernsMessagesMentioning(order.organizationId, "\"salesOrder\":" + quoted(order.reference));
                order.shipToName = PersonalDataErasures.ERASED;
                order.shipToCompany = null;
                order.shipToAddress = PersonalDataErasures.ERASED;
                order.shipToPhone = null;
                orders++;
                for (Dropshipment d : Dropshipment.<Dropshipment> list("salesOrderId", order.id)) {
                    erase(r, d);
                    done.add(d.id);
                    copies++;
                }
            }
            for (long id : matching(r, "select id, shipToPhone from Dropshipment where supplierId = ?1"
                    + " and shipToPhone is not null")) {
                if (done.add(id)) {
                    Dropshipment d = Dropshipment.findById(id);
                    learn(r, d.shipToName, d.shipToCompany, d.shipToAddress, d.shipToPhone);
                    erase(r, d);
                    copies++;
                }
            }
        }
        // free texts: the person's e-mail or phone anywhere in the organisation's notes; names where they were found
        Set<SalesOrder> mentioning = new LinkedHashSet<>();
        for (String like : r.likePatterns()) {
            mentioning.addAll(SalesOrder.<SalesOrder> list("organizationId = ?1 and (lower(internalNote) like ?2"
                    + " escape '!' or lower(cancelReason) like ?2 escape '!')", r.organizationId(), like));
        }
        for (long id : r.salesOrderIds()) {
            mentioning.add(SalesOrder.findById(id));
        }
        for (SalesOrder order : mentioning) {
            boolean concerned = r.salesOrderIds().contains(order.id);
            String note = r.scrub(order.internalNote, concerned, 2000);
            String reason = r.scrub(order.cancelReason, concerned, 1000);
            if (note != order.internalNote || reason != order.cancelReason) {
                order.internalNote = note;
                order.cancelReason = reason;
                texts++;
            }
        }
        for (long id : r.dropshipmentIds()) {
            Dropshipment d = Dropshipment.findById(id);
            String note = r.scrub(d.note, true, 2000);
            String summary = r.scrub(d.changeSummary, true, 2000);
            String reason = r.scrub(d.cancelReason, true, 1000);
            if (note != d.note || summary != d.changeSummary || reason != d.cancelReason) {
                d.note = note;
                d.changeSummary = summary;
                d.cancelReason = reason;
                texts++;
            }
            for (DropshipmentChange c : DropshipmentChange.<DropshipmentChange> list("dropshipmentId", id)) {
                String text = r.scrub(c.summary, true, 2000);
                if (text != c.summary) {
                    c.summary = text;
                    texts++;
                }
            }
        }
        int invitations = 0;
        if (r.email() != null) {
            for (DropshipConnection c : DropshipConnection.<DropshipConnection> list(
                    "merchantId = ?1" + " and lower(invitedEmail) = ?2", r.organizationId(), r.email())) {
                c.invitedEmail = PersonalDataErasures.ERASED;
                if (c.status == DropshipConnection.Status.INVITED
                        && (c.inviteExpiresAt == null || c.inviteExpiresAt.isAfter(r.at()))) {
                    c.inviteExpiresAt = r.at();
                }
                invitations++;
            }
        }
        r.erased("salesOrderShipTos", orders);
        r.erased("dropshipmentShipTos", copies);
        r.erased("dropshipTexts", texts);
        r.erased("supplierInvitations", invitations);
    }

    /** The ids of the rows {@code hql} (id, phone; organisation {@code ?1}) reads whose phone is the person's. */
    private static List<Long> matching(PersonalDataErasures.Request r, String hql) {
        List<Long> ids = new ArrayList<>();
        for (Object[] row : SalesOrder.getEntityManager().createQuery(hql, Object[].class)
                .setParameter(1, r.organizationId()).getResultList()) {
            if (r.isKnownPhone((String) row[1])) {
                ids.add((Long) row[0]);
            }
        }
        return ids;
    }

    private static void learn(PersonalDataErasures.Request r, String name, String company, String address,
            String phone) {
        if (!PersonalDataErasures.ERASED.equals(name)) {
            r.learnt(name);
        }
        r.learnt(company);
        if (!PersonalDataErasures.ERASED.equals(address)) {
            r.learntAddress(address);
        }
        r.learntPhone(phone);
    }

    /** One dropshipment's ship-to, and the subjects whose texts the later holders clean. */
    private void erase(PersonalDataErasures.Request r, Dropshipment d) {
        r.concernsDropshipment(d.id);
        r.concernsMessagesMentioning(d.supplierId, DropshipMails.changeSubjectStart(d.reference));
        d.shipToName = PersonalDataErasures.ERASED;
        d.shipToCompany = null;
        d.shipToAddress = PersonalDataErasures.ERASED;
        d.shipToPhone = null;
    }

    /** The reference as a JSON string, as webhook bodies write it. */
    private String quoted(String reference) {
        try {
            return json.writeValueAsString(reference);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
