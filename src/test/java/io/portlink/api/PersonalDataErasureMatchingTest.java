package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.purchasing.OrderRevision;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentException;
import io.portlink.shipment.ShipmentExceptions;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentNote;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.portlink.timeline.TimelineEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * What an erasure finds in free text, through the database's own search (H2 or PostgreSQL): the person's phone however
 * staff wrote it (other numbers stay), their e-mail address in upper case of a non-ASCII alphabet, and an e-mail learnt
 * by a later step (a shipment found by the phone) in an earlier step's texts (another order's amendment).
 */
@QuarkusTest
class PersonalDataErasureMatchingTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentExceptions problems;

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Five digits of the id, so that each run's person has a phone of their own. */
    private static String fiveDigits(String id) {
        return id.chars().map(c -> '0' + c % 10).limit(5)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** POST /api/v1/personal-data/erasures with {@code body}, as the key's organisation. */
    static io.restassured.response.ValidatableResponse erase(String key, Map<String, String> body) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/personal-data/erasures").then();
    }

    private long shipment(Fixtures.Tenant t, String name, String email, String phone) {
        return shipment(shipments, t, name, email, phone);
    }

    /** A shipment of {@code t} for a customer with these details. */
    static long shipment(Shipments shipments, Fixtures.Tenant t, String name, String email, String phone) {
        return shipments.create(t.id(),
                new ShipmentInput(Fixtures.uniqueReference(), "Crate",
                        new ShipmentInput.CustomerInput(name, email, phone, "en"), null, null, null),
                ShipmentActor.system()).id();
    }

    /** Every text the shipment keeps: notes, problem reports, timeline details (the tracking page's history). */
    static List<String> texts(long shipment) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> all = new ArrayList<>();
            ShipmentNote.<ShipmentNote> list("shipment.id", shipment).forEach(n -> all.add(n.body));
            ShipmentException.<ShipmentException> list("shipment.id", shipment).forEach(e -> all.add(e.note));
            TimelineEntry.<TimelineEntry> list("shipmentId", shipment).forEach(e -> all.add(e.detail));
            return all;
        });
    }

    @Test
    void thePhoneIsErasedHoweverItIsWrittenAndOtherNumbersStay() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String digits = fiveDigits(id());
        // +44 7700 9dddd d: the national significant number 7700 9dddd d, the national form 07700 9dddd d
        String phone = "+44 7700 9" + digits;
        String nsn = "7700 9" + digits;
        List<String> writings = List.of("07700 9" + digits, "+44 (0)7700-9" + digits, "0044 7700 9" + digits,
                "+447700 9" + digits, "7700 9" + digits.substring(0, 2) + " " + digits.substring(2),
                "(07700) 9" + digits);
        String other = "+44 7700 9" + digits.substring(0, 4) + (char) ('0' + (digits.charAt(4) - '0' + 1) % 10);
        String text = "Call " + String.join(" or ", writings) + ". Not " + other + ", not +33 " + nsn + ", not 1"
                + nsn.replace(" ", "") + "; PO-2026-0042, 12 pallets, due 2026-07-09.";
        long theirs = shipment(t, "Pat Person", null, phone);
        shipments.addNote(t.id(), theirs, "CUSTOMER", text, ShipmentActor.system()).orElseThrow();
        // another customer's shipment: found by the database's search of the organisation's texts
        long another = shipment(t, "Sam Someone", null, "+44 20 7946 0001");
        problems.report(t.id(), another, "OTHER", text, true, ShipmentActor.system()).orElseThrow();

        erase(t.apiKey(), Map.of("phone", phone)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.shipmentNotes", equalTo(1)).body("erased.problemNotes", equalTo(1));

        List<String> kept = List.of(other, "+33 " + nsn, "1" + nsn.replace(" ", ""), "PO-2026-0042", "12 pallets",
                "2026-07-09");
        for (long s : List.of(theirs, another)) {
            List<String> left = texts(s);
            assertTrue(left.stream().anyMatch(x -> x.contains("Call [erased] or [erased]")), left.toString());
            for (String x : left) {
                for (String w : writings) {
                    assertFalse(x.contains(w), w + " is left in " + x);
                }
                for (String k : kept) {
                    assertTrue(!x.contains("Call") || x.contains(k), k + " is kept in " + x);
                }
            }
        }
    }

    @Test
    void aCustomersPhoneWrittenNationallyIsTheirsAndAnotherCountrysIsNot() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String digits = fiveDigits(id());
        long national = shipment(t, "Pat Person", null, "07700 9" + digits);
        long spaced = shipment(t, "Pat Person", null, "+44 (0)7700-9" + digits);
        long france = shipment(t, "Paul Autre", null, "+33 7700 9" + digits);

        erase(t.apiKey(), Map.of("phone", "+44 7700 9" + digits)).statusCode(201).body("erased.shipmentCustomers",
                equalTo(2));

        QuarkusTransaction.requiringNew().run(() -> {
            for (long s : List.of(national, spaced)) {
                Shipment shipment = Shipment.findById(s);
                assertNull(shipment.customerPhone);
                assertNull(shipment.customerName);
            }
            assertEquals("Paul Autre", Shipment.<Shipment> findById(france).customerName);
        });
    }

    @Test
    void anUpperCaseNonAsciiAddressIsErased() {
        Fixtures.Tenant t = fixtures.tenant("FR");
        String email = "élodie.durand-" + id() + "@fabrikam.example";
        String upper = email.toUpperCase(java.util.Locale.ROOT);
        long theirs = shipment(t, "Élodie Durand", email, null);
        long another = shipment(t, "Sam Someone", "sam@someone.example", null);
        problems.report(t.id(), another, "OTHER", "Forwarded to " + upper + " by mistake", true, ShipmentActor.system())
                .orElseThrow();

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.problemNotes", equalTo(1));

        for (long s : List.of(theirs, another)) {
            for (String x : texts(s)) {
                assertFalse(x.toLowerCase(java.util.Locale.ROOT).contains(email), x);
            }
        }
        assertTrue(texts(another).contains("Forwarded to [erased] by mistake"), texts(another).toString());
    }

    @Test
    void anEmailLearntFromAShipmentLeavesTheAmendmentsOfAnotherOrder() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = "pat-" + id() + "@person.example";
        String phone = "+44 7700 9" + fiveDigits(id());
        shipment(t, "Pat Person", email, phone);
        // another order, which once had the person as consignee by e-mail only (the erasure names the phone)
        String ref = Fixtures.uniqueReference();
        Map<String, Object> order = new HashMap<>(Fixtures.order(ref, "sales@company.example"));
        order.put("consignee", Map.of("name", "Goods-in desk", "email", email));
        Fixtures.post(t.apiKey(), order).statusCode(201);
        order.put("consignee", Map.of("name", "Goods-in desk", "email", "goods-in@company.example"));
        given().header("Authorization", "Bearer " + t.apiKey()).header("If-Match", "\"1\"")
                .contentType(ContentType.JSON).body(order).put("/api/v1/purchase-orders/" + ref).then().statusCode(200)
                .body("changed", equalTo(true));

        erase(t.apiKey(), Map.of("phone", phone)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.orderConsignees", equalTo(0)).body("erased.orderRevisions", equalTo(1));

        QuarkusTransaction.requiringNew().run(() -> {
            PurchaseOrder o = PurchaseOrder.<PurchaseOrder> find("organization.id = ?1 and reference = ?2", t.id(), ref)
                    .firstResult();
            List<OrderRevision> revisions = OrderRevision.list("purchaseOrderId", o.id);
            assertEquals(1, revisions.size());
            assertFalse(revisions.get(0).changes.contains(email), revisions.get(0).changes);
            assertTrue(revisions.get(0).changes.contains("goods-in@company.example"), revisions.get(0).changes);
        });
        // a repeat finds nothing more: each text was counted once
        erase(t.apiKey(), Map.of("phone", phone)).statusCode(201).body("erased.orderRevisions", equalTo(0))
                .body("erased.timelineTexts", equalTo(0));
    }
}
