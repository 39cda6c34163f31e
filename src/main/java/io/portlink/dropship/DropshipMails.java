package io.portlink.dropship;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.organization.Organization;
import io.portlink.organization.StaffUser;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.PortlinkConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The mail that tells a supplier's staff of a merchant's change to a dropshipment they already have (English, like
 * every staff mail), queued in the change's transaction. It carries what the supplier may see: the summary, the ship-to
 * and the lines with quantities; never the merchant's prices or internal note. Recipients: the supplier organisation's
 * enabled admins (at most 20), as staff alerts go elsewhere.
 */
@ApplicationScoped
public class DropshipMails {

    /** The outbox kind of a change mail. */
    public static final String CHANGE_KIND = "DROPSHIP_CHANGE";

    @Inject
    Outbox outbox;

    @Inject
    PortlinkConfig config;

    /** What the change mail shows. */
    public record ChangeModel(String merchant, String reference, int revision, String summary, String shipTo,
            List<String> lines, String pageUrl) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance changeText(ChangeModel mail);

        static native TemplateInstance changeHtml(ChangeModel mail);
    }

    /** How a change mail's subject starts: it names the dropshipment (what an erasure looks for). */
    static String changeSubjectStart(String reference) {
        return "Dropshipment " + reference + " changed by ";
    }

    /** Queues the change mail of a dropshipment to each admin of its supplier; returns the addresses. */
    List<String> change(Dropshipment d, String merchantName, List<DropshipmentLine> lines) {
        Organization supplier = Organization.findById(d.supplierId);
        var model = new ChangeModel(merchantName, d.reference, d.revision, d.changeSummary,
                d.shipToName + (d.shipToCompany == null ? "" : ", " + d.shipToCompany) + ", "
                        + d.shipToAddress.replace('\n', ' ').replace("\r", ""),
                lines.stream()
                        .map(l -> l.supplierSku + " (" + l.sku + ")"
                                + (l.description == null ? "" : " " + l.description) + ": "
                                + (l.quantity == 0 ? "removed" : l.quantity == 1 ? "1 unit" : l.quantity + " units"))
                        .toList(),
                // the dropshipment itself: a supplier signed out signs in and lands on it
                config.publicUrl("/app/dropship-orders/" + d.id));
        String subject = changeSubjectStart(d.reference) + merchantName + " (revision " + d.revision + ")";
        String text = Templates.changeText(model).render();
        String html = Templates.changeHtml(model).render();
        List<String> to = StaffUser
                .<StaffUser> find("organization.id = ?1 and role = ?2 and enabled = true order by id", d.supplierId,
                        StaffUser.Role.ADMIN)
                .range(0, 19).list().stream().map(u -> u.email).toList();
        for (String address : to) {
            OutboxMessage m = outbox.mail(supplier, CHANGE_KIND, address, subject);
            m.bodyText = text;
            m.bodyHtml = html;
            m.persist();
        }
        return to;
    }
}
