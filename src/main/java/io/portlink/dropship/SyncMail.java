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
 * The supplier's mail of a sync run: one per supplier and run, to the supplier's enabled staff (at most 20), saying how
 * many new dropship orders a merchant sent. Queued through the outbox in the transaction that sends the last of them.
 */
@ApplicationScoped
public class SyncMail {

    /** The outbox kind; it has no subject (it summarises several dropshipments) and nothing listens for it. */
    public static final String NEW_ORDERS = "DROPSHIP_NEW_ORDERS";
    /** References listed in the mail at most; more are counted. */
    static final int LISTED = 20;

    @Inject
    Outbox outbox;

    @Inject
    PortlinkConfig config;

    /** What the mail shows. */
    public record NewOrdersModel(String supplier, String merchant, int count, List<String> references, int more,
            String url) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance newOrdersHtml(NewOrdersModel mail);

        static native TemplateInstance newOrdersText(NewOrdersModel mail);
    }

    /** Queues the mail inside the caller's transaction; returns how many recipients it went to. */
    int queueNewOrders(long supplierId, String merchantName, int count, List<String> references) {
        Organization supplier = Organization.findById(supplierId);
        List<String> listed = references.size() > LISTED ? references.subList(0, LISTED) : references;
        var model = new NewOrdersModel(supplier.name, merchantName, count, listed, count - listed.size(),
                config.publicUrl("/app/dropship-orders"));
        String subject = count == 1 ? "1 new dropship order from " + merchantName
                : count + " new dropship orders from " + merchantName;
        String text = Templates.newOrdersText(model).render();
        String html = Templates.newOrdersHtml(model).render();
        List<String> to = StaffUser.<StaffUser> find("organization.id = ?1 and enabled = true order by id", supplierId)
                .range(0, 19).list().stream().map(u -> u.email).toList();
        for (String address : to) {
            OutboxMessage m = outbox.mail(supplier, NEW_ORDERS, address, subject);
            m.bodyText = text;
            m.bodyHtml = html;
            m.persist();
        }
        return to.size();
    }
}
