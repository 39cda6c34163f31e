package io.portlink.dropship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.agroal.api.AgroalDataSource;
import io.portlink.platform.Paging;
import io.portlink.testing.Databases;
import io.portlink.testing.Races;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One merchant never syncs twice at once, on PostgreSQL with real threads: "Sync now" pressed twice and the scheduler's
 * pass, all at the same moment, send each routed dropshipment exactly once; a run in progress makes "Sync now" say so.
 */
@QuarkusTest
class SyncRaceTest {

    @Inject
    SyncFixtures world;

    @Inject
    Sync sync;

    @Inject
    SyncHealth health;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void syncNowAndTheScheduledPassAtOnceSendEachDropshipmentOnce() throws Exception {
        Databases.assumePostgres(dataSource, "row locks with SKIP LOCKED between real transactions");
        var merchant = world.org();
        var supplier = world.org();
        DropshipConnection c = world.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        List<Dropshipment> routed = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            routed.add(world.dropshipment(c, Dropshipment.Status.ROUTED));
        }
        world.schedule(merchant.id(), 60, clock.instant().minusSeconds(1));

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Object> results = Races.together(pool, () -> sync.runNow(merchant.id()),
                    () -> sync.runNow(merchant.id()), () -> sync.runDue());
            var runs = health.runs(merchant.id(), new Paging(0, 10)).items();
            int sent = runs.stream().mapToInt(SyncHealth.RunView::dropshipmentsSent).sum();
            assertEquals(40, sent, "each dropshipment sent once over all runs: " + runs + " / " + results);
            assertEquals(1, runs.stream().filter(r -> r.dropshipmentsSent() > 0).count(),
                    "one run sent them; any other either found the merchant busy or nothing left: " + runs);
            for (Dropshipment d : routed) {
                assertEquals(Dropshipment.Status.OPEN, world.reload(d).status);
                assertEquals(1, world.sentLines(d));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void syncNowWhileARunHoldsTheMerchantSaysSoAndStartsNothing() throws Exception {
        Databases.assumePostgres(dataSource, "row locks with SKIP LOCKED between real transactions");
        var merchant = world.org();
        DropshipConnection c = world.connection(merchant.id(), world.org(), DropshipConnection.Status.ACTIVE);
        Dropshipment d = world.dropshipment(c, Dropshipment.Status.ROUTED);
        world.schedule(merchant.id(), 10, clock.instant().minusSeconds(1));
        // a run elsewhere holds the merchant's settings row, as a run does from start to end
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (var st = other.prepareStatement(
                    "select organization_id from dropship_settings where organization_id = ? for update")) {
                st.setLong(1, merchant.id());
                st.executeQuery().close();
            }
            Sync.Manual answer = sync.runNow(merchant.id());
            assertTrue(answer.inProgress());
            sync.runDue();
            assertEquals(0, world.runs(merchant.id()), "neither Sync now nor the pass ran it");
            assertEquals(Dropshipment.Status.ROUTED, world.reload(d).status);
            other.rollback();
        }
        clock.advance(Duration.ofSeconds(1));
        sync.runDue();
        assertEquals(Dropshipment.Status.OPEN, world.reload(d).status, "once released, the pass runs it");
    }

    /**
     * "Sync now" on a full replica while the merchant's own run holds it: "in progress" (what the person waits for),
     * not "busy, try later"; with nothing of the merchant's running it is "busy".
     */
    @Test
    void syncNowOnAFullReplicaSaysInProgressWhenTheMerchantsOwnRunIsWhatHoldsIt() throws Exception {
        Databases.assumePostgres(dataSource, "row locks with SKIP LOCKED between real transactions");
        var merchant = world.org();
        DropshipConnection c = world.connection(merchant.id(), world.org(), DropshipConnection.Status.ACTIVE);
        world.dropshipment(c, Dropshipment.Status.ROUTED);
        world.schedule(merchant.id(), 60, clock.instant().plusSeconds(3600));
        java.util.concurrent.Semaphore permits = sync.manualRuns();
        int taken = permits.drainPermits();
        try (Connection other = dataSource.getConnection()) {
            assertTrue(sync.runNow(merchant.id()).saturated(), "nothing of the merchant's runs: busy");
            other.setAutoCommit(false);
            try (var st = other.prepareStatement(
                    "select organization_id from dropship_settings where organization_id = ? for update")) {
                st.setLong(1, merchant.id());
                st.executeQuery().close();
            }
            assertTrue(sync.runNow(merchant.id()).inProgress(), "its own run holds it: in progress");
            other.rollback();
        } finally {
            permits.release(taken);
        }
    }

    @Inject
    DropshipChanges changes;

    /**
     * The merchant cancels orders while its sync sends their dropshipments: both take the dropship lock order (sales
     * order, then dropshipments), so neither fails with a deadlock, and each dropshipment ends either cancelled before
     * the supplier had it, or sent and then cancelled as a new revision the supplier must acknowledge.
     */
    @Test
    void cancellingOrdersWhileTheSyncSendsThemNeverDeadlocksAndLosesNoCancel() throws Exception {
        Databases.assumePostgres(dataSource, "row locks between real transactions");
        var merchant = world.org();
        DropshipConnection c = world.connection(merchant.id(), world.org(), DropshipConnection.Status.ACTIVE);
        List<Dropshipment> routed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            routed.add(world.dropshipment(c, Dropshipment.Status.ROUTED));
        }
        List<java.util.concurrent.Callable<Object>> calls = new ArrayList<>();
        calls.add(() -> sync.runNow(merchant.id()));
        for (Dropshipment d : routed.subList(0, 6)) {
            String reference = d.reference.substring(0, d.reference.length() - 2);
            calls.add(() -> changes.cancel(merchant.id(), reference, "customer cancelled",
                    io.portlink.timeline.Actor.system()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            @SuppressWarnings("unchecked")
            List<Object> results = Races.together(pool, calls.toArray(new java.util.concurrent.Callable[0]));
            var runs = health.runs(merchant.id(), new Paging(0, 10)).items();
            assertEquals(0, runs.stream().mapToInt(SyncHealth.RunView::failures).sum(), "no failed send: " + runs);
            for (Dropshipment d : routed.subList(0, 6)) {
                Dropshipment after = world.reload(d);
                assertEquals(Dropshipment.Status.CANCELLED, after.status, "the cancel kept: " + results);
                assertEquals(after.sentAt == null ? 1 : 2, after.revision,
                        "sent first, the cancel is a revision to acknowledge; else the supplier never had it");
            }
            for (Dropshipment d : routed.subList(6, 30)) {
                assertEquals(Dropshipment.Status.OPEN, world.reload(d).status);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Inject
    Connections connections;

    @Inject
    io.portlink.outbox.OutboxDelivery delivery;

    /**
     * A later send batch fails: the supplier disconnects while the run's second batch waits on a sales order the
     * merchant holds. The first batch stays sent, the run counts it, and the supplier still gets one mail for it.
     */
    @Test
    void aSendBatchThatFailsKeepsTheCountAndTheMailOfTheBatchesBeforeIt() throws Exception {
        Databases.assumePostgres(dataSource, "a send batch waiting on a row lock between real transactions");
        var merchant = world.org();
        var supplier = world.org();
        DropshipConnection c = world.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        List<Dropshipment> routed = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i <= SyncSteps.SEND_BATCH; i++) {
                routed.add(world.dropshipment(c, Dropshipment.Status.ROUTED));
            }
        });
        Dropshipment last = routed.get(SyncSteps.SEND_BATCH);
        GreenMail smtp = Smtp.fresh();

        ExecutorService pool = Executors.newFixedThreadPool(2);
        Sync.Manual answer;
        try {
            answer = Databases.afterWaitingOn(dataSource, pool, () -> {
                SalesOrder.findById(last.salesOrderId, LockModeType.PESSIMISTIC_WRITE);
                connections.disconnect(supplier.id(), c.id, "Sam Supplier");
            }, () -> sync.runNow(merchant.id()));
        } finally {
            pool.shutdownNow();
        }

        var run = answer.run().orElseThrow();
        assertEquals("FAILED", run.outcome());
        assertTrue(run.error().contains("ended during the run"), run.error());
        assertEquals(SyncSteps.SEND_BATCH, run.dropshipmentsSent(), "the committed batch counts");
        assertEquals(Dropshipment.Status.OPEN, world.reload(routed.get(0)).status);
        assertEquals(Dropshipment.Status.OPEN, world.reload(routed.get(SyncSteps.SEND_BATCH - 1)).status);
        assertEquals(Dropshipment.Status.ROUTED, world.reload(last).status, "the failed batch rolled back");

        // other tests' mail may be due before this one (a batch at a time): deliver until it came or none is left
        var mails = Smtp.mailsTo(smtp, supplier.adminEmail());
        for (int round = 0; mails.length == 0 && round < 20 && Smtp.deliver(delivery, clock) > 0; round++) {
            mails = Smtp.mailsTo(smtp, supplier.adminEmail());
        }
        assertEquals(1, mails.length, "the supplier hears of what it was sent");
        assertEquals(SyncSteps.SEND_BATCH + " new dropship orders from " + merchant.name(), mails[0].getSubject());
        String body = GreenMailUtil.getBody(mails[0]);
        assertTrue(body.contains(world.reload(routed.get(0)).reference), body);
    }
}
