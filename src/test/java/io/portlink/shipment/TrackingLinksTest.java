package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.platform.ConflictException;
import io.portlink.platform.ValidationException;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.Races;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** The tracking link's rules as staff and integrations meet them through the service (H2 and PostgreSQL). */
@QuarkusTest
class TrackingLinksTest {

    static final int THREADS = 8;

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    TrackingLinks tracking;

    @Inject
    Links links;

    @Inject
    Timeline timeline;

    @Inject
    TestClock clock;

    @Inject
    javax.sql.DataSource dataSource;

    Fixtures.Tenant tenant;
    long shipment;
    ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");

    @BeforeEach
    void shipment() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        tenant = fixtures.tenant("DE");
        shipment = fixtures.shipment(tenant.id());
    }

    private Links.Resolution resolve(String token) {
        return QuarkusTransaction.requiringNew().call(() -> links.resolve(token, AccessLink.Scope.CUSTOMER_SHIPMENT));
    }

    private List<String> kinds() {
        return timeline.latest(Subject.shipment(tenant.id(), shipment), false, 50).stream().map(e -> e.kind()).toList();
    }

    /** A photo of its own (the same bytes twice would be one photo): its height follows the gallery's count. */
    private long photo(String name) {
        int height = 30 + photos.list(tenant.id(), shipment).size();
        return photos.add(tenant.id(), shipment, Images.of("png", 40, height), name, anna).orElseThrow().photo().id();
    }

    @Test
    void noLinkUntilCreatedThenOneWithDefaultsAndNoSecondWhileActive() {
        var sheet = tracking.sheet(tenant.id(), shipment).orElseThrow();
        assertNull(sheet.link());
        assertFalse(sheet.linkForEveryNewShipment());

        Links.Issued issued = tracking.create(tenant.id(), shipment, null, anna).orElseThrow();
        assertTrue(issued.token().startsWith("pt_"));
        assertEquals(Fixtures.BASE_URL + "/t/" + issued.token(), issued.url());
        assertInstanceOf(Links.Active.class, resolve(issued.token()));

        sheet = tracking.sheet(tenant.id(), shipment).orElseThrow();
        assertEquals(issued.linkId(), sheet.link().id());
        assertEquals(issued.token().substring(0, 6) + "…", sheet.link().tokenHint());
        assertEquals(TrackingLinks.Options.DEFAULTS, sheet.options());
        assertEquals(new TrackingLinks.Options(true, true, true, true), sheet.options());
        assertEquals(List.of(), sheet.pickedPhotoIds());
        assertEquals(0, sheet.link().openCount());
        assertEquals(0, sheet.link().botOpenCount());

        assertThrows(ConflictException.class, () -> tracking.create(tenant.id(), shipment, null, anna));
        assertTrue(kinds().contains("TRACKING_LINK_CREATED"));
        // internal: the customer's timeline never shows it
        assertTrue(timeline.latest(Subject.shipment(tenant.id(), shipment), true, 50).stream()
                .noneMatch(e -> e.kind().startsWith("TRACKING_LINK")));
    }

    @Test
    void anotherOrganisationFindsNothing() {
        var other = fixtures.tenant("GB");
        assertTrue(tracking.create(other.id(), shipment, null, anna).isEmpty());
        assertTrue(tracking.sheet(other.id(), shipment).isEmpty());
        assertFalse(tracking.revoke(other.id(), shipment, anna));
        assertTrue(tracking.regenerate(other.id(), shipment, anna).isEmpty());
    }

    @Test
    void revokeStopsAtOnceAndIssuesNothing() {
        long a = photo("a.png");
        Links.Issued issued = tracking.create(tenant.id(), shipment, null, anna).orElseThrow();
        var options = new TrackingLinks.Options(true, false, true, false);
        assertTrue(tracking.setOptions(tenant.id(), shipment, options, List.of(a), anna));
        assertTrue(tracking.revoke(tenant.id(), shipment, anna));
        assertInstanceOf(Links.Gone.class, resolve(issued.token()));
        var sheet = tracking.sheet(tenant.id(), shipment).orElseThrow();
        assertNull(sheet.link());
        // staff see what happened to the last link, not "no link yet"
        assertEquals(issued.linkId(), sheet.ended() == null ? null : linkIdOf(sheet.ended().tokenHint()));
        assertTrue(sheet.ended().revoked());
        assertFalse(tracking.revoke(tenant.id(), shipment, anna));
        assertThrows(ConflictException.class, () -> tracking.regenerate(tenant.id(), shipment, anna));
        assertTrue(kinds().contains("TRACKING_LINK_REVOKED"));
        // a new one may be created after a revoke: it shows what the shipment's last link showed
        Links.Issued again = tracking.create(tenant.id(), shipment, null, anna).orElseThrow();
        assertNotNull(again.token());
        var after = tracking.sheet(tenant.id(), shipment).orElseThrow();
        assertEquals(again.linkId(), after.link().id());
        assertEquals(options, after.options());
        assertEquals(List.of(a), after.pickedPhotoIds());
        assertNull(after.ended());
    }

    private long linkIdOf(String hint) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> io.portlink.link.AccessLink.<io.portlink.link.AccessLink> find(
                        "tokenHint = ?1 and shipmentId = ?2", hint, shipment).firstResult().id);
    }

    @Test
    void regenerateKeepsOptionsPicksAndExpiry() {
        long a = photo("a.png");
        long b = photo("b.png");
        Instant expiry = clock.instant().plus(Duration.ofDays(30));
        Links.Issued first = tracking.create(tenant.id(), shipment, expiry, anna).orElseThrow();
        var options = new TrackingLinks.Options(false, true, false, true);
        assertTrue(tracking.setOptions(tenant.id(), shipment, options, List.of(b, a), anna));

        Links.Issued second = tracking.regenerate(tenant.id(), shipment, anna).orElseThrow();
        assertNotEquals(first.token(), second.token());
        assertInstanceOf(Links.Gone.class, resolve(first.token()));
        assertInstanceOf(Links.Active.class, resolve(second.token()));
        assertEquals(expiry, second.expiresAt());
        var sheet = tracking.sheet(tenant.id(), shipment).orElseThrow();
        assertEquals(second.linkId(), sheet.link().id());
        assertEquals(options, sheet.options());
        assertEquals(List.of(b, a), sheet.pickedPhotoIds());
        assertEquals(expiry, sheet.link().expiresAt());
        assertTrue(kinds().contains("TRACKING_LINK_REGENERATED"));
    }

    @Test
    void regenerateOfAnExpiredLinkGivesOneThatWorks() {
        Links.Issued first = tracking.create(tenant.id(), shipment, clock.instant().plus(Duration.ofDays(1)), anna)
                .orElseThrow();
        clock.advance(Duration.ofDays(2));
        assertInstanceOf(Links.Gone.class, resolve(first.token()));
        Links.Issued second = tracking.regenerate(tenant.id(), shipment, anna).orElseThrow();
        assertNull(second.expiresAt());
        assertInstanceOf(Links.Active.class, resolve(second.token()));
    }

    @Test
    void picksMustBeThisShipmentsPhotosAndARemovedPhotoLeavesThem() {
        long a = photo("a.png");
        long b = photo("b.png");
        long otherShipment = fixtures.shipment(tenant.id());
        long foreign = photos.add(tenant.id(), otherShipment, Images.of("png", 20, 20), "x.png", anna).orElseThrow()
                .photo().id();
        tracking.create(tenant.id(), shipment, null, anna).orElseThrow();
        var options = TrackingLinks.Options.DEFAULTS;

        var error = assertThrows(ValidationException.class,
                () -> tracking.setOptions(tenant.id(), shipment, options, List.of(a, foreign, a), anna));
        assertEquals(List.of("photos[1]", "photos[2]"), error.errors().stream().map(e -> e.field()).toList());
        assertEquals(String.valueOf(foreign), error.errors().get(0).value());
        // nothing was saved
        assertEquals(List.of(), tracking.sheet(tenant.id(), shipment).orElseThrow().pickedPhotoIds());

        assertTrue(tracking.setOptions(tenant.id(), shipment, options, List.of(b, a), anna));
        assertTrue(tracking.setOptions(tenant.id(), shipment, options, List.of(a, b), anna));
        assertEquals(List.of(a, b), tracking.sheet(tenant.id(), shipment).orElseThrow().pickedPhotoIds());
        assertTrue(photos.remove(tenant.id(), shipment, a, anna));
        assertEquals(List.of(b), tracking.sheet(tenant.id(), shipment).orElseThrow().pickedPhotoIds());
        assertTrue(kinds().contains("TRACKING_LINK_OPTIONS"));
    }

    @Test
    void optionsAndExpiryNeedAnActiveLink() {
        assertFalse(tracking.setOptions(tenant.id(), shipment, TrackingLinks.Options.DEFAULTS, List.of(), anna));
        assertFalse(tracking.setExpiry(tenant.id(), shipment, LocalDateTime.parse("2026-12-24T18:00"), anna));
    }

    @Test
    void expiryIsInTheOrganisationsZoneAndStopsTheLinkByTheClock() {
        Links.Issued issued = tracking.create(tenant.id(), shipment, null, anna).orElseThrow();
        // a German organisation: Berlin time, UTC+1 in winter
        assertTrue(tracking.setExpiry(tenant.id(), shipment, LocalDateTime.parse("2026-12-24T18:00"), anna));
        assertEquals(Instant.parse("2026-12-24T17:00:00Z"),
                tracking.sheet(tenant.id(), shipment).orElseThrow().link().expiresAt());
        // the timeline says it as staff read times: the organisation's clock, not UTC
        String said = timeline.latest(Subject.shipment(tenant.id(), shipment), false, 50).stream()
                .filter(e -> e.kind().equals("TRACKING_LINK_EXPIRY")).findFirst().orElseThrow().detail();
        assertTrue(said.contains("18:00 (Europe/Berlin)"), said);
        assertFalse(said.contains("17:00"), said);
        assertThrows(ValidationException.class,
                () -> tracking.setExpiry(tenant.id(), shipment, LocalDateTime.parse("2026-05-31T18:00"), anna));
        assertThrows(ValidationException.class,
                () -> tracking.create(tenant.id(), fixtures.shipment(tenant.id()), clock.instant(), anna));

        clock.set(Instant.parse("2026-12-24T16:59:59Z"));
        assertInstanceOf(Links.Active.class, resolve(issued.token()));
        clock.set(Instant.parse("2026-12-24T17:00:00Z"));
        assertInstanceOf(Links.Gone.class, resolve(issued.token()));

        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        assertTrue(tracking.setExpiry(tenant.id(), shipment, null, anna));
        assertNull(tracking.sheet(tenant.id(), shipment).orElseThrow().link().expiresAt());
        assertTrue(kinds().contains("TRACKING_LINK_EXPIRY"));
    }

    @Test
    void theOrganisationsSettingCreatesTheLinkWithTheShipment() {
        var input = ShipmentsTest.input("AUTO-1");
        assertNull(shipments.createWithLink(tenant.id(), input, anna).trackingLink());

        tracking.setLinkForEveryNewShipment(tenant.id(), true);
        assertTrue(tracking.linkForEveryNewShipment(tenant.id()));
        Shipments.Created created = shipments.createWithLink(tenant.id(), ShipmentsTest.input("AUTO-2"), anna);
        assertNotNull(created.trackingLink());
        assertInstanceOf(Links.Active.class, resolve(created.trackingLink().token()));
        var sheet = tracking.sheet(tenant.id(), created.shipment().id()).orElseThrow();
        assertEquals(created.trackingLink().linkId(), sheet.link().id());
        assertTrue(sheet.linkForEveryNewShipment());
        // the plain create (callers that show no token) issues it as well
        var plain = shipments.create(tenant.id(), ShipmentsTest.input("AUTO-3"), anna);
        assertNotNull(tracking.sheet(tenant.id(), plain.id()).orElseThrow().link());
        tracking.setLinkForEveryNewShipment(tenant.id(), false);
        assertFalse(tracking.linkForEveryNewShipment(tenant.id()));
    }

    @Test
    void deletingTheShipmentKillsItsLinkForGood() {
        Links.Issued issued = tracking.create(tenant.id(), shipment, null, anna).orElseThrow();
        assertTrue(shipments.delete(tenant.id(), shipment, null, anna));
        assertInstanceOf(Links.Gone.class, resolve(issued.token()));
        assertTrue(tracking.create(tenant.id(), shipment, null, anna).isEmpty());
        assertTrue(tracking.regenerate(tenant.id(), shipment, anna).isEmpty());
        assertTrue(tracking.sheet(tenant.id(), shipment).isEmpty());
    }

    @Test
    void concurrentCreatesGiveExactlyOneLinkAndCleanConflicts() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Callable<Object>> calls = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                calls.add(() -> {
                    try {
                        return tracking.create(tenant.id(), shipment, null, anna).orElseThrow();
                    } catch (ConflictException e) {
                        return e;
                    }
                });
            }
            @SuppressWarnings("unchecked")
            List<Object> results = Races.together(pool, calls.toArray(new Callable[0]));
            assertEquals(1, results.stream().filter(r -> r instanceof Links.Issued).count(), results.toString());
            assertEquals(THREADS - 1, results.stream().filter(r -> r instanceof ConflictException).count());
        } finally {
            pool.shutdownNow();
        }
        long active = QuarkusTransaction.requiringNew()
                .call(() -> AccessLink.count("scope = ?1 and shipmentId = ?2 and revokedAt is null",
                        AccessLink.Scope.CUSTOMER_SHIPMENT, shipment));
        assertEquals(1, active);
    }

    /**
     * A link inserted by a writer that does not take the shipment's lock (another code path, an older replica): the
     * unique index alone stops the second create, and its caller still gets a clean conflict, not a failed commit.
     */
    @Test
    void aSecondLinkOnlyTheUniqueIndexStopsIsACleanConflict() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource,
                "a writer blocked on another transaction's index entry is a PostgreSQL race");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        var inserted = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        try {
            var first = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                links.issue(AccessLink.Scope.CUSTOMER_SHIPMENT, tenant.id(), io.portlink.link.Target.shipment(shipment),
                        null, null, "other writer", null);
                AccessLink.getEntityManager().flush();
                inserted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            inserted.await();
            var second = pool.submit(() -> tracking.create(tenant.id(), shipment, null, anna));
            // the second create waits on the first's uncommitted index entry; then the first commits
            io.portlink.testing.Databases.awaitLockWait(dataSource);
            release.countDown();
            first.get();
            var failure = assertThrows(java.util.concurrent.ExecutionException.class, second::get);
            assertInstanceOf(ConflictException.class, failure.getCause());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        long active = QuarkusTransaction.requiringNew()
                .call(() -> AccessLink.count("scope = ?1 and shipmentId = ?2 and revokedAt is null",
                        AccessLink.Scope.CUSTOMER_SHIPMENT, shipment));
        assertEquals(1, active);
    }
}
