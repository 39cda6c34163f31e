package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.platform.ConflictException;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/** Writers of one shipment at the same moment, on real threads (run on PostgreSQL too). */
@QuarkusTest
class ConcurrentShipmentsTest {

    static final int THREADS = 8;

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    private static <T> List<Future<T>> atOnce(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            return futures;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void notesAndStageChangesAtOnceAreAllKept() throws Exception {
        var tenant = fixtures.tenant("GB");
        var s = shipments.create(tenant.id(), ShipmentsTest.input("RACE-1"), ShipmentActor.system());
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int n = i;
            tasks.add(() -> n % 2 == 0
                    ? shipments.addNote(tenant.id(), s.id(), NoteScope.INTERNAL, "note " + n,
                            ShipmentActor.staff(n, "staff" + n + "@example.com")).orElseThrow()
                    : shipments.changeStage(tenant.id(), s.id(), n % 4 == 1 ? "Dispatched" : "In transit",
                            ShipmentActor.staff(n, "staff" + n + "@example.com")).orElseThrow());
        }
        for (Future<Object> f : atOnce(tasks)) {
            f.get(); // none failed on another's change
        }
        assertEquals(THREADS / 2, shipments.notes(tenant.id(), s.id(), null).size());
        var detail = shipments.detail(tenant.id(), s.id()).orElseThrow();
        // each stage change recorded where it came from: the history is one unbroken chain
        var history = detail.history();
        for (int i = 0; i < history.size() - 1; i++) {
            assertEquals(history.get(i + 1).toName(), history.get(i).fromName(), "history " + history);
        }
        assertEquals(history.get(0).toName(), detail.shipment().stage().name());
    }

    @Test
    void oneReferenceCreatedAtOnceMakesOneShipment() throws Exception {
        var tenant = fixtures.tenant("GB");
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            tasks.add(() -> {
                try {
                    shipments.create(tenant.id(), ShipmentsTest.input("RACE-2"), ShipmentActor.system());
                    return "created";
                } catch (ConflictException e) {
                    return "conflict";
                }
            });
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : atOnce(tasks)) {
            outcomes.add(f.get());
        }
        assertEquals(1, outcomes.stream().filter("created"::equals).count(), outcomes.toString());
        assertEquals(THREADS - 1, outcomes.stream().filter("conflict"::equals).count(), outcomes.toString());
    }
}
