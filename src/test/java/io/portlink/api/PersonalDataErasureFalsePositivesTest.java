package io.portlink.api;

import static io.portlink.api.PersonalDataErasureMatchingTest.erase;
import static io.portlink.api.PersonalDataErasureMatchingTest.inScript;
import static io.portlink.api.PersonalDataErasureMatchingTest.texts;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.organization.Organization;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentExceptions;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What an erasure must leave as it is: another person's address that holds the person's, an HTML mail's markup around
 * the mention, other numbers and other organisations' texts; and the person's phone in writings that mix scripts and
 * separators, found by the database's own search (H2 or PostgreSQL).
 */
@QuarkusTest
class PersonalDataErasureFalsePositivesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentExceptions problems;

    @Inject
    Outbox outbox;

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private long shipment(Fixtures.Tenant t, String name, String email, String phone) {
        return PersonalDataErasureMatchingTest.shipment(shipments, t, name, email, phone);
    }

    /** A problem report on a shipment of someone else, found by the database's search of the organisation's texts. */
    private long reportOnAnother(Fixtures.Tenant t, String text) {
        long another = shipment(t, "Sam Someone", null, "+44 20 7946 0001");
        problems.report(t.id(), another, "OTHER", text, true, ShipmentActor.system()).orElseThrow();
        return another;
    }

    /** A mail of {@code t} waiting to be sent, with this HTML body. */
    private long pendingMail(Fixtures.Tenant t, String html) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OutboxMessage m = outbox.mail(Organization.findById(t.id()), "test", t.adminEmail(), "Notice");
            m.bodyHtml = html;
            m.nextAttemptAt = Instant.now().plus(Duration.ofDays(1));
            m.persist();
            return m.id;
        });
    }

    private static String html(long mail) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage> findById(mail).bodyHtml);
    }

    @Test
    void anotherAddressWrittenWithATypographicApostropheKeepsItsLocalPart() {
        Fixtures.Tenant t = fixtures.tenant("IE");
        String email = "brien-" + id() + "@shop.example";
        shipment(t, "Brien Person", email, null);
        // o’brien-…@shop.example is another person's address, as a word processor or an HTML writer writes its quote
        List<String> others = List.of("o\u2019" + email, "o&rsquo;" + email, "o&#8217;" + email, "o\u2018" + email);
        List<Long> reports = new ArrayList<>();
        for (String other : others) {
            reports.add(reportOnAnother(t, "Forwarded from " + other + " yesterday"));
        }

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.problemNotes", equalTo(0));

        for (int i = 0; i < others.size(); i++) {
            assertTrue(texts(reports.get(i)).contains("Forwarded from " + others.get(i) + " yesterday"),
                    texts(reports.get(i)).toString());
        }
    }

    @Test
    void aSixDigitPhoneLeavesAnHtmlMailsColoursAndCharacterReferences() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        // the grey every HTML mail of the service writes its footer in, and an emoji as a numeric reference
        long mail = pendingMail(t, "<p style=\"color: #667085; font-size: 13px;\">Call 66 70 85 at the gate"
                + " &#128077;</p><a href=\"#128077\">top</a>");
        long emoji = pendingMail(t, "<p>Thanks &#128077;</p>");
        long theirs = shipment(t, "Pat Person", null, "667085");
        long other = shipment(t, "Sam Someone", null, "128077");

        erase(t.apiKey(), Map.of("phone", "66 70 85")).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.mailTexts", equalTo(1));
        erase(t.apiKey(), Map.of("phone", "128077")).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.mailTexts", equalTo(0));

        assertEquals("<p style=\"color: #667085; font-size: 13px;\">Call [erased] at the gate &#128077;</p>"
                + "<a href=\"#128077\">top</a>", html(mail));
        assertEquals("<p>Thanks &#128077;</p>", html(emoji));
        assertTrue(theirs != other);
    }

    @Test
    void thePhoneWrittenWithMixedSeparatorsIsFoundAndOtherScriptsNumbersAndOrganisationsStay() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        Fixtures.Tenant elsewhere = fixtures.tenant("GB");
        String digits = String.valueOf(10000 + (int) (Math.random() * 89999));
        String phone = "+44 7700 9" + digits;
        shipment(t, "Pat Person", null, phone);
        String fullWidth = inScript("+44", '\uFF10') + " (0)" + inScript("7700", '\uFF10') + "\u3000"
                + inScript("9" + digits, '\uFF10');
        String mixedSeparators = "+44 (0) 7700-9" + digits.substring(0, 2) + "." + digits.substring(2);
        String arabicSpaced = inScript("0 7 7 0 0 9 " + String.join(" ", digits.split("")), '\u0660');
        long mixed = reportOnAnother(t, "Tel " + fullWidth + " / " + mixedSeparators + " / " + arabicSpaced + ".");
        // the same digits in Devanagari, a reference, another country's number and a longer number stay
        String kept = "फ़ोन \u0966\u096D\u096D\u0966\u0966 \u096F" + digits + " ... "
                + inScript("PO-2026-0042", '\uFF10') + " " + inScript("+33 7700 9" + digits, '\u0660') + " 07700 9"
                + digits + "1";
        long stays = reportOnAnother(t, kept);
        long otherOrganisation = PersonalDataErasureMatchingTest.shipment(shipments, elsewhere, "Pat Person", null,
                phone);
        problems.report(elsewhere.id(), otherOrganisation, "OTHER", "Tel " + fullWidth, true, ShipmentActor.system())
                .orElseThrow();

        erase(t.apiKey(), Map.of("phone", inScript("+44 7700 9" + digits, '\u0660'))).statusCode(201)
                .body("erased.shipmentCustomers", equalTo(1)).body("erased.problemNotes", equalTo(1));

        assertTrue(texts(mixed).contains("Tel [erased] / [erased] / [erased]."), texts(mixed).toString());
        assertTrue(texts(stays).contains(kept), texts(stays).toString());
        assertTrue(texts(otherOrganisation).contains("Tel " + fullWidth), texts(otherOrganisation).toString());
    }

    @Test
    void anAddressWithLikeAndRegexCharactersIsFoundWholeAndOnlyItself() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String local = "a_b%c+d.e'f!g-" + id();
        String email = local + "@shop.example";
        shipment(t, "Ann Person", email, null);
        String escaped = local.replace("'", "&#39;");
        List<String> others = List.of("aXb%c+d.e'f!g-" + email.substring(14), "a_bYc+d.e'f!g-" + email.substring(14),
                "x." + email, local + "@shop.example.au", local.replace("'", "") + "@shop.example",
                local + "@shopXexample");
        String mine = "Mine: " + email + " and " + escaped + "&#64;shop.example";
        long theirs = reportOnAnother(t, mine);
        long notTheirs = reportOnAnother(t, "Others: " + String.join(" ", others));

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.problemNotes", equalTo(1));

        assertTrue(texts(theirs).contains("Mine: [erased] and [erased]"), texts(theirs).toString());
        assertTrue(texts(notTheirs).contains("Others: " + String.join(" ", others)), texts(notTheirs).toString());
    }
}
