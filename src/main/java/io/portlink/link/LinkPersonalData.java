package io.portlink.link;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataHolder;

/**
 * The recipients links were made for, erased on request ({@link PersonalDataErasures}): a link whose recipient's
 * address or phone is the person's, or whose recipient name is a name learnt from the person's records, keeps its row
 * (token hash, scope, telemetry: a token value is never reused) with the name replaced by
 * {@link PersonalDataErasures#ERASED} and no contact.
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
        int n = 0;
        for (AccessLink l : AccessLink.<AccessLink> list(
                "organization.id = ?1 and (lower(recipientContact) in ?2 or lower(recipientName) in ?3)",
                r.organizationId(), ids, all)) {
            l.recipientName = PersonalDataErasures.ERASED;
            l.recipientContact = null;
            n++;
        }
        r.erased("linkRecipients", n);
    }
}
