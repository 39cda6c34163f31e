package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * An erasure against what staff and customers really write and do: a phone typed with no-break spaces or Unicode
 * dashes, a phone longer than E.164's 15 digits (a phone field takes 40 characters), the person's e-mail and phone in a
 * note on someone else's shipment, a person on more shipments than one batch, the same person in two organisations, and
 * the same request several times at once.
 */
@QuarkusTest
class PersonalDataErasureBreakTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    /** {@code n} digits of a random id, so that each run's person has a phone of their own. */
    private static String digits(int n) {
        return (UUID.randomUUID().toString().replaceAll("[^0-9]", "") + "3141592653589793").substring(0, n);
    }

    private long shipment(Fixtures.Tenant t, String name, String email, String phone) {
        return PersonalDataErasureMatchingTest.shipment(shipments, t, name, email, phone);
    }

    private void note(Fixtures.Tenant t, long shipment, String text) {
        shipments.addNote(t.id(), shipment, "CUSTOMER", text, ShipmentActor.system()).orElseThrow();
    }

    /** The shipment's notes, problem reports and timeline details (what its tracking page and staff see). */
    private static List<String> texts(long shipment) {
        return PersonalDataErasureMatchingTest.texts(shipment);
    }

    @Test
    void aPhoneWrittenWithNoBreakSpacesOrUnicodeDashesIsErased() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String last = "9" + digits(5);
        String phone = "+44 7700 " + last;
        long theirs = shipment(t, "Pat Person", null, phone);
        // as pasted from a mail signature, a web page or a French text (narrow no-break spaces between pairs)
        List<String> writings = List.of("07700\u00A0" + last, "+44\u00A07700\u00A0" + last, "07700\u2011" + last,
                "07700\u2013" + last, "+44\u202F77\u202F00\u202F" + last.substring(0, 2) + "\u202F"
                        + last.substring(2, 4) + "\u202F" + last.substring(4),
                "07700\u2007" + last);
        for (String w : writings) {
            note(t, theirs, "Call " + w + " at the gate");
        }

        PersonalDataErasureMatchingTest.erase(t.apiKey(), Map.of("phone", phone)).statusCode(201)
                .body("erased.shipmentCustomers", equalTo(1)).body("erased.shipmentNotes", equalTo(writings.size()));

        for (String x : texts(theirs)) {
            assertFalse(x.replaceAll("[^0-9]", "").contains(last.substring(1)), "the phone is left in " + x);
        }
        assertTrue(texts(theirs).contains("Call [erased] at the gate"), texts(theirs).toString());
    }

    @Test
    void aPhoneLongerThanFifteenDigitsIsErasedFromTexts() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        // a number with its extension, 18 digits: a phone field takes it (up to 40 characters)
        String phone = "+44 20 7946 " + digits(4) + " 012345";
        long theirs = shipment(t, "Pat Person", null, phone);
        note(t, theirs, "Call " + phone + " at the gate");

        PersonalDataErasureMatchingTest.erase(t.apiKey(), Map.of("phone", phone)).statusCode(201)
                .body("erased.shipmentCustomers", equalTo(1)).body("erased.shipmentNotes", equalTo(1));

        for (String x : texts(theirs)) {
            assertFalse(x.contains(phone), "the phone is left in " + x);
        }
    }

    @Test
    void aNoteOnAnotherShipmentLosesTheEmailAndTheLearntPhone() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = "pat-" + digits(8) + "@person.example";
        String phone = "+44 7700 9" + digits(5);
        shipment(t, "Pat Person", email, phone);
        long another = shipment(t, "Sam Someone", "sam@someone.example", null);
        // the request names the e-mail: the phone is learnt from the person's shipment
        note(t, another, "Pat Person asked to send it on; reach them at " + email + " or " + phone);

        PersonalDataErasureMatchingTest.erase(t.apiKey(), Map.of("email", email)).statusCode(201)
                .body("erased.shipmentCustomers", equalTo(1)).body("erased.shipmentNotes", equalTo(1));

        List<String> left = texts(another);
        for (String x : left) {
            assertFalse(x.contains(email), "the e-mail is left in " + x);
            assertFalse(x.contains(phone), "the phone is left in " + x);
        }
        // the name is erased only where the person's records were found: it may be someone else's here
        assertTrue(left.contains("Pat Person asked to send it on; reach them at [erased] or [erased]"),
                left.toString());
        PersonalDataErasureMatchingTest.erase(t.apiKey(), Map.of("email", email)).statusCode(201)
                .body("erased.shipmentNotes", equalTo(0)).body("erased.timelineTexts", equalTo(0));
    }

    @Test
    void aPersonOnMoreShipmentsThanABatchIsErasedOnEachOnceAndOnlyInTheirOrganisation() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        Fixtures.Tenant elsewhere = fixtures.tenant("GB");
        String phone = "+44 7700 9" + digits(5);
        // one more than a batch of 500, in two writings of the same number
        int n = 501;
        for (int i = 0; i < n; i++) {
            shipment(t, "Pat Person", null, i % 2 == 0 ? phone : phone.replace(" ", "-"));
        }
        long theirsElsewhere = shipment(elsewhere, "Pat Person", null, phone);

        PersonalDataErasureMatchingTest.erase(t.apiKey(), Map.of("phone", phone)).statusCode(201)
                .body("erased.shipmentCustomers", equalTo(n));
        PersonalDataErasureMatchingTest.erase(t.apiKey(), Map.of("phone", phone)).statusCode(201)
                .body("erased.shipmentCustomers", equalTo(0)).body("erased.timelineTexts", equalTo(0));

        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(0, Shipment.count(
                    "organization.id = ?1 and (customerPhone is not null" + " or customerName is not null)", t.id()));
            Shipment kept = Shipment.findById(theirsElsewhere);
            assertEquals(phone, kept.customerPhone);
            assertEquals("Pat Person", kept.customerName);
        });
    }

    @Test
    void theSameRequestSeveralTimesAtOnceAnswers201EachAndErasesOnce() throws Exception {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String phone = "+44 7700 9" + digits(5);
        int n = 20;
        for (int i = 0; i < n; i++) {
            note(t, shipment(t, "Pat Person", null, phone), "Call " + phone);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<io.restassured.response.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return given().header("Authorization", "Bearer " + t.apiKey()).contentType(ContentType.JSON)
                            .body(Map.of("phone", phone, "includeOpen", true)).post("/api/v1/personal-data/erasures");
                }));
            }
            start.countDown();
            int customers = 0;
            int notes = 0;
            for (var a : answers) {
                var r = a.get();
                assertEquals(201, r.statusCode(), r.body().asString());
                customers += r.jsonPath().getInt("erased.shipmentCustomers");
                notes += r.jsonPath().getInt("erased.shipmentNotes");
            }
            assertEquals(n, customers);
            assertEquals(n, notes);
        } finally {
            pool.shutdownNow();
        }
        QuarkusTransaction.requiringNew().run(() -> assertNull(
                Shipment.<Shipment> find("organization.id = ?1 and customerPhone is not null", t.id()).firstResult()));
    }

    @Test
    void anErasureWhileTheShipmentIsBeingChangedWaitsAndSucceeds() throws Exception {
        // a row lock held by another transaction is only visible on PostgreSQL (pg_stat_activity)
        Assumptions.assumeTrue("postgresql".equals(
                ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.db-kind", String.class).orElse("")));
        Fixtures.Tenant t = fixtures.tenant("GB");
        String phone = "+44 7700 9" + digits(5);
        long s = shipment(t, "Pat Person", null, phone);
        CountDownLatch changed = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        // as a driver's or vendor's post does: the shipment locked and changed, committed a moment later
        var driver = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            Shipment sh = Shipment.findById(s, LockModeType.PESSIMISTIC_WRITE);
            sh.stageChangedAt = Instant.now();
            Panache.getEntityManager().flush();
            changed.countDown();
            try {
                commit.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        changed.await();
        var erasure = CompletableFuture
                .supplyAsync(() -> given().header("Authorization", "Bearer " + t.apiKey()).contentType(ContentType.JSON)
                        .body(Map.of("phone", phone, "includeOpen", true)).post("/api/v1/personal-data/erasures"));
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until && QuarkusTransaction.requiringNew()
                .call(() -> ((Number) Panache.getEntityManager()
                        .createNativeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")
                        .getSingleResult()).longValue()) == 0) {
            Thread.onSpinWait();
        }
        commit.countDown();
        driver.get();
        var answer = erasure.get();
        assertEquals(201, answer.statusCode(), answer.body().asString());
        assertEquals(1, answer.jsonPath().getInt("erased.shipmentCustomers"));
    }
}
