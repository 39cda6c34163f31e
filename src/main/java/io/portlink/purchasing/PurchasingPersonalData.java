package io.portlink.purchasing;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataHolder;

/**
 * What purchasing keeps of a person, erased on request ({@link PersonalDataErasures}): an order's consignee (name,
 * e-mail, phone, language cleared), a vendor contact (name replaced by {@link PersonalDataErasures#ERASED}, e-mail,
 * phone and language cleared; the row stays for the history that names it), and a vendor's own address or phone when it
 * is the person's: a vendor is a company, so it stays, without the address and flagged {@link Vendor#needsNewEmail}
 * until staff give it a new one. Orders, lines, amounts and statuses are kept.
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
            r.concernsOrder(o.id);
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
        r.erased("orderConsignees", consignees);
        r.erased("vendorContacts", contacts);
        r.erased("vendorAddresses", vendors);
    }

    private static Object[] args(PersonalDataErasures.Request r) {
        return r.email() != null ? new Object[] { r.organizationId(), r.email() } : new Object[] { r.organizationId() };
    }
}
