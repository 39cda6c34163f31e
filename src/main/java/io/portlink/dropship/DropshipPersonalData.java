package io.portlink.dropship;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataErasures.TextSearch;
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
        int[] orders = { 0 };
        int[] copies = { 0 };
        int[] texts = { 0 };
        Set<Long> done = new LinkedHashSet<>();
        if (r.knowsPhone()) {
            // the known phones grow as the holders learn: searched on every pass (what is cleared is not found again)
            PersonalDataErasures.inBatches(SalesOrder.class,
                    PersonalDataErasures.ids(
                            "select id from SalesOrder where organizationId = ?1 and "
                                    + r.phoneField("shipToPhone", 2, true),
                            r.organizationId(), r.knownPhoneFieldPattern()),
                    order -> {
                        if (!r.isKnownPhone(order.shipToPhone)) {
                            return;
                        }
                        learn(r, order.shipToName, order.shipToCompany, order.shipToAddress, order.shipToPhone);
                        if (order.status != SalesOrder.Status.SHIPPED && order.status != SalesOrder.Status.CANCELLED) {
                            // its suppliers still have to ship to this address
                            r.stillOpen("sales order", order.reference, Shipping.label(order.status));
                        }
                        r.concernsSalesOrder(order.id);
                        r.concernsMessagesMentioning(order.organizationId, "\"salesOrder\":" + quoted(order.reference));
                        order.shipToName = PersonalDataErasures.ERASED;
                        order.shipToCompany = null;
                        order.shipToAddress = PersonalDataErasures.ERASED;
                        order.shipToPhone = null;
                        orders[0]++;
                        for (Dropshipment d : Dropshipment.<Dropshipment> list("salesOrderId", order.id)) {
                            erase(r, d);
                            done.add(d.id);
                            copies[0]++;
                        }
                    });
            Set<Long> supplied = PersonalDataErasures.ids(
                    "select id from Dropshipment where supplierId = ?1 and " + r.phoneField("shipToPhone", 2, true),
                    r.organizationId(), r.knownPhoneFieldPattern());
            supplied.removeAll(done);
            // the sales order's row before its dropshipment's (DropshipLocks, Organization.lockForCreating's lock
            // order)
            PersonalDataErasures.inBatches(Dropshipment.class, supplied, SalesOrder.class, "salesOrderId", d -> {
                if (r.isKnownPhone(d.shipToPhone)) {
                    learn(r, d.shipToName, d.shipToCompany, d.shipToAddress, d.shipToPhone);
                    if (d.status != Dropshipment.Status.SHIPPED && d.status != Dropshipment.Status.CANCELLED) {
                        r.stillOpen("dropshipment", d.reference, Shipping.label(d.status));
                    }
                    erase(r, d);
                    copies[0]++;
                }
            });
        }
        if (r.cleansTexts()) {
            // free texts: the person's e-mail or phone anywhere in the organisation's notes; names where they were
            // found
            Set<Long> mentioning = new TreeSet<>(r.salesOrderIds());
            for (TextSearch t : r.textSearches()) {
                mentioning.addAll(PersonalDataErasures.ids("select id from SalesOrder where organizationId = ?1 and ("
                        + t.on("internalNote", 2) + " or " + t.on("cancelReason", 2) + ")",
                        t.parameters(r.organizationId())));
            }
            Set<Long> salesOrders = r.salesOrderIds();
            PersonalDataErasures.inBatches(SalesOrder.class, mentioning, order -> {
                boolean concerned = salesOrders.contains(order.id);
                String note = r.scrub(order.internalNote, concerned, SalesOrder.INTERNAL_NOTE_LENGTH);
                String reason = r.scrub(order.cancelReason, concerned, SalesOrder.CANCEL_REASON_LENGTH);
                if (note != order.internalNote || reason != order.cancelReason) {
                    order.internalNote = note;
                    order.cancelReason = reason;
                    texts[0]++;
                }
            });
            PersonalDataErasures.inBatches(Dropshipment.class, r.dropshipmentIds(), SalesOrder.class, "salesOrderId",
                    d -> {
                        String note = r.scrub(d.note, true, Dropshipment.NOTE_LENGTH);
                        String summary = r.scrub(d.changeSummary, true, Dropshipment.CHANGE_SUMMARY_LENGTH);
                        String reason = r.scrub(d.cancelReason, true, Dropshipment.CANCEL_REASON_LENGTH);
                        if (note != d.note || summary != d.changeSummary || reason != d.cancelReason) {
                            d.note = note;
                            d.changeSummary = summary;
                            d.cancelReason = reason;
                            texts[0]++;
                        }
                    });
            // their dropshipments, and those dropshipments' sales orders, are locked just above
            PersonalDataErasures.inBatches(DropshipmentChange.class, PersonalDataErasures
                    .idsIn("select id from DropshipmentChange where dropshipmentId in ?1", r.dropshipmentIds()), c -> {
                        String text = r.scrub(c.summary, true, DropshipmentChange.SUMMARY_LENGTH);
                        if (text != c.summary) {
                            c.summary = text;
                            texts[0]++;
                        }
                    });
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
        r.erased("salesOrderShipTos", orders[0]);
        r.erased("dropshipmentShipTos", copies[0]);
        r.erased("dropshipTexts", texts[0]);
        r.erased("supplierInvitations", invitations);
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
