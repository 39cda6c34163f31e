package io.portlink.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.Session;
import org.junit.jupiter.api.Test;

import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.testing.Fixtures;
import io.portlink.timeline.Actor;
import io.portlink.timeline.TimelineEntry;
import io.portlink.timeline.Visibility;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An erasure on an organisation with many records: the database hands it only the texts that write the person's phone
 * (a number's digits spread over quantities and dates are not it), and it holds one batch of records at a time however
 * many mention the person. Before, a phone's search took every text holding its digits in order, and every holder
 * loaded all it found at once: an erasure by phone on 1,000,000 shipments ran out of memory.
 */
@QuarkusTest
class PersonalDataErasureScaleTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Outbox outbox;

    @Inject
    PersonalDataErasures erasures;

    private long entry(long organizationId, String detail) {
        long shipment = fixtures.shipment(organizationId);
        return QuarkusTransaction.requiringNew().call(() -> {
            TimelineEntry e = new TimelineEntry();
            e.organizationId = organizationId;
            e.shipmentId = shipment;
            e.at = Instant.now();
            e.actorType = Actor.Type.SYSTEM;
            e.actorLabel = "Portlink";
            e.kind = "NOTE";
            e.detail = detail;
            e.visibility = Visibility.INTERNAL;
            e.persist();
            return e.id;
        });
    }

    @Test
    void thePhonesSearchFindsTheTextsThatWriteItAndNotItsDigitsElsewhere() {
        long org = fixtures.tenant("GB").id();
        List<Long> writing = List.of(entry(org, "Call +44 7700 900999 at the gate"),
                entry(org, "Ring 07700-900-999 first"), entry(org, "Mobile +44 (0)7700 900999."),
                entry(org, "(07700) 900.999 is the site manager"), entry(org, "Tel:+447700900999"));
        // each holds 7, 7, 0, 0, 9, 0, 0, 9, 9, 9 in order, which the former search (its digits with anything
        // between) took for the phone
        List<Long> digitsElsewhere = List.of(
                entry(org, "Order 7: 0 damaged, 0 lost, 9 fine; 0 late, 0 early; 9, 9 and 9 kg"),
                entry(org, "PO-7700 of 2026-09-09, 9009 units, 99 cartons"), entry(org, "Ref 77009009990"));
        List<Long> found = timelineTextsFoundFor("+44 7700 900999", org);
        assertEquals(Set.copyOf(writing), Set.copyOf(found), "found " + found + "; the decoys are " + digitsElsewhere);
    }

    @Test
    void aPhoneFieldIsTheNumberInAnyWritingAndNothingElse() {
        long org = fixtures.tenant("GB").id();
        var r = new PersonalDataErasures.Request(org, null, "447700900999", Instant.EPOCH);
        r.learntPhone("+44 7700 900999");
        // a phone field as staff, a shop or an import may have written the person's number
        List<Long> same = List.of(entry(org, "+44 7700 900999"), entry(org, "+44-7700-900-999"),
                entry(org, "(+44) 7700 900999"), entry(org, "07700 900999"), entry(org, "0044 (0)7700 900 999"),
                entry(org, " +447700900999 "));
        // another number, or more than the number
        entry(org, "+44 7700 9009990");
        entry(org, "+1 447700900999");
        entry(org, "+33 7700 900999");
        entry(org, "07700 900999 / 020 7946 0000");
        List<Long> found = QuarkusTransaction.requiringNew().call(() -> {
            var candidates = PersonalDataErasures.ids(
                    "select id from TimelineEntry where organizationId = ?1 and " + r.phoneField("detail", 2, false),
                    org, r.phoneFieldPattern());
            return candidates.stream().filter(id -> r.isPhone(TimelineEntry.<TimelineEntry> findById(id).detail))
                    .toList();
        });
        assertEquals(Set.copyOf(same), Set.copyOf(found));
    }

    /** {@code ascii}'s digits in the script whose zero is {@code zero}. */
    /** The ids of the organisation's timeline entries that the text search of an erasure of {@code phone} reads. */
    private static List<Long> timelineTextsFoundFor(String phone, long org) {
        var r = new PersonalDataErasures.Request(org, null, PersonalDataErasures.digits(phone), Instant.EPOCH);
        r.learntPhone(phone);
        List<Long> found = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (PersonalDataErasures.TextSearch t : r.textSearches()) {
                found.addAll(PersonalDataErasures.ids(
                        "select id from TimelineEntry where organizationId = ?1 and " + t.on("detail", 2),
                        t.parameters(org)));
            }
        });
        return found;
    }

    private static String inScript(String ascii, char zero) {
        StringBuilder b = new StringBuilder();
        ascii.chars().forEach(c -> b.append(c >= '0' && c <= '9' ? (char) (zero + c - '0') : (char) c));
        return b.toString();
    }

    @Test
    void thePhonesSearchFindsItWrittenInEachScriptAndNotItsDigitsElsewhere() {
        long org = fixtures.tenant("GB").id();
        List<Long> writing = List.of(entry(org, "電話 ＋４４ （０）７７００－９００９９９ まで"), entry(org, "電話 ０７７００ー９００\u3000９９９"),
                entry(org, "（０７７００）９００．９９９"), entry(org, "اتصل " + inScript("+44 7700 900999", '\u0660')),
                entry(org, "تماس " + inScript("07700-900-999", '\u06F0')));
        // the digits in order among other numbers, in each script
        List<Long> digitsElsewhere = new ArrayList<>();
        for (char zero : new char[] { '\uFF10', '\u0660', '\u06F0' }) {
            digitsElsewhere.add(
                    entry(org, inScript("Order 7: 0 damaged, 0 lost, 9 fine; 0 late, 0 early; 9, 9 and 9 kg", zero)));
            digitsElsewhere.add(entry(org, inScript("PO-7700 of 2026-09-09, 9009 units, 99 cartons", zero)));
            digitsElsewhere.add(entry(org, inScript("Ref 77009009990", zero)));
        }
        List<Long> found = timelineTextsFoundFor("+44 7700 900999", org);
        assertEquals(Set.copyOf(writing), Set.copyOf(found), "found " + found + "; the decoys are " + digitsElsewhere);
    }

    @Test
    void aPhoneFieldInAnotherScriptIsTheNumber() {
        long org = fixtures.tenant("GB").id();
        var r = new PersonalDataErasures.Request(org, null, "447700900999", Instant.EPOCH);
        r.learntPhone("+44 7700 900999");
        // a phone field as a shop or an import in Japan or the Gulf may have written it
        List<Long> same = List.of(entry(org, "＋４４ ７７００ ９００９９９"), entry(org, "＋４４７７００９００９９９"),
                entry(org, "０７７００ー９００ー９９９"), entry(org, inScript("+44 7700 900999", '\u0660')),
                entry(org, inScript("(0)7700 900 999", '\u06F0')));
        entry(org, "＋４４ ７７００ ９００９９９０");
        entry(org, "＋３３ ７７００ ９００９９９");
        entry(org, inScript("+1 447700900999", '\u0660'));
        List<Long> found = QuarkusTransaction.requiringNew().call(() -> {
            var candidates = PersonalDataErasures.ids(
                    "select id from TimelineEntry where organizationId = ?1 and " + r.phoneField("detail", 2, false),
                    org, r.phoneFieldPattern());
            return candidates.stream().filter(id -> r.isPhone(TimelineEntry.<TimelineEntry> findById(id).detail))
                    .toList();
        });
        assertEquals(Set.copyOf(same), Set.copyOf(found));
    }

    @Test
    void anErasureHoldsOneBatchOfRecordsAtATime() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = "frequent-" + UUID.randomUUID().toString().substring(0, 8) + "@customer.example";
        int n = PersonalDataErasures.BATCH * 2 + 100;
        long shipment = fixtures.shipment(t.id());
        QuarkusTransaction.requiringNew().run(() -> {
            Organization org = Organization.findById(t.id());
            for (int i = 0; i < n; i++) {
                OutboxMessage m = outbox.mail(org, "test", email, "Your delivery " + i);
                m.bodyText = "Dear customer, write to " + email + " with questions.";
                m.persist();
                TimelineEntry e = new TimelineEntry();
                e.organizationId = t.id();
                e.shipmentId = shipment;
                e.at = Instant.now();
                e.actorType = Actor.Type.SYSTEM;
                e.actorLabel = "Portlink";
                e.kind = "NOTE";
                e.detail = "Mail sent to " + email;
                e.visibility = Visibility.INTERNAL;
                e.persist();
            }
        });
        int[] held = { 0 };
        var result = QuarkusTransaction.requiringNew().call(() -> {
            var done = erasures.erase(t.id(), email, null, "test", true);
            held[0] = Panache.getEntityManager().unwrap(Session.class).getStatistics().getEntityCount();
            return done;
        });
        assertEquals(n, result.erased().get("mails"));
        assertEquals(n, result.erased().get("timelineTexts"));
        assertTrue(held[0] < PersonalDataErasures.BATCH,
                "the erasure still held " + held[0] + " records at its end, of " + 2 * n + " it changed");
        long left = QuarkusTransaction.requiringNew()
                .call(() -> TimelineEntry.count("organizationId = ?1 and detail like ?2", t.id(), "%" + email + "%")
                        + OutboxMessage.count("organization.id = ?1 and (recipient = ?2 or bodyText like ?3)", t.id(),
                                email, "%" + email + "%"));
        assertEquals(0, left);
    }
}
