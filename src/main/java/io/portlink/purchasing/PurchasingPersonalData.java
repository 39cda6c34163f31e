package io.portlink.purchasing;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataHolder;

/**
 * What purchasing keeps of a person, erased on request ({@link PersonalDataErasures}): an order's consignee (name,
 * e-mail, phone, language and the order's delivery address, where the consignee receives the goods, cleared), a vendor
 * contact (name replaced by {@link PersonalDataErasures#ERASED}, e-mail, phone and language cleared; the row stays for
 * the history that names it), and a vendor's own address or phone when it is the person's: a vendor is a company, so it
 * stays, without the address and flagged {@link Vendor#needsNewEmail} until staff give it a new one. The record of an
 * order's amendments ({@link OrderRevision}: a consignee's or delivery address's before and after, who made and
 * acknowledged it) loses the person's e-mail and phone anywhere in the organisation, and their name and address on the
 * orders concerned. Orders, lines, amounts and statuses are kept.
 */
@ApplicationScoped
public class PurchasingPersonalData implements PersonalDataHolder {

    @Override
    public int order() {
        return 0;
    }

    @Override
    public void erase(PersonalDataErasures.Request r) {
        int consignees = 0;
        for (PurchaseOrder o : PurchaseOrder.<PurchaseOrder> list(
                "organization.id = ?1 and (consigneeEmail is not null or consigneePhone is not null)"
                        + (r.email() != null ? " and lower(consigneeEmail) = ?2" : ""),
                args(r))) {
            if (!r.isPerson(o.consigneeEmail) && !r.isPerson(o.consigneePhone)) {
                continue;
            }
            r.learnt(o.consigneeName);
            r.learntPhone(o.consigneePhone);
            r.learntEmail(o.consigneeEmail);
            r.learntAddress(o.deliveryAddress);
            r.concernsOrder(o.id);
            learnFromRevisions(r, o.id);
            // where the consignee receives the goods: their address
            o.deliveryAddress = null;
            o.consigneeName = null;
            o.consigneeEmail = null;
            o.consigneePhone = null;
            o.consigneeLanguage = null;
            consignees++;
        }
        int contacts = 0;
        for (VendorContact c : VendorContact
                .<VendorContact> list("vendor.organization.id = ?1 and (email is not null or phone is not null)"
                        + (r.email() != null ? " and lower(email) = ?2" : ""), args(r))) {
            if (!r.isPerson(c.email) && !r.isPerson(c.phone)) {
                continue;
            }
            r.learnt(c.name);
            r.learntPhone(c.phone);
            r.learntEmail(c.email);
            c.name = PersonalDataErasures.ERASED;
            c.email = null;
            c.phone = null;
            c.language = null;
            contacts++;
        }
        int vendors = 0;
        for (Vendor v : Vendor.<Vendor> list("organization.id = ?1 and (email is not null or phone is not null)"
                + (r.email() != null ? " and lower(email) = ?2" : ""), args(r))) {
            boolean email = r.isPerson(v.email);
            boolean phone = r.isPerson(v.phone);
            if (!email && !phone) {
                continue;
            }
            if (email) {
                v.email = null;
                v.needsNewEmail = true;
                // the match key held the address; the name's key may be another vendor's: a key nothing imports
                v.matchKey = "x:erased-" + v.id;
            }
            if (phone) {
                r.learntPhone(v.phone);
                v.phone = null;
            }
            vendors++;
        }
        // the record of amendments: a consignee's or address's before and after, the vendor link that acknowledged
        Set<OrderRevision> revisions = new LinkedHashSet<>();
        for (String like : r.likePatterns()) {
            revisions.addAll(OrderRevision.<OrderRevision> list("purchaseOrderId in (select o.id from PurchaseOrder o"
                    + " where o.organization.id = ?1) and (lower(changes) like ?2 escape '!' or lower(createdBy)"
                    + " like ?2 escape '!' or lower(acknowledgedBy) like ?2 escape '!')", r.organizationId(), like));
        }
        if (!r.purchaseOrderIds().isEmpty()) {
            revisions.addAll(OrderRevision.<OrderRevision> list("purchaseOrderId in ?1", r.purchaseOrderIds()));
        }
        int revised = 0;
        for (OrderRevision rev : revisions) {
            boolean concerned = r.purchaseOrderIds().contains(rev.purchaseOrderId);
            String changes = r.scrub(rev.changes, concerned, 200_000);
            String by = r.scrub(rev.createdBy, concerned, 400);
            String acknowledged = r.scrub(rev.acknowledgedBy, concerned, 400);
            if (changes != rev.changes || by != rev.createdBy || acknowledged != rev.acknowledgedBy) {
                rev.changes = changes;
                rev.createdBy = by;
                rev.acknowledgedBy = acknowledged;
                revised++;
            }
        }
        r.erased("orderConsignees", consignees);
        r.erased("vendorContacts", contacts);
        r.erased("vendorAddresses", vendors);
        r.erased("orderRevisions", revised);
    }

    /**
     * The consignee's and delivery address's values before and after each amendment of an order whose consignee is the
     * person: the same person's earlier phone or address, erased with the rest from the order's texts.
     */
    private static void learnFromRevisions(PersonalDataErasures.Request r, long orderId) {
        for (OrderRevision rev : OrderRevision.<OrderRevision> list("purchaseOrderId", orderId)) {
            for (RevisionChange c : rev.changes()) {
                switch (c.field()) {
                case CONSIGNEE_NAME -> {
                    r.learnt(c.from());
                    r.learnt(c.to());
                }
                case CONSIGNEE_EMAIL -> {
                    r.learnt(c.from());
                    r.learnt(c.to());
                    r.learntEmail(c.from());
                    r.learntEmail(c.to());
                }
                case CONSIGNEE_PHONE -> {
                    r.learntPhone(c.from());
                    r.learntPhone(c.to());
                }
                case DELIVERY_ADDRESS -> {
                    r.learntAddress(c.from());
                    r.learntAddress(c.to());
                }
                default -> {
                }
                }
            }
        }
    }

    private static Object[] args(PersonalDataErasures.Request r) {
        return r.email() != null ? new Object[] { r.organizationId(), r.email() } : new Object[] { r.organizationId() };
    }
}
