package io.portlink.demo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;
import io.portlink.platform.PortlinkConfig;
import io.portlink.purchasing.DecimalInput;
import io.portlink.purchasing.OrderInput;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.SendOption;
import io.portlink.timeline.Actor;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode on an empty database: a demo organisation, vendors and orders (some with a consignee), and a login printed
 * in the log; {@link ShipmentDemo} adds shipments.
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

    /**
     * Fired after the demo organisation exists, so that each feature's demo (here {@link ShipmentDemo}) adds its own
     * rows without this class knowing them. Both live in this package: features never depend on the demo.
     */
    public record Seeded(long organizationId) {
    }

    void onStart(@Observes @jakarta.annotation.Priority(20) StartupEvent event) {
        if (!config.demo().enabled() || !organizations.isEmpty()) {
            return;
        }
        byte[] random = new byte[9];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String email = "admin@demo.portlink.io";
        Organization org = organizations.create("Acme Trading Ltd", "GB", email, password);
        orders(org.id);
        seeded.fire(new Seeded(org.id));
        LOG.infof("Demo data created. Sign in at %s/app as %s with password %s", config.publicBaseUrl(), email,
                password);
    }

    /**
     * Twelve orders PO-01001 … PO-01012 from three vendors, requested a week and more ahead; every fourth from PO-01001
     * on names a consignee (who receives the goods), so shipping one shows the consignee's tracking page and mails.
     */
    void orders(long organizationId) {
        LocalDate today = LocalDate.now(clock);
        var vendors = List.of(
                new OrderInput.VendorInput("Northwind Supplies", "orders@northwind.example", "+44 20 7946 0001", "en"),
                new OrderInput.VendorInput("Fabrikam Components", "sales@fabrikam.example", "+49 30 901820", "de"),
                new OrderInput.VendorInput("Contoso Packaging", null, "+44 161 496 0002", "en"));
        var consignee = new OrderInput.ConsigneeInput("Harbour Foods Ltd", "goods-in@harbourfoods.example",
                "+44 113 496 0000", "en");
        for (int i = 1; i <= 12; i++) {
            var vendor = vendors.get(i % vendors.size());
            var lines = List.of(
                    new OrderInput.LineInput("SKU-" + (100 + i), "Steel bracket, zinc plated",
                            DecimalInput.of(String.valueOf(10 * i)), "pcs", DecimalInput.of("2.35"), "GBP"),
                    new OrderInput.LineInput("SKU-" + (200 + i), "Hex bolt M8 x 40",
                            DecimalInput.of(String.valueOf(50 * i)), "pcs", DecimalInput.of("0.12"), "GBP"));
            orders.create(organizationId,
                    new OrderInput(String.format("PO-%05d", 1000 + i), vendor,
                            "Acme Trading Ltd\nUnit 4, Dockside Road\nLondon E16 2QD", today.plusDays(7 + i).toString(),
                            lines, SendOption.NONE, i % 4 == 1 ? consignee : null),
                    Actor.system());
        }
    }
}
