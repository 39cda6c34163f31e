package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.link.AccessLink;
import io.portlink.organization.Organization;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The tracking page's one-statement read ({@link TrackingPageReads}) says a link opens exactly when
 * {@link AccessLink#isUsable} does: the SQL repeats that rule (not revoked, not expired, organisation active), so the
 * two are compared on the same links (fine, revoked, expired, expiring later, revoked and expired, of a locked
 * organisation) at instants before, at and after an expiry, on whichever database the tests run (H2 and PostgreSQL). A
 * change to one rule without the other fails here.
 */
@QuarkusTest
class TrackingPageReadsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TrackingLinks tracking;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");

    @Test
    void theReadOpensALinkExactlyWhenAccessLinkIsUsable() throws SQLException {
        Instant t0 = Instant.parse("2026-06-01T09:00:00Z");
        clock.set(t0.minus(Duration.ofDays(1)));
        Fixtures.Tenant active = fixtures.tenant("DE");
        Fixtures.Tenant locked = fixtures.tenant("GB");
        Map<String, Long> links = new LinkedHashMap<>();
        links.put("fine", link(active));
        links.put("revoked", link(active));
        links.put("expired at t0", link(active));
        links.put("expiring after t0", link(active));
        links.put("revoked and expiring after t0", link(active));
        links.put("of a locked organisation", link(locked));
        links.put("of a locked organisation, expired at t0", link(locked));
        QuarkusTransaction.requiringNew().run(() -> {
            AccessLink.<AccessLink> findById(links.get("revoked")).revokedAt = t0.minus(Duration.ofHours(5));
            AccessLink.<AccessLink> findById(links.get("expired at t0")).expiresAt = t0;
            AccessLink.<AccessLink> findById(links.get("expiring after t0")).expiresAt = t0.plusSeconds(3600);
            AccessLink both = AccessLink.findById(links.get("revoked and expiring after t0"));
            both.revokedAt = t0.minus(Duration.ofHours(1));
            both.expiresAt = t0.plusSeconds(3600);
            AccessLink.<AccessLink> findById(links.get("of a locked organisation, expired at t0")).expiresAt = t0;
        });
        fixtures.setStatus(locked.id(), Organization.Status.LOCKED);

        int usable = 0;
        for (Instant now : List.of(t0.minusSeconds(1), t0.minusNanos(1000), t0, t0.plusSeconds(1), t0.plusSeconds(3600),
                t0.plusSeconds(3601))) {
            for (var e : links.entrySet()) {
                AccessLink link = QuarkusTransaction.requiringNew().call(() -> {
                    AccessLink l = AccessLink.findById(e.getValue());
                    l.organization.isActive(); // loaded inside the transaction
                    return l;
                });
                boolean rule = link.isUsable(now);
                TrackingPageReads.Page page;
                try (Connection c = dataSource.getConnection()) {
                    page = TrackingPageReads.page(c, link.tokenHash, now);
                }
                assertNotNull(page, e.getKey());
                assertEquals(rule, page.linkUsable(), e.getKey() + " at " + now);
                usable += rule ? 1 : 0;
            }
        }
        // both answers occur: the comparison is not between two constant falses
        assertEquals(6 + 2 + 4, usable);
    }

    private long link(Fixtures.Tenant tenant) {
        long shipment = fixtures.shipment(tenant.id());
        return tracking.create(tenant.id(), shipment, null, anna).orElseThrow().linkId();
    }
}
