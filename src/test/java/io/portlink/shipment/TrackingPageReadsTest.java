package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.portlink.timeline.TimelineEntry;
import io.portlink.timeline.Visibility;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The tracking page's read ({@link TrackingPageReads}) says a link opens exactly when {@link AccessLink#isUsable} does:
 * the SQL repeats that rule (not revoked, not expired, organisation active), so the two are compared on the same links
 * (fine, revoked, expired, expiring later, revoked and expired, of a locked organisation) at instants before, at and
 * after an expiry, on whichever database the tests run (H2 and PostgreSQL). A change to one rule without the other
 * fails here. The details read with the page are each link's own.
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
                    TrackingPageReads.Read read = TrackingPageReads.read(c, link.tokenHash, now);
                    page = read == null ? null : read.page();
                }
                assertNotNull(page, e.getKey());
                assertEquals(rule, page.linkUsable(), e.getKey() + " at " + now);
                usable += rule ? 1 : 0;
            }
        }
        // both answers occur: the comparison is not between two constant falses
        assertEquals(6 + 2 + 4, usable);
    }

    @Inject
    Shipments shipments;

    @Inject
    ShipmentStops stops;

    /**
     * The details travel with the page's row and are keyed by the same token: each link reads its own shipment's stops,
     * customer-visible timeline entries and customer notes (never an internal note, never another shipment's, of its
     * own organisation or another), and a token that names no tracking link reads nothing.
     */
    @Test
    void eachLinkReadsItsOwnShipmentsDetails() throws SQLException {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        Fixtures.Tenant de = fixtures.tenant("DE");
        Fixtures.Tenant gb = fixtures.tenant("GB");
        String a = detailed(de, "Yokohama port", "customer note A", "internal note A");
        String b = detailed(de, "Port of Antwerp", "customer note B", "internal note B");
        String c = detailed(gb, "Felixstowe", "customer note C", "internal note C");
        Map<String, String> pickups = Map.of(a, "Yokohama port", b, "Port of Antwerp", c, "Felixstowe");
        Map<String, String> notes = Map.of(a, "customer note A", b, "customer note B", c, "customer note C");
        for (String hash : List.of(a, b, c)) {
            TrackingPageReads.Read read;
            try (Connection conn = dataSource.getConnection()) {
                read = TrackingPageReads.read(conn, hash, Instant.now(clock));
            }
            assertNotNull(read);
            TrackingPageReads.Details details = read.details();
            assertEquals(List.of(pickups.get(hash), "Berlin"),
                    details.stops().stream().map(TrackingPageReads.Stop::name).toList());
            assertEquals(List.of(notes.get(hash)), details.updates().notes().stream().map(n -> n.body()).toList());
            // its own shipment's customer-visible entries, newest first, and no other's
            long shipment = read.page().shipmentId();
            List<String> own = QuarkusTransaction.requiringNew()
                    .call(() -> TimelineEntry
                            .<TimelineEntry> find("shipmentId = ?1 and visibility = ?2 order by at desc, id desc",
                                    shipment, Visibility.CUSTOMER)
                            .stream().map(t -> t.kind).toList());
            assertTrue(own.size() >= 2, own.toString()); // created, moved on
            assertEquals(own, details.updates().entries().stream().map(TrackingPageReads.Entry::kind).toList());
        }
        try (Connection conn = dataSource.getConnection()) {
            assertNull(
                    TrackingPageReads.read(conn, io.portlink.platform.Tokens.sha256("pt_unknown"), Instant.now(clock)));
        }
    }

    /**
     * A shipment from {@code pickup} to Berlin, moved on once, with a customer and an internal note: its link's hash.
     */
    private String detailed(Fixtures.Tenant tenant, String pickup, String customerNote, String internalNote) {
        long id = shipments.create(tenant.id(),
                new ShipmentInput(Fixtures.uniqueReference(), "Land Cruiser",
                        new ShipmentInput.CustomerInput("Jane Doe", "jane@customer.example", null, "en"), pickup,
                        "Berlin", null),
                anna).id();
        stops.replace(tenant.id(), id,
                List.of(new ShipmentStops.StopInput(null, pickup, null, null, null, "Europe/Berlin", null, null),
                        new ShipmentStops.StopInput(null, "Berlin", null, null, null, "Europe/Berlin", null, null)),
                anna);
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        shipments.addNote(tenant.id(), id, NoteScope.CUSTOMER, customerNote, anna);
        shipments.addNote(tenant.id(), id, NoteScope.INTERNAL, internalNote, anna);
        long link = tracking.create(tenant.id(), id, null, anna).orElseThrow().linkId();
        return QuarkusTransaction.requiringNew().call(() -> AccessLink.<AccessLink> findById(link).tokenHash);
    }

    private long link(Fixtures.Tenant tenant) {
        long shipment = fixtures.shipment(tenant.id());
        return tracking.create(tenant.id(), shipment, null, anna).orElseThrow().linkId();
    }
}
