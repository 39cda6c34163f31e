package io.portlink.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;
import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.outbox.OutboxEvents;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Signer;
import io.portlink.purchasing.DecimalInput;
import io.portlink.purchasing.OrderInput;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.SendOption;
import io.portlink.purchasing.VendorDesk;
import io.portlink.purchasing.VendorDesk.Kind;
import io.portlink.timeline.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode on an empty database: a demo organisation, vendors and orders (some with a consignee, at least one in every
 * bucket of the staff's queue); {@link ShipmentDemo} adds shipments. At every start the demo login is printed in the
 * log.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    @Inject
    PortlinkConfig config;

    @Inject
    Organizations organizations;

    @Inject
    Orders orders;

    @Inject
    Clock clock;

    @Inject
    jakarta.enterprise.event.Event<Seeded> seeded;

    @Inject
    jakarta.enterprise.event.Event<OutboxEvents.GaveUp> gaveUp;

    @Inject
    io.portlink.outbox.Outbox outbox;

    @Inject
    StaffAccounts accounts;

    @Inject
    Signer signer;

    @Inject
    VendorDesk desk;

    @Inject
    io.portlink.purchasing.OrderRevisions revisions;

    /**
     * Fired after the demo organisation exists, so that each feature's demo (here {@link ShipmentDemo}) adds its own
     * rows without this class knowing them. Both live in this package: features never depend on the demo.
     */
    public record Seeded(long organizationId) {
    }

    /** The demo organisation's admin, who signs in with {@link #password()}. */
    static final String EMAIL = "admin@demo.portlink.io";

    void onStart(@Observes @jakarta.annotation.Priority(20) StartupEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        if (organizations.isEmpty()) {
            Organization org = organizations.create("Acme Trading Ltd", "GB", EMAIL, password());
            orders(org.id);
            seeded.fire(new Seeded(org.id));
            LOG.info("Demo data created.");
        }
        // at every start, not only the first: whoever starts dev mode reads how to sign in
        login().ifPresent(LOG::info);
    }

    /**
     * The demo admin's password: derived from the session key, so the same at every start without being stored or
     * written in the code (in dev the session key is the published dev key, so this is no secret either, as nothing of
     * a dev database is).
     */
    String password() {
        return signer.sign("demo admin password", EMAIL).substring(0, 16);
    }

    /**
     * "Sign in at … as … with password …" for the demo admin, whose password is set back to {@link #password()} when it
     * differs (changed, or a database seeded before the password was derived); empty when there is no demo admin.
     */
    Optional<String> login() {
        String password = password();
        boolean exists = QuarkusTransaction.requiringNew().call(() -> {
            var admin = StaffUser.findSigningIn(EMAIL);
            if (admin.isEmpty()) {
                return false;
            }
            if (accounts.checkPassword(EMAIL, password).isEmpty()) {
                accounts.resetPassword(admin.get().organization.id, admin.get().id, password);
                LOG.infof("The demo admin's password was set back to the one below.");
            }
            return true;
        });
        return exists ? Optional.of(String.format("Demo login: sign in at %s as %s with password %s",
                config.publicUrl("/app"), EMAIL, password)) : Optional.empty();
    }

    /**
     * Twelve orders PO-01001 … PO-01012 from three vendors, requested a week and more ahead; every fourth from PO-01001
     * on names a consignee (who receives the goods), so shipping one shows the consignee's tracking page and mails.
     * Then some of them are given a history (see {@link #history}) so that every bucket of the staff's queue
     * (purchasing.OrderQueue) has an order in it.
     */
    void orders(long organizationId) {
        LocalDate today = LocalDate.now(clock);
        var vendors = List.of(
                new OrderInput.VendorInput("Northwind Supplies", "orders@northwind.example", "+44 20 7946 0001", "en"),
                new OrderInput.VendorInput("Fabrikam Components", "sales@fabrikam.example", "+49 30 901820", "de"),
                new OrderInput.VendorInput("Contoso Packaging", null, "+44 161 496 0002", "en"));
        var consignee = new OrderInput.ConsigneeInput("Harbour Foods Ltd", "goods-in@harbourfoods.example",
                "+44 113 496 0000", "en");
        Map<String, String> tokens = new HashMap<>();
        Map<String, OrderInput> inputs = new HashMap<>();
        for (int i = 1; i <= 12; i++) {
            var vendor = vendors.get(i % vendors.size());
            var lines = List.of(
                    new OrderInput.LineInput("SKU-" + (100 + i), "Steel bracket, zinc plated",
                            DecimalInput.of(String.valueOf(10 * i)), "pcs", DecimalInput.of("2.35"), "GBP"),
                    new OrderInput.LineInput("SKU-" + (200 + i), "Hex bolt M8 x 40",
                            DecimalInput.of(String.valueOf(50 * i)), "pcs", DecimalInput.of("0.12"), "GBP"));
            String reference = String.format("PO-%05d", 1000 + i);
            var input = new OrderInput(reference, vendor, "Acme Trading Ltd\nUnit 4, Dockside Road\nLondon E16 2QD",
                    today.plusDays(7 + i).toString(), lines, SendOption.NONE, i % 4 == 1 ? consignee : null);
            inputs.put(reference, input);
            var created = orders.create(organizationId, input, Actor.system());
            if (created.link() != null) {
                tokens.put(reference, created.link().token());
            }
        }
        history(organizationId, tokens);
        amended(organizationId, tokens, inputs.get("PO-01009"));
    }

    /**
     * PO-01009 sent, confirmed by its vendor, then amended (more of its first line): revision 2, which the vendor has
     * not acknowledged yet, so the queue's "Change not yet acknowledged" bucket has an order too.
     */
    void amended(long organizationId, Map<String, String> tokens, OrderInput original) {
        orders.markSent(organizationId, original.reference(), Actor.system(), "phone");
        vendorActs(tokens.get(original.reference()), Kind.CONFIRM, null);
        var lines = new java.util.ArrayList<>(original.lines());
        var first = lines.get(0);
        lines.set(0, new OrderInput.LineInput(first.sku(), first.description(), DecimalInput.of("120"), first.unit(),
                first.unitPrice(), first.currency()));
        var changed = new OrderInput(original.reference(), original.vendor(), original.deliveryAddress(),
                original.requestedDate(), lines, SendOption.NONE, original.consignee());
        revisions.amend(organizationId, original.reference(), 1,
                changed.toDraft(config.importLimits().maxFieldLength()), Actor.system());
    }

    /**
     * What happened to the demo orders, through the same services as in real use, so that the queue shows every bucket:
     * PO-01002 sent three days ago and never opened (pending response, never opened), PO-01003 sent ten days ago
     * (stale), PO-01004 past its requested date (overdue), PO-01005 declined by the vendor, PO-01006 declined and
     * reopened, PO-01007 whose e-mail could not be delivered (dead mail), PO-01008 confirmed. Orders only happen now,
     * so the ones that need a past are moved back afterwards (their times, not their timelines).
     */
    void history(long organizationId, Map<String, String> tokens) {
        Actor staff = Actor.system();
        for (String reference : List.of("PO-01002", "PO-01003", "PO-01004", "PO-01005", "PO-01006", "PO-01007",
                "PO-01008")) {
            orders.markSent(organizationId, reference, staff, "phone");
        }
        vendorActs(tokens.get("PO-01005"), Kind.DECLINE, "We no longer make this bracket.");
        vendorActs(tokens.get("PO-01006"), Kind.DECLINE, "Out of stock until next month.");
        vendorActs(tokens.get("PO-01006"), Kind.REOPEN, null);
        vendorActs(tokens.get("PO-01008"), Kind.CONFIRM, null);
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now(clock);
            sentAgo(organizationId, "PO-01002", Duration.ofDays(3), now);
            sentAgo(organizationId, "PO-01003", Duration.ofDays(10), now);
            PurchaseOrder overdue = sentAgo(organizationId, "PO-01004", Duration.ofDays(21), now);
            overdue.requestedDate = LocalDate.now(clock).minusDays(3);
            overdue.expectedDate = null;
            // the dev mailer delivers every mail: this one gives up as the outbox does after its last try
            PurchaseOrder dead = PurchaseOrder.findByReference(organizationId, "PO-01007").orElseThrow();
            // the message itself too, as the outbox leaves it: the order's E-mails table and the dead-mail gauge show
            // it
            OutboxMessage message = outbox.mail(dead.organization, SendOption.LINK_ONLY.name(), dead.vendor.email,
                    "Purchase order " + dead.reference + " (demo)");
            message.purchaseOrderId = dead.id;
            message.status = OutboxMessage.Status.DEAD;
            message.attempts = config.outbox().maxAttempts();
            message.lastError = "550 5.1.1 mailbox unavailable (demo)";
            message.persist();
            gaveUp.fire(new OutboxEvents.GaveUp(message.id, organizationId, OutboxMessage.Channel.MAIL,
                    SendOption.LINK_ONLY.name(), new OutboxEvents.Subject(dead.id, null), dead.vendor.email, null,
                    message.attempts, message.lastError, now));
        });
    }

    private static PurchaseOrder sentAgo(long organizationId, String reference, Duration ago, Instant now) {
        PurchaseOrder order = PurchaseOrder.findByReference(organizationId, reference).orElseThrow();
        order.createdAt = now.minus(ago).minus(Duration.ofHours(1));
        order.notifiedAt = now.minus(ago);
        order.updatedAt = now.minus(ago);
        return order;
    }

    /** The vendor of the link {@code token} sends one form of its order page, as the portal would. */
    private void vendorActs(String token, Kind kind, String reason) {
        if (!(desk.open(token, null, false) instanceof VendorDesk.Shown<VendorDesk.OrderPage> shown)) {
            throw new IllegalStateException("the demo order's link does not open");
        }
        var page = shown.page();
        desk.act(token, page.reference(), new VendorDesk.Action(kind, page.nonces().get(kind.form), page.version(),
                reason, null, null, null, null, null, kind == Kind.REOPEN ? "yes" : null));
    }
}
