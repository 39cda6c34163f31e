package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Races;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Delay alerts: the organisation's threshold and a customer's own, the Late bucket in and out, one staff alert per
 * shipment and escalation level (repeats and threads), DELAY_DETECTED once, the customer's delay mail; and the staff
 * queue's buckets with the test clock.
 */
@QuarkusTest
class DelayAlertsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    DelayAlerts delays;

    @Inject
    LatenessScan scan;

    @Inject
    ShipmentEtas etas;

    @Inject
    MilestoneRules rules;

    @Inject
    ShipmentQueue queue;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    Event<ShipmentEtaChanged> etaChanged;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("DE");
    }

    long shipment(String customer) {
        return shipments.create(tenant.id(),
                new ShipmentInput(
                        Fixtures.uniqueReference(), "Excavator", new ShipmentInput.CustomerInput(customer,
                                "kunde-" + System.nanoTime() + "@client.example", null, "de"),
                        "Hamburg", "München", null),
                ShipmentActor.system()).id();
    }

    @Inject
    ShipmentStops stops;

    /** {@code at} to the minute: a stop's window is entered, and stored, to the minute. */
    static Instant minute(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    }

    /**
     * The delivery stop's window ends at {@code windowEnd} (a whole minute, see {@link #minute}), written as staff, the
     * API and imports write stops ({@link ShipmentStops#replace}): a pickup in Hamburg and the delivery in Munich,
     * Berlin time.
     */
    void window(long shipmentId, Instant windowEnd) {
        assertEquals(minute(windowEnd), windowEnd, "a window is stored to the minute");
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        String from = java.time.LocalDateTime.ofInstant(windowEnd.minus(Duration.ofHours(2)), berlin).toString();
        String to = java.time.LocalDateTime.ofInstant(windowEnd, berlin).toString();
        stops.replace(tenant.id(), shipmentId, List.of(
                new ShipmentStops.StopInput("PICKUP", "Hamburg yard", null, null, null, "Europe/Berlin", null, null),
                new ShipmentStops.StopInput("DELIVERY", "München site", null, null, null, "Europe/Berlin", from, to)),
                ShipmentActor.system()).orElseThrow();
    }

    /** What ETA writers do: set the current ETA and fire the event in the same transaction. */
    void eta(long shipmentId, Instant eta) {
        QuarkusTransaction.requiringNew().run(() -> {
            // as every writer of a shipment: its row locked first
            Shipment s = Shipment.findById(shipmentId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            s.currentEta = eta;
            etaChanged.fire(new ShipmentEtaChanged(tenant.id(), shipmentId));
        });
    }

    static Shipment load(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Shipment.findById(id));
    }

    static long count(long shipmentId, String kind) {
        return QuarkusTransaction.requiringNew()
                .call(() -> OutboxMessage.count("shipmentId = ?1 and kind = ?2", shipmentId, kind));
    }

    /**
     * Nothing announces a window passing: no position, no new ETA. The scan notices it: late once the window plus the
     * threshold has passed (also for a shipment that never had an ETA), escalated a day later, one alert per level; a
     * delivered shipment never.
     */
    @Test
    void aWindowThatPassesWithNoNewEtaIsNoticedByTheScan() {
        delays.saveSettings(tenant.id(), "60", "4", "");
        Instant start = clock.instant();
        Instant end = minute(start.plus(Duration.ofHours(3)));
        long quiet = shipment("Silent Customer AG");
        window(quiet, end);
        eta(quiet, end.minus(Duration.ofHours(1)));
        long noEta = shipment("No Eta AG");
        window(noEta, end);
        long delivered = shipment("Delivered AG");
        window(delivered, end);
        shipments.changeStage(tenant.id(), delivered, "Delivered", ShipmentActor.system());
        try {
            assertTrue(scan.runOnce().ran());
            assertEquals(0, load(quiet).lateLevel, "the window has not ended");

            clock.set(end.plus(Duration.ofMinutes(59)));
            scan.runOnce();
            assertEquals(0, load(quiet).lateLevel, "within the threshold");
            assertEquals(0, load(noEta).lateLevel);

            clock.set(end.plus(Duration.ofMinutes(61)));
            LatenessScan.Run run = scan.runOnce();
            assertTrue(run.checked() >= 2, "both open shipments past their window were looked at: " + run);
            assertEquals(1, load(quiet).lateLevel, "an ETA nobody updated is late once the window has passed");
            assertEquals(clock.instant(), load(quiet).lateSince);
            assertEquals(1, load(noEta).lateLevel, "no ETA at all, window and threshold passed");
            assertEquals(0, load(delivered).lateLevel, "a delivered shipment is never late");
            assertEquals(1, count(quiet, DelayAlerts.ALERT_KIND));
            assertEquals(1, count(noEta, DelayAlerts.ALERT_KIND));
            assertEquals(0, count(delivered, DelayAlerts.ALERT_KIND));

            scan.runOnce();
            assertEquals(1, count(quiet, DelayAlerts.ALERT_KIND), "the next scan mails no second alert");

            clock.set(end.plus(Duration.ofMinutes(61)).plus(Duration.ofHours(DelayAlerts.ESCALATION_HOURS)));
            scan.runOnce();
            assertEquals(2, load(quiet).lateLevel, "escalated a day later");
            assertEquals(2, count(quiet, DelayAlerts.ALERT_KIND));
            scan.runOnce();
            assertEquals(2, count(quiet, DelayAlerts.ALERT_KIND), "level 2 is final: no more scans, no more mail");
        } finally {
            clock.set(start);
        }
    }

    /**
     * More shipments past their window than a batch holds, all with the same window end, and one whose window was moved
     * to later: the scan reaches every one past its window exactly once per run (the batches go on by window end and
     * id), and not the moved one.
     */
    @Test
    void theScanWalksEveryShipmentPastItsWindowInBatchesAndFollowsAMovedWindow() {
        delays.saveSettings(tenant.id(), "60", "4", "");
        Instant start = clock.instant();
        Instant end = minute(start.plus(Duration.ofHours(2)));
        List<Long> past = new java.util.ArrayList<>();
        for (int i = 0; i < LatenessScan.BATCH + 30; i++) {
            long id = shipment("Batch " + i + " AG");
            window(id, end);
            past.add(id);
        }
        long moved = shipment("Moved AG");
        window(moved, end);
        window(moved, end.plus(Duration.ofDays(3))); // the customer agreed a later delivery
        try {
            clock.set(end.plus(Duration.ofMinutes(61)));
            LatenessScan.Run run = scan.runOnce();
            assertTrue(run.checked() >= past.size(), run.toString());
            for (long id : past) {
                assertEquals(1, load(id).lateLevel, "shipment #" + id);
                assertEquals(1, count(id, DelayAlerts.ALERT_KIND), "shipment #" + id);
            }
            assertEquals(0, load(moved).lateLevel, "its window now ends in three days");
        } finally {
            clock.set(start);
        }
    }

    /**
     * "Arrives on the 3rd" is stored as the 3rd's last second but says nothing of the hour: on the window's own day it
     * is not late; a later day is.
     */
    @Test
    void aDateWithoutATimeOnTheWindowsDayIsNotLate() {
        delays.saveSettings(tenant.id(), "60", "4", "");
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        java.time.LocalDate day = clock.instant().atZone(berlin).toLocalDate().plusDays(2);
        Instant end = day.atTime(10, 0).atZone(berlin).toInstant();
        long id = shipment("Date Only GmbH");
        window(id, end);
        etas.setManual(tenant.id(), id, day, null, ShipmentActor.system());
        assertEquals(0, load(id).lateLevel, "the window's own day");
        assertEquals(0, count(id, DelayAlerts.ALERT_KIND));
        etas.setManual(tenant.id(), id, day.plusDays(1), null, ShipmentActor.system());
        assertEquals(1, load(id).lateLevel, "the next day starts after the window and threshold");
        assertEquals(1, count(id, DelayAlerts.ALERT_KIND));
    }

    @Test
    void theCustomersThresholdOverridesTheOrganisations() {
        delays.saveSettings(tenant.id(), "60", "4", "");
        delays.setOverride(tenant.id(), "Patient Customer GmbH", "180");
        Instant end = minute(clock.instant().plus(Duration.ofDays(1)));
        long plain = shipment("Hasty Customer AG");
        long patient = shipment("patient customer gmbh");
        window(plain, end);
        window(patient, end);
        eta(plain, end.plus(Duration.ofMinutes(90)));
        eta(patient, end.plus(Duration.ofMinutes(90)));
        assertEquals(1, load(plain).lateLevel, "90 minutes over a 60-minute threshold");
        assertEquals(0, load(patient).lateLevel, "within the customer's 180 minutes");
        eta(patient, end.plus(Duration.ofMinutes(181)));
        assertEquals(1, load(patient).lateLevel);
        // exactly at the threshold is not late
        long edge = shipment("Hasty Customer AG");
        window(edge, end);
        eta(edge, end.plus(Duration.ofMinutes(60)));
        assertEquals(0, load(edge).lateLevel);
    }

    @Test
    void oneStaffAlertPerLevelAndDelayDetectedOnce() throws Exception {
        GreenMail smtp = Smtp.fresh();
        fixtures.settleOutbox();
        String ops = "ops-" + tenant.id() + "@buyer.example";
        delays.saveSettings(tenant.id(), "60", "4", ops);
        rules.create(tenant.id(), new MilestoneRules.RuleInput("DELAY_DETECTED", null, true, null));
        Instant end = minute(clock.instant().plus(Duration.ofDays(1)));
        long id = shipment("Hasty Customer AG");
        window(id, end);

        eta(id, end.plus(Duration.ofMinutes(61)));
        Shipment s = load(id);
        assertEquals(1, s.lateLevel);
        assertEquals(clock.instant(), s.lateSince);
        assertEquals(1, count(id, DelayAlerts.ALERT_KIND));
        assertEquals(1, count(id, MilestoneRules.KIND), "DELAY_DETECTED mailed the customer");
        eta(id, end.plus(Duration.ofMinutes(120)));
        assertEquals(1, count(id, DelayAlerts.ALERT_KIND), "still level 1: no second alert");

        eta(id, end.plus(Duration.ofHours(25).plusMinutes(1)));
        assertEquals(2, load(id).lateLevel);
        assertEquals(2, count(id, DelayAlerts.ALERT_KIND), "level 2: one more alert");
        assertEquals(1, count(id, MilestoneRules.KIND), "the customer is told once");

        // back on time leaves the bucket; late again at an alerted level mails nobody
        eta(id, end);
        assertEquals(0, load(id).lateLevel);
        assertNull(load(id).lateSince);
        eta(id, end.plus(Duration.ofMinutes(90)));
        eta(id, end.plus(Duration.ofHours(30)));
        assertEquals(2, load(id).lateLevel);
        assertEquals(2, count(id, DelayAlerts.ALERT_KIND));

        // threads repeating the event: still one alert per level (PostgreSQL too)
        long other = shipment("Hasty Customer AG");
        window(other, end);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> {
                    eta(other, end.plus(Duration.ofHours(2)));
                    return true;
                });
            }
            @SuppressWarnings("unchecked")
            List<Boolean> done = Races.together(pool, calls.toArray(new Callable[0]));
            assertTrue(done.stream().allMatch(d -> d));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, count(other, DelayAlerts.ALERT_KIND));

        Smtp.deliver(delivery, clock);
        var alerts = Smtp.mailsTo(smtp, ops);
        assertEquals(3, alerts.length);
        assertTrue(alerts[0].getSubject().startsWith("Late shipment"), alerts[0].getSubject());
    }

    @Test
    void deliveredLeavesLateAndANoticeGoesToTheCustomerOnce() {
        Instant end = minute(clock.instant().plus(Duration.ofDays(1)));
        long id = shipment("Hasty Customer AG");
        window(id, end);
        eta(id, end.plus(Duration.ofHours(3)));
        assertEquals(1, load(id).lateLevel);

        var notice = delays.notice(tenant.id(), id).orElseThrow();
        assertTrue(notice.subject().contains("verspätet sich"), notice.subject());
        assertTrue(notice.body().startsWith("Hallo Hasty Customer AG"), notice.body());
        var refused = assertThrows(ValidationException.class,
                () -> delays.sendNotice(tenant.id(), id, " ", "", ShipmentActor.system()));
        assertEquals(2, refused.errors().size(), "subject and body");
        assertEquals(DelayAlerts.Outcome.QUEUED, delays
                .sendNotice(tenant.id(), id, "Verspätung", "Es tut uns leid.", ShipmentActor.system()).orElseThrow());
        assertEquals(DelayAlerts.Outcome.ALREADY_QUEUED, delays
                .sendNotice(tenant.id(), id, "Verspätung", "Es tut uns leid.", ShipmentActor.system()).orElseThrow());
        assertEquals(1, count(id, DelayAlerts.NOTICE_KIND));
        OutboxMessage queued = QuarkusTransaction.requiringNew().call(() -> OutboxMessage
                .<OutboxMessage> find("shipmentId = ?1 and kind = ?2", id, DelayAlerts.NOTICE_KIND).singleResult());
        String body = queued.bodyText;
        assertTrue(body.contains("Es tut uns leid.") && body.contains(Fixtures.BASE_URL + "/t/pt_"), body);

        shipments.changeStage(tenant.id(), id, "Delivered", ShipmentActor.system());
        assertEquals(0, load(id).lateLevel, "delivered is never late");
    }

    @Test
    void theQueueCountsAndListsEachBucketInTheOrganisationsDay() {
        Instant before = clock.instant();
        // the morning of 1 June in Berlin, whatever other tests left on the shared clock
        Instant start = Instant.parse("2026-06-01T09:00:00Z");
        clock.set(start);
        try {
            Instant end = minute(clock.instant().plus(Duration.ofHours(6)));
            long late = shipment("A");
            window(late, end);
            eta(late, end.plus(Duration.ofHours(5)));
            long problem = shipment("B");
            QuarkusTransaction.requiringNew().run(() -> Shipment.<Shipment> findById(problem).openExceptions = 1);
            long silent = shipment("C");
            QuarkusTransaction.requiringNew()
                    .run(() -> Shipment.<Shipment> findById(silent).lastPositionAt = start.minus(Duration.ofHours(5)));
            long fresh = shipment("D");
            QuarkusTransaction.requiringNew()
                    .run(() -> Shipment.<Shipment> findById(fresh).lastPositionAt = start.minus(Duration.ofHours(1)));
            long moving = shipment("E");
            shipments.changeStage(tenant.id(), moving, "In transit", ShipmentActor.system());
            long out = shipment("F");
            shipments.changeStage(tenant.id(), out, "Out for delivery", ShipmentActor.system());
            // delivered late yesterday evening in Berlin (22:30 UTC on the 30th = 00:30 on the 1st in Berlin: today)
            clock.set(Instant.parse("2026-05-31T21:30:00Z"));
            long yesterday = shipment("G");
            shipments.changeStage(tenant.id(), yesterday, "Delivered", ShipmentActor.system());
            clock.set(Instant.parse("2026-05-31T22:30:00Z"));
            long today = shipment("H");
            shipments.changeStage(tenant.id(), today, "Delivered", ShipmentActor.system());
            clock.set(start);
            long unopened = shipment("I");
            trackingLinks.create(tenant.id(), unopened, null, ShipmentActor.system());

            Map<ShipmentQueue.Bucket, Long> counts = queue.counts(tenant.id());
            assertEquals(1, counts.get(ShipmentQueue.Bucket.LATE));
            assertEquals(1, counts.get(ShipmentQueue.Bucket.EXCEPTION));
            assertEquals(3, counts.get(ShipmentQueue.Bucket.NO_POSITION), "silent, moving and out: " + counts);
            assertEquals(1, counts.get(ShipmentQueue.Bucket.OUT_FOR_DELIVERY));
            assertEquals(1, counts.get(ShipmentQueue.Bucket.DELIVERED_TODAY));
            assertEquals(1, counts.get(ShipmentQueue.Bucket.NEVER_OPENED));
            assertEquals(List.of(late), ids(ShipmentQueue.Bucket.LATE));
            assertEquals(List.of(problem), ids(ShipmentQueue.Bucket.EXCEPTION));
            assertEquals(List.of(today), ids(ShipmentQueue.Bucket.DELIVERED_TODAY));
            assertEquals(List.of(unopened), ids(ShipmentQueue.Bucket.NEVER_OPENED));
            assertEquals(List.of(silent), queue.page(tenant.id(), ShipmentQueue.Bucket.NO_POSITION, new Paging(0, 1))
                    .rows().stream().map(ShipmentQueue.Row::id).toList(), "the longest silent first, paged");

            // the organisation's hours: 6 hours without a position is not yet "no position" for it
            delays.saveSettings(tenant.id(), "60", "6", "");
            assertEquals(2, queue.counts(tenant.id()).get(ShipmentQueue.Bucket.NO_POSITION));
            // a day later, the delivered one is no longer today's
            clock.advance(Duration.ofDays(1));
            assertEquals(0, queue.counts(tenant.id()).get(ShipmentQueue.Bucket.DELIVERED_TODAY));
            assertEquals(0, queue.counts(fixtures.tenant("GB").id()).values().stream().mapToLong(l -> l).sum(),
                    "another organisation's queue is empty");
        } finally {
            clock.set(before);
        }
    }

    List<Long> ids(ShipmentQueue.Bucket bucket) {
        return queue.page(tenant.id(), bucket, new Paging(0, 50)).rows().stream().map(ShipmentQueue.Row::id).toList();
    }
}
