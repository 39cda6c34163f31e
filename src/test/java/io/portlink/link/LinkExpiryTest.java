package io.portlink.link;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.purchasing.PortalSubmission;
import io.portlink.purchasing.VendorLinkList;
import io.portlink.shipment.DriverFormUse;
import io.portlink.shipment.DriverLinks;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentLinkEnds;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Races;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.portlink.timeline.TimelineEntry;
import io.portlink.timeline.Visibility;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The link expiry job ({@link LinkExpiry}): vendor, tracking and driver links that reached their end are marked once,
 * with one internal "link expired" entry on their order's or shipment's timeline, and lose what they no longer need;
 * unexpired and revoked links are left alone; two runs at the same moment (PostgreSQL) write one entry per link; and
 * the page of an ended link is the same neutral page before and after the job.
 */
@QuarkusTest
class LinkExpiryTest {

    static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Inject
    Fixtures fixtures;

    @Inject
    LinkExpiry expiry;

    @Inject
    VendorLinkList vendorLinks;

    @Inject
    Links links;

    @Inject
    Shipments shipments;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    DriverLinks driverLinks;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        tenant = fixtures.tenant("GB");
    }

    /** A vendor link on a new order whose expiry is the end of {@code day} (London); its path and id. */
    private Map.Entry<String, Long> vendorLink(String reference, String vendorEmail, LocalDate day) {
        String path = createOrderWithLink(tenant.apiKey(), reference, vendorEmail);
        long id = Fixtures.firstLinkId(tenant.apiKey(), reference);
        if (day != null) {
            vendorLinks.setExpiry(tenant.id(), reference, id, day, Actor.system());
        }
        return Map.entry(path, id);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), LONDON);
    }

    static AccessLink link(long id) {
        return QuarkusTransaction.requiringNew().call(() -> AccessLink.findById(id));
    }

    /** The timeline entries of a link's subject of this kind (the order's or the shipment's). */
    static List<TimelineEntry> entries(long linkId, String kind) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AccessLink l = AccessLink.findById(linkId);
            return l.purchaseOrderId != null
                    ? TimelineEntry.<TimelineEntry> list("purchaseOrderId = ?1 and kind = ?2", l.purchaseOrderId, kind)
                    : TimelineEntry.<TimelineEntry> list("shipmentId = ?1 and kind = ?2", l.shipmentId, kind);
        });
    }

    private static Response open(String path) {
        return given().header("User-Agent", PortalClient.BROWSER).redirects().follow(false).get(path);
    }

    /** A page without what changes on every render (nonces, tokens): what a person reads. */
    private static String readable(Response page) {
        return page.asString().replaceAll("[A-Za-z0-9_\\-.]{20,}", "…");
    }

    @Test
    void theJobEndsVendorTrackingAndDriverLinksOnceWithAnInternalEntryAndLeavesTheOthersAlone() {
        // vendor: expires at the end of tomorrow; a vendor action through it leaves a used form nonce
        String ref = uniqueReference();
        var vendor = vendorLink(ref, "expiring@vendor.example", today().plusDays(1));
        PortalClient portal = new PortalClient(vendor.getKey());
        portal.open("/orders/" + ref);
        assertEquals(303, portal.submit(ref, "confirm", Map.of()).statusCode());
        long submissions = QuarkusTransaction.requiringNew()
                .call(() -> PortalSubmission.count("linkId", vendor.getValue()));
        assertEquals(1, submissions, "the confirm's nonce is kept while the link lives");
        // left alone: a link without expiry, and a revoked one whose expiry passes too
        var lasting = vendorLink(uniqueReference(), "lasting@vendor.example", null);
        var revoked = vendorLink(uniqueReference(), "revoked@vendor.example", today().plusDays(1));
        QuarkusTransaction.requiringNew().run(() -> links.revoke(AccessLink.findById(revoked.getValue())));

        // tracking: expires in two days; its page was shown once (a render nonce)
        long trackedShipment = fixtures.shipment(tenant.id());
        Links.Issued tracking = trackingLinks
                .create(tenant.id(), trackedShipment, clock.instant().plus(Duration.ofDays(2)), ShipmentActor.system())
                .orElseThrow();
        String trackingPath = tracking.url().substring(tracking.url().indexOf("/t/"));
        open(trackingPath).then().statusCode(200);
        assertNotNull(link(tracking.linkId()).tokenSeed);

        // driver: no expiry of its own; the shipment is delivered now, so it ends after the organisation's 30 days
        long drivenShipment = fixtures.shipment(tenant.id());
        Links.Issued driver = driverLinks.create(tenant.id(), drivenShipment, ShipmentActor.system()).orElseThrow();
        String driverPath = driver.url().substring(driver.url().indexOf("/d/"));
        QuarkusTransaction.requiringNew().run(() -> {
            DriverFormUse use = new DriverFormUse();
            use.formKey = "used-" + driver.linkId();
            use.accessLinkId = driver.linkId();
            use.usedAt = clock.instant();
            use.persist();
        });
        shipments.changeStage(tenant.id(), drivenShipment, "DELIVERED", ShipmentActor.system()).orElseThrow();

        // nothing has ended yet: the job leaves every one of them alone
        expiry.runOnce();
        for (long id : List.of(vendor.getValue(), tracking.linkId(), driver.linkId(), lasting.getValue())) {
            assertNull(link(id).expiredAt, "link #" + id + " has not ended");
        }
        assertTrue(entries(vendor.getValue(), "LINK_EXPIRED").isEmpty());

        clock.advance(Duration.ofDays(31));
        String vendorBefore = readable(open(vendor.getKey()).then().statusCode(410).extract().response());
        String trackingBefore = readable(open(trackingPath).then().statusCode(410).extract().response());
        String driverBefore = readable(open(driverPath).then().statusCode(410).extract().response());

        Instant ran = clock.instant();
        LinkExpiry.Run run = expiry.runOnce();
        assertTrue(run.expired() >= 3, "at least our three links: " + run);

        assertEquals(ran, link(vendor.getValue()).expiredAt);
        assertEquals(ran, link(tracking.linkId()).expiredAt);
        assertEquals(ran, link(driver.linkId()).expiredAt);
        assertNull(link(lasting.getValue()).expiredAt, "a link without expiry lives on");
        assertNull(link(revoked.getValue()).expiredAt, "a revoked link stays revoked, not expired");
        assertTrue(entries(lasting.getValue(), "LINK_EXPIRED").isEmpty());
        assertTrue(entries(revoked.getValue(), "LINK_EXPIRED").isEmpty());

        List<TimelineEntry> onOrder = entries(vendor.getValue(), "LINK_EXPIRED");
        List<TimelineEntry> onTracked = entries(tracking.linkId(), "TRACKING_LINK_EXPIRED");
        List<TimelineEntry> onDriven = entries(driver.linkId(), "DRIVER_LINK_EXPIRED");
        for (List<TimelineEntry> once : List.of(onOrder, onTracked, onDriven)) {
            assertEquals(1, once.size());
            assertEquals(Visibility.INTERNAL, once.get(0).visibility, "staff only");
            assertTrue(once.get(0).detail.startsWith("Link expired"), once.get(0).detail);
            assertEquals(Actor.Type.SYSTEM, once.get(0).actorType);
        }
        // the driver link's end is its delivery + 30 days, now written as its expiry
        AccessLink ended = link(driver.linkId());
        assertNotNull(ended.expiresAt);
        assertTrue(!ended.expiresAt.isAfter(ran));

        // dropped: the ended links' used form nonces, the tracking link's seed and render nonce
        assertEquals(0L, (long) QuarkusTransaction.requiringNew()
                .call(() -> PortalSubmission.count("linkId", vendor.getValue())));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew()
                .call(() -> DriverFormUse.count("accessLinkId", driver.linkId())));
        assertNull(link(tracking.linkId()).tokenSeed);
        assertNull(link(tracking.linkId()).renderNonceHash);
        // kept: the rows and their hashes, so the same tokens are still known (410, not 404)

        // a second run writes nothing again
        expiry.runOnce();
        assertEquals(1, entries(vendor.getValue(), "LINK_EXPIRED").size());
        assertEquals(1, entries(tracking.linkId(), "TRACKING_LINK_EXPIRED").size());
        assertEquals(1, entries(driver.linkId(), "DRIVER_LINK_EXPIRED").size());

        // the holder sees the same neutral page as before the job
        assertEquals(vendorBefore, readable(open(vendor.getKey()).then().statusCode(410).extract().response()));
        assertEquals(trackingBefore, readable(open(trackingPath).then().statusCode(410).extract().response()));
        assertEquals(driverBefore, readable(open(driverPath).then().statusCode(410).extract().response()));
    }

    @Test
    void staffGivingAnEndedLinkANewExpiryBringsItBackAndItsNextEndIsWrittenAgain() {
        String ref = uniqueReference();
        var vendor = vendorLink(ref, "again@vendor.example", today().plusDays(1));
        clock.advance(Duration.ofDays(3));
        expiry.runOnce();
        assertNotNull(link(vendor.getValue()).expiredAt);

        vendorLinks.setExpiry(tenant.id(), ref, vendor.getValue(), today().plusDays(1), Actor.system());
        assertNull(link(vendor.getValue()).expiredAt, "staff extended it on purpose");
        open(vendor.getKey()).then().statusCode(200);
        clock.advance(Duration.ofDays(3));
        expiry.runOnce();
        assertEquals(2, entries(vendor.getValue(), "LINK_EXPIRED").size(), "two ends, two entries");
    }

    @Test
    void twoRunsAtTheSameMomentWriteOneEntryPerLink() throws Exception {
        Databases.assumePostgres(dataSource, "two replicas' transactions only wait for each other on PostgreSQL");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(vendorLink(uniqueReference(), "race" + i + "@vendor.example", today().plusDays(1)).getValue());
        }
        List<Long> shipmentLinks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long shipment = fixtures.shipment(tenant.id());
            shipmentLinks.add(trackingLinks
                    .create(tenant.id(), shipment, clock.instant().plus(Duration.ofHours(30)), ShipmentActor.system())
                    .orElseThrow().linkId());
        }
        clock.advance(Duration.ofDays(3));

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<LinkExpiry.Run> run = expiry::runOnce;
            List<LinkExpiry.Run> runs = Races.together(pool, run, run);
            assertEquals(0, runs.get(0).failed() + runs.get(1).failed(), runs.toString());
        } finally {
            pool.shutdownNow();
        }
        for (long id : ids) {
            assertNotNull(link(id).expiredAt);
            assertEquals(1, entries(id, "LINK_EXPIRED").size(), "link #" + id);
        }
        for (long id : shipmentLinks) {
            assertEquals(1, entries(id, "TRACKING_LINK_EXPIRED").size(), "link #" + id);
        }
    }

    @Test
    void theJobsQueriesCanBeServedByTheirPartialIndexes() throws Exception {
        Databases.assumePostgres(dataSource, "partial indexes and their plans are PostgreSQL's");
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            // the test tables are small enough to be read whole: ask whether the index can serve the query at all
            st.execute("set enable_seqscan = off");
            try {
                String due = plan(st, LinkExpiry.DUE_SQL.replace("?1", "now()").replace("?2", "0"));
                assertTrue(due.contains("access_link_expiry_due_ix"), due);
                String shipmentLinks = plan(st, ShipmentLinkEnds.CANDIDATES_SQL.replace("?1", "0"));
                assertTrue(shipmentLinks.contains("access_link_live_shipment_ix"), shipmentLinks);
            } finally {
                st.execute("reset enable_seqscan");
            }
        }
    }

    private static String plan(Statement st, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = st.executeQuery("explain " + sql + " limit 500")) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
