package io.portlink.link;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataHolder;

/**
 * The recipients links were made for, erased on request ({@link PersonalDataErasures}): a link whose recipient's
 * address or phone is the person's, or whose recipient name is a name learnt from the person's records, keeps its row
 * (token hash, scope, telemetry: a token value is never reused) with the name replaced by
 * {@link PersonalDataErasures#ERASED} and no contact. A link made for the person's address or phone also tells the
 * later holders the recipient's name and the order or shipment it opened (a driver's, a vendor contact's), so their
 * mails and timelines lose the name too.
 */
@ApplicationScoped
public class LinkPersonalData implements PersonalDataHolder {

    @Override
    public int order() {
        return 10;
    }

    @Override
    public void erase(PersonalDataErasures.Request r) {
        List<String> ids = r.identifiers();
        List<String> all = r.identifiersAndNames();
        int[] n = { 0 };
        // a phone as the link's contact in any writing: "07700 900777" for a request of "+44 7700-900777"
        String phones = r.knownPhoneFieldPattern();
        PersonalDataErasures.inBatches(AccessLink.class, PersonalDataErasures.ids(
                "select id from AccessLink where organization.id = ?1 and (lower(recipientContact) in ?2"
                        + " or lower(recipientName) in ?3"
                        + (phones != null ? " or (" + r.phoneField("recipientContact", 4, true) + ")" : "") + ")",
                phones != null ? new Object[] { r.organizationId(), ids, all, phones }
                        : new Object[] { r.organizationId(), ids, all }),
                l -> {
                    boolean forThePerson = l.recipientContact != null
                            && (r.isPerson(l.recipientContact) || r.isKnownPhone(l.recipientContact)
                                    || ids.contains(l.recipientContact.toLowerCase(Locale.ROOT)));
                    if (!forThePerson
                            && (l.recipientName == null || !all.contains(l.recipientName.toLowerCase(Locale.ROOT)))) {
                        // the phone's search is wider than the phone: another number that shares its digits
                        return;
                    }
                    if (forThePerson) {
                        // the link was made for the person (a driver, a customer, a vendor's contact): their name and
                        // what the link was for are the person's, for the mails and timelines the later holders clean
                        if (!PersonalDataErasures.ERASED.equals(l.recipientName)) {
                            r.learnt(l.recipientName);
                        }
                        if (l.purchaseOrderId != null) {
                            r.concernsOrder(l.purchaseOrderId);
                        }
                        if (l.shipmentId != null) {
                            r.concernsShipment(l.shipmentId);
                        }
                    }
                    l.recipientName = PersonalDataErasures.ERASED;
                    l.recipientContact = null;
                    n[0]++;
                });
        r.erased("linkRecipients", n[0]);
    }
}
