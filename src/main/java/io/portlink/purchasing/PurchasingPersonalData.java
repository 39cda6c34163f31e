package io.portlink.purchasing;

import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataErasures.TextSearch;
import io.portlink.organization.PersonalDataHolder;

/**
 * What purchasing keeps of a person, erased on request ({@link PersonalDataErasures}): an order's consignee (name,
 * e-mail, phone, language and the order's delivery address, where the consignee receives the goods, cleared), a vendor
 * contact (name replaced by {@link PersonalDataErasures#ERASED}, e-mail, phone and language cleared; the row stays for
 * the history that names it), and a vendor's own address or phone when it is the person's: a vendor is a company, so it
 * stays, without the address and flagged {@link Vendor#needsNewEmail} until staff give it a new one. The record of an
 * order's amendments ({@link OrderRevision}: a consignee's or delivery address's before and after, who made and
 * acknowledged it) loses the person's e-mail and phone anywhere in the organisation, and their name and address on the
 * orders concerned; so do the order's own texts (the vendor's note and decline reason, staff's cancel reason) and the
 * staff's notices of the order's events ({@link BuyerNotice#detail}, a copy of the timeline's). Orders, lines, amounts
 * and statuses are kept.
 */
@ApplicationScoped
public class PurchasingPersonalData implements PersonalDataHolder {

    @Override
    public int order() {
        return 0;
    }

    /**
     * The vendor's orders' content hashes covered its e-mail (its match identity) and phone: none may confirm an erased
     * one when the order is sent again (as for a consignee). One statement over the vendor's orders.
     */
    private static void forgetContentHashes(long vendorId) {
        PurchaseOrder.update("contentHash = ?1 where vendor.id = ?2 and contentHash <> ?1",
                PurchaseOrder.ERASED_CONTENT_HASH, vendorId);
    }

    @Override
    public void erase(PersonalDataErasures.Request r) {
        int[] consignees = { 0 };
        int[] contacts = { 0 };
        int[] vendors = { 0 };
        // these fields hold the request's own e-mail or phone: what is cleared is not found again
        if (r.firstPass()) {
            PersonalDataErasures.inBatches(PurchaseOrder.class,
                    theirs(r, "PurchaseOrder", "organization.id", "consigneeEmail", "consigneePhone"), o -> {
                        if (!r.isPerson(o.consigneeEmail) && !r.isPerson(o.consigneePhone)) {
                            return;
                        }
                        r.learnt(o.consigneeName);
                        r.learntPhone(o.consigneePhone);
                        r.learntEmail(o.consigneeEmail);
                        r.learntAddress(o.deliveryAddress);
                        if (!o.status.isClosed()) {
                            // the vendor still has to deliver to the consignee
                            r.stillOpen("purchase order", o.reference, o.status.label);
                        }
                        r.concernsOrder(o.id);
                        learnFromRevisions(r, o.id);
                        // where the consignee receives the goods: their address
                        o.deliveryAddress = null;
                        o.consigneeName = null;
                        o.consigneeEmail = null;
                        o.consigneePhone = null;
                        o.consigneeLanguage = null;
                        // the content hash covered the consignee: sending the order as it was would be "unchanged"
                        // and so confirm a guess of what was erased
                        o.contentHash = PurchaseOrder.ERASED_CONTENT_HASH;
                        consignees[0]++;
                    });
            PersonalDataErasures.inBatches(VendorContact.class,
                    theirs(r, "VendorContact", "vendor.organization.id", "email", "phone"), c -> {
                        if (!r.isPerson(c.email) && !r.isPerson(c.phone)) {
                            return;
                        }
                        r.learnt(c.name);
                        r.learntPhone(c.phone);
                        r.learntEmail(c.email);
                        c.name = PersonalDataErasures.ERASED;
                        c.email = null;
                        c.phone = null;
                        c.language = null;
                        // an order sent with this contact's address or phone as its vendor's hashed it
                        forgetContentHashes(c.vendor.id);
                        contacts[0]++;
                    });
            PersonalDataErasures.inBatches(Vendor.class, theirs(r, "Vendor", "organization.id", "email", "phone"),
                    v -> {
                        boolean email = r.isPerson(v.email);
                        boolean phone = r.isPerson(v.phone);
                        if (!email && !phone) {
                            return;
                        }
                        if (email) {
                            v.email = null;
                            v.needsNewEmail = true;
                            // the match key held the address; the name's key may be another vendor's: a key nothing
                            // imports
                            v.matchKey = "x:erased-" + v.id;
                        }
                        if (phone) {
                            r.learntPhone(v.phone);
                            v.phone = null;
                        }
                        forgetContentHashes(v.id);
                        vendors[0]++;
                    });
        }
        // the record of amendments: a consignee's or address's before and after, the vendor link that acknowledged
        int[] revised = { 0 };
        if (r.cleansTexts()) {
            Set<Long> revisions = new TreeSet<>();
            for (TextSearch t : r.textSearches()) {
                revisions.addAll(PersonalDataErasures.ids("select id from OrderRevision where purchaseOrderId in"
                        + " (select o.id from PurchaseOrder o where o.organization.id = ?1) and (" + t.on("changes", 2)
                        + " or " + t.on("createdBy", 2) + " or " + t.on("acknowledgedBy", 2) + ")",
                        t.parameters(r.organizationId())));
            }
            Set<Long> orders = r.purchaseOrderIds();
            revisions.addAll(
                    PersonalDataErasures.idsIn("select id from OrderRevision where purchaseOrderId in ?1", orders));
            PersonalDataErasures.inBatches(OrderRevision.class, revisions, rev -> {
                boolean concerned = orders.contains(rev.purchaseOrderId);
                String changes = r.scrub(rev.changes, concerned, OrderRevision.CHANGES_LENGTH);
                String by = r.scrub(rev.createdBy, concerned, OrderRevision.CREATED_BY_LENGTH);
                String acknowledged = r.scrub(rev.acknowledgedBy, concerned, OrderRevision.ACKNOWLEDGED_BY_LENGTH);
                if (changes != rev.changes || by != rev.createdBy || acknowledged != rev.acknowledgedBy) {
                    rev.changes = changes;
                    rev.createdBy = by;
                    rev.acknowledgedBy = acknowledged;
                    revised[0]++;
                }
            });
        }
        // the order's own texts, which may speak of its consignee ("delivered to …, 07700 …"): the vendor's note and
        // decline reason, staff's cancel reason (told to the vendor); and the copies of timeline details in the staff's
        // notices of events (at once or in a digest). The person's e-mail and phone anywhere in the organisation, their
        // name and address on the orders concerned
        int[] notes = { 0 };
        int[] notices = { 0 };
        if (r.cleansTexts()) {
            Set<Long> orders = r.purchaseOrderIds();
            Set<Long> noted = new TreeSet<>(PersonalDataErasures.idsIn("select id from PurchaseOrder where"
                    + " (vendorNote is not null or declineReason is not null or cancelReason is not null) and id in ?1",
                    orders));
            Set<Long> told = new TreeSet<>(PersonalDataErasures
                    .idsIn("select id from BuyerNotice where detail is not null and purchaseOrderId in ?1", orders));
            for (TextSearch t : r.textSearches()) {
                noted.addAll(PersonalDataErasures.ids(
                        "select id from PurchaseOrder where organization.id = ?1 and (" + t.on("vendorNote", 2) + " or "
                                + t.on("declineReason", 2) + " or " + t.on("cancelReason", 2) + ")",
                        t.parameters(r.organizationId())));
                told.addAll(PersonalDataErasures.ids(
                        "select id from BuyerNotice where organizationId = ?1 and " + t.on("detail", 2),
                        t.parameters(r.organizationId())));
            }
            // the order's row is the record
            PersonalDataErasures.inBatches(PurchaseOrder.class, noted, o -> {
                boolean concerned = orders.contains(o.id);
                String note = r.scrub(o.vendorNote, concerned, PurchaseOrder.VENDOR_NOTE_LENGTH);
                String declined = r.scrub(o.declineReason, concerned, PurchaseOrder.DECLINE_REASON_LENGTH);
                String cancelled = r.scrub(o.cancelReason, concerned, PurchaseOrder.CANCEL_REASON_LENGTH);
                if (note != o.vendorNote || declined != o.declineReason || cancelled != o.cancelReason) {
                    o.vendorNote = note;
                    o.declineReason = declined;
                    o.cancelReason = cancelled;
                    notes[0]++;
                }
            });
            // a notice after its order's row (Organization.lockForCreating's lock order)
            PersonalDataErasures.inBatches(BuyerNotice.class, told, PurchaseOrder.class, "purchaseOrderId", n -> {
                String detail = r.scrub(n.detail, orders.contains(n.purchaseOrderId), BuyerNotice.DETAIL_LENGTH);
                if (detail != n.detail) {
                    n.detail = detail;
                    notices[0]++;
                }
            });
        }
        r.erased("orderConsignees", consignees[0]);
        r.erased("vendorContacts", contacts[0]);
        r.erased("vendorAddresses", vendors[0]);
        r.erased("orderRevisions", revised[0]);
        r.erased("orderNotes", notes[0]);
        r.erased("buyerNotices", notices[0]);
    }

    /**
     * The consignee's and delivery address's values before and after each amendment of an order whose consignee is the
     * person: the same person's earlier phone or address, erased with the rest from the order's texts.
     */
    private static void learnFromRevisions(PersonalDataErasures.Request r, long orderId) {
        for (OrderRevision rev : OrderRevision.<OrderRevision> list("purchaseOrderId", orderId)) {
            // read only: let go at once (an order may have many, with long texts)
            OrderRevision.getEntityManager().detach(rev);
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

    /**
     * The ids of the rows of {@code entity} in the organisation (its path {@code organization}) whose e-mail field is
     * the request's address (any case) or whose phone field has the request's phone's digits.
     */
    private static Set<Long> theirs(PersonalDataErasures.Request r, String entity, String organization, String email,
            String phone) {
        String from = "select id from " + entity + " where " + organization + " = ?1 and ";
        return r.email() != null
                ? PersonalDataErasures.ids(from + "lower(" + email + ") = ?2", r.organizationId(), r.email())
                : PersonalDataErasures.ids(from + r.phoneField(phone, 2, false), r.organizationId(),
                        r.phoneFieldPattern());
    }
}
