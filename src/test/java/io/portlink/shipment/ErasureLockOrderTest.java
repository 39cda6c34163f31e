package io.portlink.shipment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.platform.ConflictException;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * An erasure and an edit that gives a shipment of the person a new reference, at once, on PostgreSQL: both take the
 * organisation's row and the shipment's, in the one lock order ({@code Organization.lockForCreating}), so one waits for
 * the other instead of deadlocking into a 409. The interleaving that deadlocked is forced: a driver's change holds the
 * person's first shipment, so the erasure holds the organisation and waits there, then the edit of the second shipment
 * starts; the driver's change commits once both wait.
 */
@QuarkusTest
class ErasureLockOrderTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    DataSource dataSource;

    private ExecutorService pool;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void threads() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    private static String email() {
        return "pat-" + UUID.randomUUID().toString().substring(0, 8) + "@customer.example";
    }

    private long shipment(Fixtures.Tenant t, String email) {
        return shipments.create(t.id(),
                new ShipmentInput(Fixtures.uniqueReference(), "Crate",
                        new ShipmentInput.CustomerInput("Pat Person", email, null, "en"), null, "1 High Street", null),
                ShipmentActor.system()).id();
    }

    /**
     * A driver's change of the shipment in a transaction of its own: its row locked (as every writer of a shipment
     * does) until {@link #release} opens.
     */
    private Future<?> holdByADriver(long shipment) throws InterruptedException {
        CountDownLatch locked = new CountDownLatch(1);
        Future<?> held = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
            Shipment.findById(shipment, LockModeType.PESSIMISTIC_WRITE);
            locked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(locked.await(30, TimeUnit.SECONDS), "the driver's change did not lock the shipment");
        return held;
    }

    /** The erasure of the person by e-mail, as an integration asks for it; started once the first shipment is held. */
    private Future<Response> erasure(Fixtures.Tenant t, String email) throws Exception {
        Future<Response> erasure = pool
                .submit(() -> given().header("Authorization", "Bearer " + t.apiKey()).contentType(ContentType.JSON)
                        .body(Map.of("email", email, "includeOpen", true)).post("/api/v1/personal-data/erasures"));
        // it holds the organisation's row and waits for the first shipment, which the driver holds
        Databases.awaitLockWaits(dataSource, 1);
        return erasure;
    }

    private static String reference(long shipment) {
        return QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(shipment).reference);
    }

    /** What the erasure answered: 201 with both shipments' customers erased, never a 409. */
    private static void erasedBoth(Future<Response> erasure) throws Exception {
        Response erased = erasure.get(60, TimeUnit.SECONDS);
        assertEquals(201, erased.statusCode(), erased.body().asString());
        assertEquals(2, erased.jsonPath().getInt("erased.shipmentCustomers"));
    }

    /** Nothing of the person is left on either shipment, whatever the edit wrote. */
    private static void nothingOfThePersonOn(long... ids) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (long id : ids) {
                Shipment s = Shipment.findById(id);
                assertNull(s.customerEmail, "e-mail of shipment " + s.reference);
                assertNull(s.customerName, "name of shipment " + s.reference);
                assertNull(s.shipTo, "ship-to of shipment " + s.reference);
            }
        });
    }

    @Test
    void anErasureAndAPatchThatChangesTheReferenceAtOnceBothSucceed() throws Exception {
        Databases.assumePostgres(dataSource, "two transactions' row locks at once (pg_stat_activity)");
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = email();
        long first = shipment(t, email);
        long second = shipment(t, email);
        String before = reference(second);
        String after = Fixtures.uniqueReference();
        Future<?> driver = holdByADriver(first);
        Future<Response> erasure = erasure(t, email);
        Future<Response> patch = pool.submit(() -> given().header("Authorization", "Bearer " + t.apiKey())
                .contentType(ContentType.JSON).body(Map.of("reference", after, "title", "Crate, 2 pallets"))
                .patch("/api/v1/shipments/" + before));
        // the patch waits too: for the organisation's row (once: for it while holding the second shipment)
        Databases.awaitLockWaits(dataSource, 2);
        release.countDown();
        driver.get(30, TimeUnit.SECONDS);
        erasedBoth(erasure);
        Response patched = patch.get(60, TimeUnit.SECONDS);
        assertEquals(200, patched.statusCode(), patched.body().asString());
        assertEquals(after, patched.jsonPath().getString("reference"));
        assertEquals(after, reference(second));
        // the patch ran on the erased shipment: it changed what it named and wrote nothing of the person back
        assertEquals("Crate, 2 pallets",
                QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(second).title));
        nothingOfThePersonOn(first, second);
        given().header("Authorization", "Bearer " + t.apiKey()).get("/api/v1/shipments/" + after).then()
                .statusCode(200);
    }

    @Test
    void anErasureDuringAFullEditThatChangesTheReferenceSucceedsAndTheEditorIsAskedToReload() throws Exception {
        Databases.assumePostgres(dataSource, "two transactions' row locks at once (pg_stat_activity)");
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = email();
        long first = shipment(t, email);
        long second = shipment(t, email);
        // the staff's edit form, read before the erasure: the person's fields as they were, and the version
        long seen = shipments.view(t.id(), second).orElseThrow().version();
        String after = Fixtures.uniqueReference();
        ShipmentDraft form = new ShipmentInput(after, "Crate",
                new ShipmentInput.CustomerInput("Pat Person", email, null, "en"), null, "1 High Street", null)
                        .toDraft();
        Future<?> driver = holdByADriver(first);
        Future<Response> erasure = erasure(t, email);
        Future<?> save = pool.submit(() -> shipments.update(t.id(), second, seen, form, ShipmentActor.system()));
        Databases.awaitLockWaits(dataSource, 2);
        release.countDown();
        driver.get(30, TimeUnit.SECONDS);
        erasedBoth(erasure);
        // the erasure changed the shipment under the form: the form's own notice ("changed by someone else meanwhile;
        // reload"), not a deadlock, and the person's fields it still held are not written back
        ExecutionException refused = assertThrows(ExecutionException.class, () -> save.get(60, TimeUnit.SECONDS));
        assertInstanceOf(ConflictException.class, refused.getCause(), String.valueOf(refused.getCause()));
        assertTrue(refused.getCause().getMessage().contains("changed by someone else meanwhile"));
        nothingOfThePersonOn(first, second);
        // reloaded: the form now holds no person, and the new reference is saved
        var reloaded = shipments.view(t.id(), second).orElseThrow();
        ShipmentDraft again = new ShipmentInput(after, "Crate", new ShipmentInput.CustomerInput(null, null, null, null),
                null, null, null).toDraft();
        assertEquals(after, shipments.update(t.id(), second, reloaded.version(), again, ShipmentActor.system())
                .orElseThrow().reference());
        nothingOfThePersonOn(first, second);
    }

    @Test
    void anErasureAndAGalleryReorderOfAnotherShipmentAtOnceBothSucceed() throws Exception {
        Databases.assumePostgres(dataSource, "two transactions' row locks at once (pg_stat_activity)");
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = email();
        shipment(t, email);
        // a colleague's shipment whose gallery photos were uploaded under the person's address: the erasure clears
        // their file names, a child of a shipment it does not otherwise change
        long other = fixtures.shipment(t.id());
        long a = photos.add(t.id(), other, Images.of("png", 40, 30), email + ".png", ShipmentActor.system())
                .orElseThrow().photo().id();
        long b = photos.add(t.id(), other, Images.of("png", 41, 30), "from " + email + ".png", ShipmentActor.system())
                .orElseThrow().photo().id();
        assertTrue(photos.move(t.id(), other, b, -1, ShipmentActor.system()));
        // a transaction holding the first photo's row, so that the erasure queues there before the reorder does
        CountDownLatch locked = new CountDownLatch(1);
        Future<?> holder = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
            ShipmentPhoto.findById(a, LockModeType.PESSIMISTIC_WRITE);
            locked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(locked.await(30, TimeUnit.SECONDS), "the photo was not locked");
        Future<Response> erasure = erasure(t, email);
        // staff move the front photo (b) one place later: the shipment's row, then both photos' positions. With the
        // erasure taking the photos without their shipment, the reorder read them before the erasure changed them and
        // wrote their old file names back after it (or deadlocked with it, as its updates' order fell)
        Future<Boolean> move = pool.submit(() -> photos.move(t.id(), other, b, 1, ShipmentActor.system()));
        Databases.awaitLockWaits(dataSource, 2);
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        Response erased = erasure.get(60, TimeUnit.SECONDS);
        assertEquals(201, erased.statusCode(), erased.body().asString());
        assertEquals(2, erased.jsonPath().getInt("erased.photoFileNames"));
        assertTrue(move.get(60, TimeUnit.SECONDS));
        var gallery = photos.list(t.id(), other);
        assertEquals(java.util.List.of(a, b), gallery.stream().map(ShipmentPhotos.PhotoView::id).toList());
        assertTrue(gallery.stream().allMatch(p -> p.fileName() == null), String.valueOf(gallery));
    }
}
