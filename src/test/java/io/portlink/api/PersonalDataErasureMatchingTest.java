package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.organization.Organization;
import io.portlink.organization.StaffUser;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.purchasing.BuyerNotice;
import io.portlink.purchasing.BuyerNoticeSetting;
import io.portlink.purchasing.OrderRevision;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentException;
import io.portlink.shipment.ShipmentExceptions;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentNote;
import io.portlink.shipment.ShipmentStop;
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

    @Inject
    Outbox outbox;

    /**
     * {@code ascii} with its digits in the script whose zero is {@code zero} (full-width U+FF10, Arabic-Indic U+0660,
     * Extended Arabic-Indic U+06F0), and, for full-width, its "+", parentheses, dashes, dots and slashes full-width
     * too.
     */
    static String inScript(String ascii, char zero) {
        StringBuilder b = new StringBuilder();
        for (char c : ascii.toCharArray()) {
            if (c >= '0' && c <= '9') {
                b.append((char) (zero + c - '0'));
            } else if (zero == '\uFF10' && "+()-./".indexOf(c) >= 0) {
                b.append((char) (c - 0x20 + 0xFF00));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

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
        // records still to be delivered are erased too: the refusal without it has its own test
        // (PersonalDataErasureOpenRecordsTest)
        Map<String, Object> all = new java.util.HashMap<>(body);
        all.put("includeOpen", true);
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(all)
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

    @Test
    void aPhoneWrittenInOtherScriptsIsFoundInTheOrganisationsTextsAndTheirOtherNumbersStay() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String digits = fiveDigits(id());
        String phone = "+44 7700 9" + digits;
        shipment(t, "Pat Person", null, phone);
        // texts on other customers' shipments, found by the database's search: the phone in one script each, with
        // that script's separators, and a reference and dates of the same digits around it
        List<String[]> texts = List.of(
                new String[] { "電話 ", inScript("+44 (0)7700-9" + digits, '\uFF10'),
                        " まで。注文 " + inScript("PO-2026-0042", '\uFF10') + "、" + inScript("2026-07-09", '\uFF10') },
                new String[] { "電話 ", inScript("07700", '\uFF10') + "\u30FC" + inScript("9" + digits, '\uFF10'),
                        "\u3000" + inScript("7700", '\uFF10') + "個" },
                new String[] { "電話（", inScript("0044", '\uFF10') + "\u3000" + inScript("7700.9" + digits, '\uFF10'),
                        "）" + inScript("9" + digits + "1", '\uFF10') },
                new String[] { "اتصل ", inScript("07700 9" + digits, '\u0660'),
                        " — " + inScript("2026-07-09", '\u0660') + " " + inScript("+33 7700 9" + digits, '\u0660') },
                new String[] { "تماس ", inScript("+44 7700 9" + digits, '\u06F0'),
                        " — " + inScript("1405/07/09", '\u06F0') + " " + inScript("7700", '\u06F0') });
        Map<Long, String[]> reported = new LinkedHashMap<>();
        for (String[] text : texts) {
            long another = shipment(t, "Sam Someone", null, "+44 20 7946 0001");
            problems.report(t.id(), another, "OTHER", String.join("", text), true, ShipmentActor.system())
                    .orElseThrow();
            reported.put(another, text);
        }

        erase(t.apiKey(), Map.of("phone", phone)).statusCode(201).body("erased.problemNotes", equalTo(texts.size()));

        reported.forEach((s, text) -> {
            String erased = text[0] + "[erased]" + text[2];
            assertTrue(texts(s).contains(erased), erased + " is not in " + texts(s));
        });
    }

    @Test
    void aRequestWrittenInFullWidthOrArabicIndicDigitsErasesThePerson() {
        for (char zero : new char[] { '\uFF10', '\u0660' }) {
            Fixtures.Tenant t = fixtures.tenant("GB");
            String digits = fiveDigits(id());
            long theirs = shipment(t, "Pat Person", null, "+44 7700 9" + digits);
            shipments.addNote(t.id(), theirs, "CUSTOMER", "Call 07700 9" + digits + " at the gate",
                    ShipmentActor.system()).orElseThrow();

            erase(t.apiKey(), Map.of("phone", inScript("+44 7700 9" + digits, zero))).statusCode(201)
                    .body("erased.shipmentCustomers", equalTo(1)).body("erased.shipmentNotes", equalTo(1));

            QuarkusTransaction.requiringNew().run(() -> {
                assertNull(Shipment.<Shipment> findById(theirs).customerPhone);
                assertNull(Shipment.<Shipment> findById(theirs).customerName);
            });
            assertTrue(texts(theirs).contains("Call [erased] at the gate"), texts(theirs).toString());
        }
    }

    @Test
    void aRequestPastedWithNoBreakSpacesDashesAndDirectionMarksErasesThePerson() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String digits = fiveDigits(id());
        long theirs = shipment(t, "Pat Person", null, "+44 7700 9" + digits);
        // as copied out of a web page or a right-to-left chat: marks around it, no-break spaces, an en dash
        String pasted = "\u200F\u202A+44\u00A07700\u2013" + "9" + digits + "\u202C\u200E";

        erase(t.apiKey(), Map.of("phone", pasted)).statusCode(201).body("erased.shipmentCustomers", equalTo(1));

        QuarkusTransaction.requiringNew().run(() -> assertNull(Shipment.<Shipment> findById(theirs).customerPhone));
    }

    @Test
    void anHtmlEscapedAddressInAPendingMailIsErasedAndAnotherAddressStays() {
        Fixtures.Tenant t = fixtures.tenant("IE");
        String id = id();
        String email = "o'brien-" + id + "@shop.example";
        String local = "o&#39;brien-" + id;
        // the staff notice of a dead mail as the templates write it (a quote escaped, the "@" as it is), and as other
        // HTML writers escape an address
        List<String> forms = List.of(local + "@shop.example", "o&#x27;brien-" + id + "&#64;shop.example",
                "o&apos;brien-" + id + "&commat;shop.example");
        String another = "<p>Also tried d" + local + "@shop.example.</p>";
        List<Long> notices = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            Organization org = Organization.findById(t.id());
            for (String form : forms) {
                OutboxMessage m = outbox.mail(org, "test", t.adminEmail(), "Dead mail");
                m.bodyHtml = "<p>The mail to " + form + " could not be delivered.</p>" + another;
                // waiting for its next attempt, as a notice is while its mail server does not answer
                m.nextAttemptAt = Instant.now().plus(Duration.ofDays(1));
                m.persist();
                notices.add(m.id);
            }
            OutboxMessage m = outbox.mail(org, "test", t.adminEmail(), "Dead mail");
            m.bodyHtml = another;
            m.nextAttemptAt = Instant.now().plus(Duration.ofDays(1));
            m.persist();
            notices.add(m.id);
        });

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.mailTexts", equalTo(forms.size()))
                .body("erased.mails", equalTo(0));

        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < notices.size(); i++) {
                OutboxMessage m = OutboxMessage.findById(notices.get(i));
                assertEquals(OutboxMessage.Status.PENDING, m.status);
                assertEquals(
                        i < forms.size() ? "<p>The mail to [erased] could not be delivered.</p>" + another : another,
                        m.bodyHtml);
            }
        });
    }

    /** Sets the shipment's internal notes (staff's, never shown to the customer). */
    private static void internalNotes(long shipment, String notes) {
        QuarkusTransaction.requiringNew().run(() -> Shipment.<Shipment> findById(shipment).internalNotes = notes);
    }

    private static String internalNotes(long shipment) {
        return QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(shipment).internalNotes);
    }

    @Test
    void internalNotesLoseThePersonsContactsAnywhereAndTheirNameAndAddressOnTheirShipments() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        Fixtures.Tenant elsewhere = fixtures.tenant("GB");
        String email = "ann-" + id() + "@shop.example";
        String digits = fiveDigits(id());
        String phone = "+44 7700 9" + digits;
        String written = "07700 9" + digits;
        String text = "PO-2026-0042: customer Ann Lee called from " + written + ", " + email
                + ", deliver to 12 Home Street, York on 2026-07-09.";
        long theirs = shipments.create(t.id(), new ShipmentInput(Fixtures.uniqueReference(), "Crate",
                new ShipmentInput.CustomerInput("Ann Lee", email, phone, "en"), null, "12 Home Street, York", null),
                ShipmentActor.system()).id();
        internalNotes(theirs, text);
        // another of the person's shipments, its notes at the column's length: "[erased]" is longer than "Ann Lee"
        long full = shipment(t, "Ann Lee", email, null);
        String tail = " ref PO-2026-0042";
        String head = "Ann Lee called. ";
        String atLength = head + "x".repeat(Shipment.INTERNAL_NOTES_LENGTH - head.length() - tail.length()) + tail;
        assertEquals(Shipment.INTERNAL_NOTES_LENGTH, atLength.length());
        internalNotes(full, atLength);
        // another customer's shipment that holds only the person's phone and e-mail (and the same name: someone else's
        // maybe, so it stays there)
        long another = shipment(t, "Sam Someone", "sam@someone.example", "+44 20 7946 0001");
        internalNotes(another, "Ann Lee (" + email + ", " + written + ") asked about PO-2026-0042 on 2026-07-09");
        // the other organisation's shipment of the same person, with the same notes
        long theirsElsewhere = shipment(elsewhere, "Ann Lee", email, phone);
        internalNotes(theirsElsewhere, text);

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentCustomers", equalTo(2))
                .body("erased.shipmentInternalNotes", equalTo(3));

        String left = internalNotes(theirs);
        for (String gone : List.of(email, written, digits, "Ann", "Lee", "Home Street")) {
            assertFalse(left.contains(gone), gone + " is left in " + left);
        }
        assertTrue(left.startsWith("PO-2026-0042: customer [erased] called from [erased], [erased]"), left);
        assertTrue(left.endsWith(" on 2026-07-09."), left);
        String shortened = internalNotes(full);
        assertTrue(shortened.length() <= Shipment.INTERNAL_NOTES_LENGTH, "" + shortened.length());
        assertTrue(shortened.startsWith("[…] called. xxx") && shortened.endsWith(tail), shortened);
        assertEquals("Ann Lee ([erased], [erased]) asked about PO-2026-0042 on 2026-07-09", internalNotes(another));
        assertEquals(text, internalNotes(theirsElsewhere));
        // a repeat finds nothing more
        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentInternalNotes", equalTo(0));
    }

    /** Gives the shipment stops: each {kind, name, address}, in order, in the stop's zone Europe/London. */
    private static void stops(long shipment, String[]... stops) {
        QuarkusTransaction.requiringNew().run(() -> {
            Shipment s = Shipment.findById(shipment);
            for (int i = 0; i < stops.length; i++) {
                ShipmentStop stop = new ShipmentStop();
                stop.shipment = s;
                stop.position = i;
                stop.kind = ShipmentStop.Kind.valueOf(stops[i][0]);
                stop.name = stops[i][1];
                stop.address = stops[i][2];
                stop.zone = "Europe/London";
                stop.persist();
            }
        });
    }

    /** The shipment's stops as "name | address", in order. */
    private static List<String> stops(long shipment) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ShipmentStop.<ShipmentStop> list("shipment.id = ?1 order by position", shipment).stream()
                        .map(st -> st.name + " | " + st.address).toList());
    }

    @Test
    void aStopAtThePersonsHomeLosesTheirNameAndAddressAndTheWarehouseStays() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = "pat-" + id() + "@shop.example";
        String home = "12 Home Lane, Leeds LS1 " + fiveDigits(id());
        // a delivery that also collects the old sofa on the way, at the customer's own address
        long theirs = shipment(t, "Pat Person", email, null);
        stops(theirs, new String[] { "PICKUP", "Warehouse North", "1 Dock Road, Hull" },
                new String[] { "STOP", "Collect the old sofa from Pat Person", home },
                new String[] { "DELIVERY", "Pat Person", home });
        // another customer's shipment picked up from someone of the same name: maybe someone else, so it stays
        long another = shipment(t, "Sam Someone", "sam-" + id() + "@someone.example", null);
        stops(another, new String[] { "PICKUP", "Pat Person", "3 Other Street, York" },
                new String[] { "DELIVERY", "Sam Someone", "4 Far Lane, York" });

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.deliveryAddresses", equalTo(1)).body("erased.otherStops", equalTo(1));

        assertEquals(List.of("Warehouse North | 1 Dock Road, Hull", "Collect the old sofa from [erased] | [erased]",
                "null | null"), stops(theirs));
        assertEquals(List.of("Pat Person | 3 Other Street, York", "Sam Someone | 4 Far Lane, York"), stops(another));
        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.otherStops", equalTo(0));
    }

    /** Order {@code reference} of {@code t}, with {@code set} applied to it in a transaction of its own. */
    private static long order(Fixtures.Tenant t, String reference, java.util.function.Consumer<PurchaseOrder> set) {
        return QuarkusTransaction.requiringNew().call(() -> {
            PurchaseOrder o = PurchaseOrder
                    .<PurchaseOrder> find("organization.id = ?1 and reference = ?2", t.id(), reference).firstResult();
            set.accept(o);
            return o.id;
        });
    }

    /** A notice to {@code t}'s admin of an event of order {@code order}, saying {@code detail}. */
    private static long notice(Fixtures.Tenant t, long order, String detail) {
        return QuarkusTransaction.requiringNew().call(() -> {
            BuyerNotice n = new BuyerNotice();
            n.organizationId = t.id();
            n.staffUserId = StaffUser.<StaffUser> find("email", t.adminEmail()).firstResult().id;
            n.purchaseOrderId = order;
            n.timelineEntryId = Math.abs(UUID.randomUUID().getMostSignificantBits());
            n.kind = "NOTE";
            n.detail = detail;
            n.delivery = BuyerNoticeSetting.Mode.AT_ONCE;
            n.createdAt = Instant.now();
            n.persist();
            return n.id;
        });
    }

    @Test
    void anOrdersNotesAndTheBuyersNoticesLoseThePersonsContactsAnywhereAndTheirNameAndAddressOnTheirOrders() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        Fixtures.Tenant elsewhere = fixtures.tenant("GB");
        String email = "ann-" + id() + "@shop.example";
        String digits = fiveDigits(id());
        String phone = "+44 7700 9" + digits;
        String written = "07700 9" + digits;
        Map<Fixtures.Tenant, String> theirRefs = new LinkedHashMap<>();
        for (Fixtures.Tenant x : List.of(t, elsewhere)) {
            String ref = Fixtures.uniqueReference();
            Map<String, Object> o = new HashMap<>(Fixtures.order(ref, "sales@company.example"));
            o.put("consignee", Map.of("name", "Ann Lee", "email", email, "phone", phone));
            o.put("deliveryAddress", "12 Home Street, York");
            Fixtures.post(x.apiKey(), o).statusCode(201);
            theirRefs.put(x, ref);
        }
        String anotherRef = Fixtures.uniqueReference();
        Fixtures.post(t.apiKey(), Fixtures.order(anotherRef, "sales@company.example")).statusCode(201);
        String note = "Delivered to Ann Lee at 12 Home Street, York, " + written + ", on 2026-07-09 (PO-2026-0042)";
        String cancelled = "Ann Lee (" + email + ") cancelled by phone on 2026-07-09";
        String declined = "Consignee " + email + " / " + written + " refuses deliveries before 2026-07-09";
        long theirs = order(t, theirRefs.get(t), o -> {
            o.vendorNote = note;
            o.cancelReason = cancelled;
        });
        long another = order(t, anotherRef, o -> o.declineReason = declined);
        long theirsElsewhere = order(elsewhere, theirRefs.get(elsewhere), o -> o.vendorNote = note);
        long theirNotice = notice(t, theirs, note);
        long anotherNotice = notice(t, another, "Reason: " + declined);
        long noticeElsewhere = notice(elsewhere, theirsElsewhere, note);

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.orderConsignees", equalTo(1))
                .body("erased.orderNotes", equalTo(2)).body("erased.buyerNotices", equalTo(2));

        String noteLeft = "Delivered to [erased] at [erased], [erased], on 2026-07-09 (PO-2026-0042)";
        String declinedLeft = "Consignee [erased] / [erased] refuses deliveries before 2026-07-09";
        QuarkusTransaction.requiringNew().run(() -> {
            PurchaseOrder o = PurchaseOrder.findById(theirs);
            assertEquals(noteLeft, o.vendorNote);
            assertEquals("[erased] ([erased]) cancelled by phone on 2026-07-09", o.cancelReason);
            assertEquals(declinedLeft, PurchaseOrder.<PurchaseOrder> findById(another).declineReason);
            assertEquals(note, PurchaseOrder.<PurchaseOrder> findById(theirsElsewhere).vendorNote);
            assertEquals(noteLeft, BuyerNotice.<BuyerNotice> findById(theirNotice).detail);
            assertEquals("Reason: " + declinedLeft, BuyerNotice.<BuyerNotice> findById(anotherNotice).detail);
            assertEquals(note, BuyerNotice.<BuyerNotice> findById(noticeElsewhere).detail);
        });
        // a repeat finds nothing more
        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.orderNotes", equalTo(0))
                .body("erased.buyerNotices", equalTo(0));
    }

    @Test
    void aMailServersAnswerLosesThePersonsAddressAndPhone() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        Fixtures.Tenant elsewhere = fixtures.tenant("GB");
        String email = "ann-" + id() + "@shop.example";
        String digits = fiveDigits(id());
        String written = "07700 9" + digits;
        shipment(t, "Ann Lee", email, "+44 7700 9" + digits);
        String rejected = "550 5.1.1 <" + email + ">: Recipient address rejected (2026-07-09, queue 4711)";
        String refused = "422 from the receiver: phone " + written + " is not valid for PO-2026-0042";
        Map<String, Long> ids = new LinkedHashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (Fixtures.Tenant x : List.of(t, elsewhere)) {
                Organization org = Organization.findById(x.id());
                // a mail to the person that failed for good, and a mail to staff that failed for the person's phone
                OutboxMessage toThem = outbox.mail(org, "test", email, "Your delivery");
                toThem.status = OutboxMessage.Status.DEAD;
                toThem.lastError = rejected;
                toThem.persist();
                OutboxMessage toStaff = outbox.mail(org, "test", x.adminEmail(), "Delivery problem");
                toStaff.status = OutboxMessage.Status.DEAD;
                toStaff.lastError = refused;
                toStaff.persist();
                ids.put(x == t ? "toThem" : "toThemElsewhere", toThem.id);
                ids.put(x == t ? "toStaff" : "toStaffElsewhere", toStaff.id);
            }
        });

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.mails", equalTo(1))
                .body("erased.mailTexts", equalTo(1));

        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals("550 5.1.1 <[erased]>: Recipient address rejected (2026-07-09, queue 4711)",
                    OutboxMessage.<OutboxMessage> findById(ids.get("toThem")).lastError);
            assertEquals("422 from the receiver: phone [erased] is not valid for PO-2026-0042",
                    OutboxMessage.<OutboxMessage> findById(ids.get("toStaff")).lastError);
            assertEquals(rejected, OutboxMessage.<OutboxMessage> findById(ids.get("toThemElsewhere")).lastError);
            assertEquals(refused, OutboxMessage.<OutboxMessage> findById(ids.get("toStaffElsewhere")).lastError);
        });
    }

    @Test
    void aLinksLabelOnAShipmentsStageChangesNotesAndProblemReportsLosesThePersonsAddress() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        Fixtures.Tenant elsewhere = fixtures.tenant("GB");
        String email = "jo-" + id() + "@vendor.example";
        // a vendor's contact who shipped an order through the vendor link made for them
        String label = "vendor link #12 (Jo Smith, " + email + ")";
        ShipmentActor link = ShipmentActor.of(io.portlink.timeline.Actor.link(12L, label));
        Map<Fixtures.Tenant, Long> shipped = new LinkedHashMap<>();
        for (Fixtures.Tenant x : List.of(t, elsewhere)) {
            long s = shipments.create(x.id(),
                    new ShipmentInput(Fixtures.uniqueReference(), "Delivery 1",
                            new ShipmentInput.CustomerInput("Sam Someone", "sam@someone.example", null, "en"), null,
                            null, null),
                    link).id();
            shipments.addNote(x.id(), s, "INTERNAL", "Shipped on 2026-07-09", link).orElseThrow();
            problems.report(x.id(), s, "OTHER", "One crate short", true, link).orElseThrow();
            shipped.put(x, s);
        }

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.linkActorLabels", equalTo(3));

        QuarkusTransaction.requiringNew().run(() -> {
            for (var e : shipped.entrySet()) {
                String expected = e.getKey() == t ? "vendor link #12 (Jo Smith, [erased])" : label;
                List<String> labels = new ArrayList<>();
                io.portlink.shipment.ShipmentStageChange.<io.portlink.shipment.ShipmentStageChange> list("shipment.id",
                        e.getValue()).forEach(c -> labels.add(c.actorLabel));
                ShipmentNote.<ShipmentNote> list("shipment.id", e.getValue()).forEach(n -> labels.add(n.actorLabel));
                ShipmentException.<ShipmentException> list("shipment.id", e.getValue())
                        .forEach(p -> labels.add(p.actorLabel));
                assertEquals(List.of(expected, expected, expected), labels);
            }
        });
    }
}
