package io.portlink.dropship;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.platform.Paging;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * The merchant's sync: who is due, what a run sends and writes back, what it records, and how "Sync now" and the health
 * page show it. Rows are made directly ({@link SyncFixtures}).
 */
@QuarkusTest
class SyncTest {

    @Inject
    SyncFixtures world;

    @Inject
    javax.sql.DataSource dataSource;

    @Inject
    Fixtures fixtures;

    @Inject
    Sync sync;

    @Inject
    SalesOrderSettings salesOrderSettings;

    @Inject
    SyncHealth health;

    @Inject
    TestClock clock;

    @Inject
    OutboxDelivery delivery;

    private SyncHealth.RunView syncNow(long merchantId) {
        Sync.Manual m = sync.runNow(merchantId);
        assertTrue(m.run().isPresent(), "no other run holds the merchant");
        return m.run().get();
    }

    @Test
    void aMerchantRunsAtItsOwnIntervalAndNotBefore() {
        var merchant = world.org();
        var supplier = world.org();
        DropshipConnection c = world.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        world.schedule(merchant.id(), 10, clock.instant());

        sync.runDue();
        assertEquals(1, world.runs(merchant.id()), "due now: the pass runs it");
        assertEquals(clock.instant().plus(Duration.ofMinutes(10)), world.settings(merchant.id()).nextSyncAt);

        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        sync.runDue();
        assertEquals(1, world.runs(merchant.id()), "not due before its 10 minutes have passed");

        clock.advance(Duration.ofSeconds(1));
        world.dropshipment(c, Dropshipment.Status.ROUTED);
        sync.runDue();
        assertEquals(2, world.runs(merchant.id()), "due again after 10 minutes");
        var latest = health.runs(merchant.id(), new Paging(0, 1)).items().get(0);
        assertEquals("SCHEDULE", latest.startedBy());
        assertEquals(1, latest.dropshipmentsSent());

        // hourly: changing the interval recomputes the next run from the last one
        sync.setInterval(merchant.id(), "60");
        DropshipSettings s = world.settings(merchant.id());
        assertEquals(60, s.syncIntervalMinutes);
        assertEquals(s.lastSyncAt.plus(Duration.ofMinutes(60)), s.nextSyncAt);
        clock.advance(Duration.ofMinutes(30));
        sync.runDue();
        assertEquals(2, world.runs(merchant.id()), "hourly now: not due after 30 minutes");
    }

    @Test
    void aMerchantWithAnActiveSupplierAndNoSettingsIsAdoptedHourly() {
        var merchant = world.org();
        world.connection(merchant.id(), world.org(), DropshipConnection.Status.ACTIVE);
        sync.runDue();
        assertEquals(1, world.runs(merchant.id()));
        assertEquals(60, world.settings(merchant.id()).syncIntervalMinutes);
    }

    @Test
    void aMerchantWhoseFirstSaveWasTheSalesOrderSettingsIsStillSynced() {
        var merchant = world.org();
        world.connection(merchant.id(), world.org(), DropshipConnection.Status.ACTIVE);
        // saving "route automatically" first creates the settings row: it must be due, not without a time
        salesOrderSettings.setAutoRoute(merchant.id(), true);
        assertEquals(clock.instant(), world.settings(merchant.id()).nextSyncAt);
        sync.runDue();
        assertEquals(1, world.runs(merchant.id()), "the scheduler's pass takes it");
    }

    @Test
    void sendsRoutedDropshipmentsOnlyAndMailsTheSupplierOnce() {
        GreenMail smtp = Smtp.fresh();
        fixtures.settleOutbox();
        var merchant = world.org();
        var supplier = world.org();
        DropshipConnection c = world.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        Dropshipment routed1 = world.dropshipment(c, Dropshipment.Status.ROUTED);
        Dropshipment routed2 = world.dropshipment(c, Dropshipment.Status.ROUTED);
        Dropshipment cancelled = world.dropshipment(c, Dropshipment.Status.CANCELLED);
        clock.advance(Duration.ofMinutes(1));
        Dropshipment open = world.dropshipment(c, Dropshipment.Status.OPEN);
        Instant openSent = world.reload(open).sentAt;
        clock.advance(Duration.ofMinutes(1));

        var run = syncNow(merchant.id());
        assertEquals(2, run.dropshipmentsSent());
        assertEquals("SUCCEEDED", run.outcome());
        assertEquals("MANUAL", run.startedBy());
        for (Dropshipment d : List.of(routed1, routed2)) {
            Dropshipment now = world.reload(d);
            assertEquals(Dropshipment.Status.OPEN, now.status);
            assertEquals(clock.instant(), now.sentAt);
            assertEquals(1, world.sentLines(d), "one line on the supplier's timeline");
            assertTrue(world.sentDetail(d).endsWith(": 1 line"),
                    "it counts the dropshipment's lines: " + world.sentDetail(d));
        }
        assertEquals(Dropshipment.Status.CANCELLED, world.reload(cancelled).status);
        assertNull(world.reload(cancelled).sentAt);
        assertEquals(openSent, world.reload(open).sentAt, "an already sent one is not sent again");
        assertEquals(0, world.sentLines(open));

        Smtp.deliver(delivery, clock);
        var mails = Smtp.mailsTo(smtp, supplier.adminEmail());
        assertEquals(1, mails.length, "one mail per supplier and run");
        assertEquals("2 new dropship orders from " + merchant.name(), subject(mails[0]));
        String body = GreenMailUtil.getBody(mails[0]);
        assertTrue(body.contains(world.reload(routed1).reference), body);

        var again = syncNow(merchant.id());
        assertEquals(0, again.dropshipmentsSent(), "nothing routed since: nothing sent");
        Smtp.deliver(delivery, clock);
        assertEquals(1, Smtp.mailsTo(smtp, supplier.adminEmail()).length, "no mail for a run that sent nothing");
    }

    private static String subject(jakarta.mail.internet.MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writesSupplierAvailableIntoTheSupplierWarehouseAndConsumesTheChanges() {
        var merchant = world.org();
        DropshipConnection c = world.connection(merchant.id(), world.org(), DropshipConnection.Status.ACTIVE);
        DropshipSource counted = world.dropshipped(c, "COUNTED", 5);
        DropshipSource uncounted = world.dropshipped(c, "UNCOUNTED", 0);
        DropshipSource same = world.dropshipped(c, "SAME", 4);
        DropshipSource quiet = world.dropshipped(c, "QUIET", 9);
        world.stockLevel(counted.merchantProductId, c.warehouseId, 5);
        world.stockLevel(same.merchantProductId, c.warehouseId, 4);
        world.stockLevel(quiet.merchantProductId, c.warehouseId, 1);
        Instant before = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        world.supplierChanged(counted, 8);
        world.supplierChanged(uncounted, 3);
        world.supplierChanged(same, 4);

        var run = syncNow(merchant.id());
        assertEquals(3, run.changesPassed());
        assertEquals(2, run.stockUpdated(), "one level changed, one created; the equal one is left alone");
        assertEquals(8, world.onHand(c, counted.merchantProductId));
        assertEquals(3, world.onHand(c, uncounted.merchantProductId));
        assertEquals(4, world.onHand(c, same.merchantProductId));
        assertEquals(before, world.stockUpdatedAt(c, same.merchantProductId));
        assertEquals(1, world.onHand(c, quiet.merchantProductId), "no change row: not touched (cost follows changes)");
        assertEquals(0, world.changeRows(merchant.id()), "applied changes are deleted");

        clock.advance(Duration.ofMinutes(5));
        var rerun = syncNow(merchant.id());
        assertEquals(0, rerun.changesPassed());
        assertEquals(0, rerun.stockUpdated());
        assertEquals(0, rerun.dropshipmentsSent());
        assertEquals(8, world.onHand(c, counted.merchantProductId));
        assertEquals(clock.instant().minus(Duration.ofMinutes(5)), world.stockUpdatedAt(c, counted.merchantProductId),
                "a run with nothing changed writes nothing");
    }

    @Test
    void writeBackRunsInBatchesAcrossManyChanges() {
        var merchant = world.org();
        DropshipConnection c = world.connection(merchant.id(), world.org(), DropshipConnection.Status.ACTIVE);
        List<DropshipSource> sources = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            DropshipSource s = world.dropshipped(c, "B-" + i, 0);
            world.supplierChanged(s, i + 1);
            sources.add(s);
        }
        // more changes than one batch (10,000 by default) would need a big world; the loop is the same at any size
        var run = syncNow(merchant.id());
        assertEquals(30, run.changesPassed());
        assertEquals(30, run.stockUpdated());
        for (int i = 0; i < 30; i++) {
            assertEquals(i + 1, world.onHand(c, sources.get(i).merchantProductId));
        }
    }

    @Test
    void aDisconnectedSupplierIsAFailureWhileOthersProceed() {
        var merchant = world.org();
        var gone = world.org();
        var active = world.org();
        DropshipConnection cGone = world.connection(merchant.id(), gone, DropshipConnection.Status.DISCONNECTED);
        DropshipConnection cActive = world.connection(merchant.id(), active, DropshipConnection.Status.ACTIVE);
        Dropshipment stuck = world.dropshipment(cGone, Dropshipment.Status.ROUTED);
        Dropshipment fine = world.dropshipment(cActive, Dropshipment.Status.ROUTED);
        DropshipSource s = world.dropshipped(cActive, "OK-1", 0);
        world.supplierChanged(s, 6);

        var run = syncNow(merchant.id());
        assertEquals("FAILED", run.outcome());
        assertEquals(1, run.failures());
        assertEquals(1, run.dropshipmentsSent());
        assertEquals(1, run.stockUpdated());
        assertTrue(run.error().contains(gone.name()) && run.error().contains("disconnected"), run.error());
        assertEquals(Dropshipment.Status.ROUTED, world.reload(stuck).status);
        assertNull(world.reload(stuck).sentAt, "the disconnected supplier never sees it");
        assertEquals(Dropshipment.Status.OPEN, world.reload(fine).status);
        assertEquals(6, world.onHand(cActive, s.merchantProductId));
    }

    @Test
    void aFailingMerchantDoesNotStopThePass() {
        var broken = world.org();
        var healthy = world.org();
        DropshipConnection cb = world.connection(broken.id(), world.org(), DropshipConnection.Status.DISCONNECTED);
        world.dropshipment(cb, Dropshipment.Status.ROUTED);
        DropshipConnection ch = world.connection(healthy.id(), world.org(), DropshipConnection.Status.ACTIVE);
        Dropshipment d = world.dropshipment(ch, Dropshipment.Status.ROUTED);
        world.schedule(broken.id(), 60, clock.instant().minusSeconds(2));
        world.schedule(healthy.id(), 60, clock.instant().minusSeconds(1));

        sync.runDue();
        assertEquals("FAILED", health.runs(broken.id(), new Paging(0, 1)).items().get(0).outcome());
        assertEquals(Dropshipment.Status.OPEN, world.reload(d).status);
    }

    @Test
    void driftListsDisagreeingAndUnmappedProductsOfTheMerchantOnly() {
        var merchant = world.org();
        DropshipConnection c = world.connection(merchant.id(), world.org(), DropshipConnection.Status.ACTIVE);
        DropshipSource agree = world.dropshipped(c, "AGREE", 7);
        world.stockLevel(agree.merchantProductId, c.warehouseId, 7);
        DropshipSource differ = world.dropshipped(c, "DIFFER", 7);
        world.stockLevel(differ.merchantProductId, c.warehouseId, 2);
        world.dropshipped(c, "NEVER-COUNTED", 3);
        world.source(c, world.product(merchant.id(), "NO-MAPPING", null), null);

        var other = world.org();
        DropshipConnection oc = world.connection(other.id(), world.org(), DropshipConnection.Status.ACTIVE);
        world.dropshipped(oc, "OTHER-DIFFER", 5);
        world.source(oc, world.product(other.id(), "OTHER-NO-MAPPING", null), null);

        var drift = health.drift(merchant.id(), new Paging(0, 50));
        assertEquals(2, health.driftCount(merchant.id()));
        assertFalse(drift.hasNext());
        assertEquals(List.of("DIFFER", "NEVER-COUNTED"), drift.items().stream().map(SyncHealth.Drift::sku).toList());
        assertEquals(2, drift.items().get(0).merchantOnHand());
        assertEquals(7, drift.items().get(0).supplierAvailable());
        assertNull(drift.items().get(1).merchantOnHand());
        var unmapped = health.unmapped(merchant.id(), new Paging(0, 50));
        assertEquals(1, health.unmappedCount(merchant.id()));
        assertEquals("NO-MAPPING", unmapped.items().get(0).sku());
        var second = health.drift(merchant.id(), new Paging(1, 1));
        assertEquals(List.of("NEVER-COUNTED"), second.items().stream().map(SyncHealth.Drift::sku).toList());
        assertFalse(second.hasNext());
        assertTrue(health.drift(merchant.id(), new Paging(0, 1)).hasNext());

        CookieFilter staff = StaffClient.signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get("/app/sync").then().statusCode(200).body(containsString("DIFFER"))
                .body(containsString("NO-MAPPING")).body(not(containsString("OTHER-")))
                .body(containsString("id=\"drift-count\">(2)")).body(containsString("id=\"unmapped-count\">(1)"));
    }

    @Test
    void beforeTheFirstPassThePageSaysWhenTheNextRunIs() {
        var merchant = world.org();
        CookieFilter staff = StaffClient.signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/sync").then().statusCode(200).extract().asString();
        assertFalse(page.contains("not scheduled"), page);
        assertTrue(page.contains("id=\"next-sync\">with the first pass after a supplier is connected<"), page);
        assertTrue(page.contains("Hourly") || page.contains("hourly"), "the defaults: " + page);
        assertNull(world.settings(merchant.id()), "opening the page writes nothing (SECURITY.md: GET is safe)");
        // once a supplier is connected, the next run is due at once, before the scheduler's pass too (the page said
        // no supplier was connected until then)
        world.connection(merchant.id(), world.org(), DropshipConnection.Status.ACTIVE);
        for (boolean passed : new boolean[] { false, true }) {
            if (passed) {
                sync.runDue();
            }
            page = given().filter(staff).get("/app/sync").then().statusCode(200).extract().asString();
            var next = java.util.regex.Pattern.compile("id=\"next-sync\">([^<]*)<").matcher(page);
            assertTrue(next.find() && next.group(1).matches(".*[0-9]{2}:[0-9]{2}.*"), "a date and time: " + page);
        }

        // a settings row the sales-order settings made (no next run yet) is scheduled too
        var other = world.org();
        StaffClient.postForm(StaffClient.signIn(other.adminEmail(), Fixtures.PASSWORD), "/app/sales-orders/settings",
                "/app/sales-orders/settings", "autoRoute", "on").statusCode(303);
        assertNotNull(health.settings(other.id()).nextSyncAt());
        assertNotNull(world.settings(other.id()).nextSyncAt);
    }

    /**
     * "Sync now" while the replica runs as many as it may (every permit taken here, as that many runs at once would):
     * nothing starts, the API says 503 with when to try again and the page says the same; once a run ends, it runs.
     */
    @Test
    void syncNowBeyondTheReplicasCapacityStartsNothingAndSaysWhenToTryAgain() {
        var merchant = world.org();
        var supplier = world.org();
        DropshipConnection c = world.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        Dropshipment d = world.dropshipment(c, Dropshipment.Status.ROUTED);
        CookieFilter staff = StaffClient.signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        java.util.concurrent.Semaphore permits = sync.manualRuns();
        int taken = permits.drainPermits();
        try {
            given().header("Authorization", "Bearer " + merchant.apiKey()).post("/api/v1/sync/run").then()
                    .statusCode(503).header("Retry-After", "60")
                    .body("detail", containsString("Try again in a minute"));
            StaffClient.postForm(staff, "/app/sync", "/app/sync/run").statusCode(303).header("Location",
                    containsString("/app/sync?done=full"));
            given().filter(staff).get("/app/sync?done=full").then().statusCode(200)
                    .body(containsString("so yours did not start"));
            assertEquals(Dropshipment.Status.ROUTED, world.reload(d).status, "nothing ran");
        } finally {
            permits.release(taken);
        }
        given().header("Authorization", "Bearer " + merchant.apiKey()).post("/api/v1/sync/run").then().statusCode(200)
                .body("dropshipmentsSent", equalTo(1));
    }

    /**
     * The interval saved while a run holds the merchant's settings (PostgreSQL): it waits for the run and keeps the
     * run's times, where it wrote back the ones it read before the run ended.
     */
    @Test
    void anIntervalSavedDuringARunKeepsTheRunsTimes() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource, "a form waiting on the run's row lock");
        var merchant = world.org();
        sync.ensure(merchant.id());
        Instant ended = clock.instant().plus(Duration.ofMinutes(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            // a run: it holds the row and, as it ends, writes its times
            io.portlink.testing.Databases.afterWaitingOn(dataSource, pool,
                    () -> DropshipSettings.getEntityManager().createNativeQuery(
                            "update dropship_settings set last_sync_at = ?1, next_sync_at = ?2 where organization_id = ?3")
                            .setParameter(1, ended).setParameter(2, ended.plus(Duration.ofHours(1)))
                            .setParameter(3, merchant.id()).executeUpdate(),
                    () -> {
                        sync.setInterval(merchant.id(), "1440");
                        return null;
                    });
        } finally {
            pool.shutdownNow();
        }
        DropshipSettings s = world.settings(merchant.id());
        assertEquals(1440, s.syncIntervalMinutes);
        assertEquals(ended, s.lastSyncAt, "the run's end is kept");
        assertEquals(ended.plus(Duration.ofDays(1)), s.nextSyncAt, "one new interval after the run");
    }

    @Test
    void syncNowFromThePageAndTheApiAndTheRunsList() {
        var merchant = world.org();
        var supplier = world.org();
        DropshipConnection c = world.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        Dropshipment d = world.dropshipment(c, Dropshipment.Status.ROUTED);

        CookieFilter staff = StaffClient.signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        StaffClient.postForm(staff, "/app/sync", "/app/sync/run").statusCode(303).header("Location",
                containsString("/app/sync?done=ran"));
        assertEquals(Dropshipment.Status.OPEN, world.reload(d).status);
        given().filter(staff).get("/app/sync?done=ran").then().statusCode(200).body(containsString("Sync finished"))
                .body(containsString("1 dropshipment sent"));

        // the interval form: a wrong value comes back named; a right one recomputes the next run
        StaffClient.postForm(staff, "/app/sync", "/app/sync/settings", "interval", "15").statusCode(422)
                .body(containsString("interval")).body(containsString("15"));
        StaffClient.postForm(staff, "/app/sync", "/app/sync/settings", "interval", "1440").statusCode(303);
        DropshipSettings s = world.settings(merchant.id());
        assertEquals(1440, s.syncIntervalMinutes);
        assertEquals(s.lastSyncAt.plus(Duration.ofDays(1)), s.nextSyncAt);

        world.dropshipment(c, Dropshipment.Status.ROUTED);
        clock.advance(Duration.ofMinutes(1));
        given().header("Authorization", "Bearer " + merchant.apiKey()).post("/api/v1/sync/run").then().statusCode(200)
                .body("startedBy", equalTo("MANUAL")).body("outcome", equalTo("SUCCEEDED"))
                .body("dropshipmentsSent", equalTo(1)).body("failures", equalTo(0));
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sync/runs?size=1").then()
                .statusCode(200).body("hasNext", equalTo(true)).body("items.size()", equalTo(1))
                .body("items[0].dropshipmentsSent", equalTo(1))
                .body("items[0].startedAt", equalTo(clock.instant().toString()));
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sync/runs?size=0").then()
                .statusCode(422).body("errors[0].field", equalTo("size"));

        // another organisation sees none of it, and its Sync now moves nothing of this merchant
        var other = world.org();
        Dropshipment waiting = world.dropshipment(c, Dropshipment.Status.ROUTED);
        given().header("Authorization", "Bearer " + other.apiKey()).get("/api/v1/sync/runs").then().statusCode(200)
                .body("items.size()", equalTo(0)).body("hasNext", equalTo(false));
        given().header("Authorization", "Bearer " + other.apiKey()).post("/api/v1/sync/run").then().statusCode(200)
                .body("dropshipmentsSent", equalTo(0));
        assertEquals(Dropshipment.Status.ROUTED, world.reload(waiting).status);
        CookieFilter otherStaff = StaffClient.signIn(other.adminEmail(), Fixtures.PASSWORD);
        given().filter(otherStaff).get("/app/sync").then().statusCode(200)
                .body(containsString(
                        "data-run=\"" + health.runs(other.id(), new Paging(0, 1)).items().get(0).id() + "\""))
                .body(not(containsString(world.reload(d).reference)));
        assertNotNull(health.settings(other.id()).nextSyncAt());
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/sync/run"))
                .body(containsString("/api/v1/sync/runs"));
    }
}
