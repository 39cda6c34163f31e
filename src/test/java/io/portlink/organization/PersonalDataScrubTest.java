package io.portlink.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * What an erasure's scrub of free text ({@link PersonalDataErasures.Request#scrub}) finds: a phone however it is
 * written (on its digits, a whole number, never a part of a longer one or of another country's), an e-mail address in
 * any case of any alphabet; and what it leaves: references, quantities, dates and other people's phones.
 */
class PersonalDataScrubTest {

    private static PersonalDataErasures.Request byPhone(String phone) {
        var r = new PersonalDataErasures.Request(1, null, PersonalDataErasures.digits(phone), Instant.EPOCH);
        r.learntPhone(phone);
        r.startScrubbing();
        return r;
    }

    @Test
    void everyWritingOfThePhoneIsErased() {
        var r = byPhone("+44 7700 900777");
        for (String written : new String[] { "07700 900777", "+44 (0)7700-900777", "0044 7700 900777", "+447700900777",
                "7700 900 777", "+44 7700 900777", "(07700) 900.777", "0044-7700-900-777" }) {
            assertEquals("Call [erased], thanks", r.scrub("Call " + written + ", thanks", false), written);
        }
        assertEquals("Tel [erased] or [erased] (mobile)",
                r.scrub("Tel 07700 900777 or +44 7700 900 777 (mobile)", false));
    }

    @Test
    void aPhoneNextToOtherNumbersIsErasedAndTheyStay() {
        var r = byPhone("+44 7700 900777");
        assertEquals("Order 42 [erased] 2 pallets", r.scrub("Order 42 07700 900777 2 pallets", false));
        assertEquals("PO-2026-0042 [erased]", r.scrub("PO-2026-0042 07700 900777", false));
    }

    @Test
    void unrelatedNumbersStay() {
        var r = byPhone("+44 7700 900777");
        for (String text : new String[] { "PO-2026-0042", "Qty 7700, 900 777 g", "+33 7700 900777", "0033 7700 900777",
                "07700 9007771", "177009007770", "+44 7700 900778", "07700 900778", "2026-07-09 10:00",
                "+4477009007770", "7700900", "SKU7700900777" }) {
            assertSame(text, r.scrub(text, false), text);
        }
        // no table of country codes: "+44 7700…" may be code 447 and number 700 900777, which is taken too
        assertEquals("ref [erased]", r.scrub("ref 700900777", false));
    }

    @Test
    void aPhoneGivenNationallyIsFoundWrittenInternationally() {
        var r = byPhone("07700 900777");
        assertEquals("[erased] / [erased] / [erased]", r.scrub("+44 7700 900777 / 7700900777 / 07700-900-777", false));
        assertEquals("(020) 7946 0000", r.scrub("(020) 7946 0000", false));
    }

    @Test
    void parenthesesOfTheNumberGoWithIt() {
        var r = byPhone("+44 20 7946 0000");
        assertEquals("Office: [erased].", r.scrub("Office: (020) 7946 0000.", false));
    }

    @Test
    void anUpperCaseNonAsciiAddressIsErased() {
        var r = new PersonalDataErasures.Request(1, "élodie.durand@fabrikam.example", null, Instant.EPOCH);
        r.learnt("Élodie Durand");
        r.startScrubbing();
        assertEquals("Write to [erased] today", r.scrub("Write to ÉLODIE.DURAND@FABRIKAM.EXAMPLE today", false));
        assertEquals("[erased] signed", r.scrub("ÉLODIE DURAND signed", true));
        // the database's lower() may leave É as it is: the pattern does not depend on it
        assertEquals(java.util.List.of(new PersonalDataErasures.TextSearch("%lodie.durand@fabrikam.example%", false,
                java.util.List.of("%lodie.durand&%;fabrikam.example%"))), r.textSearches());
    }

    @Test
    void aLearntNameLeavesOtherAddressesThatHoldIt() {
        var r = new PersonalDataErasures.Request(1, "pat@person.example", null, Instant.EPOCH);
        r.learnt("Ann");
        r.startScrubbing();
        assertEquals("[erased] wrote from ann.smith@corp.example, jo.ann@x.example and ann@shop.example. [erased].",
                r.scrub("Ann wrote from ann.smith@corp.example, jo.ann@x.example and ann@shop.example. Ann.", true));
    }

    @Test
    void aSixDigitPhoneLeavesReferencesThatEndWithItsDigits() {
        var r = byPhone("245099");
        assertEquals("Replaces PO-245099, INV/245099 and order 2026-245099; call [erased] or ([erased]).",
                r.scrub("Replaces PO-245099, INV/245099 and order 2026-245099; call 245 099 or (245099).", false));
    }

    @Test
    void textsAreLeftAloneWhileTheErasureStillLearns() {
        var r = new PersonalDataErasures.Request(1, "pat@person.example", null, Instant.EPOCH);
        String text = "Write to pat@person.example";
        assertSame(text, r.scrub(text, true));
        r.startScrubbing();
        assertEquals("Write to [erased]", r.scrub(text, true));
    }

    @Test
    void aPhoneInFullWidthDigitsAndSeparatorsIsErased() {
        var r = byPhone("+44 7700 900777");
        for (String written : new String[] { "０７７００ ９００７７７", "＋４４ ７７００ ９００７７７", "＋４４ （０）７７００－９００７７７", "０７７００ー９００ー７７７",
                "０７７００\u3000９００７７７", "（０７７００）９００．７７７", "００４４／７７００／９００７７７" }) {
            assertEquals("電話 [erased] まで", r.scrub("電話 " + written + " まで", false), written);
        }
        // the same digits in a reference, a date, a longer number or another country's stay
        for (String text : new String[] { "注文 PO-２０２６-００４２ ２０２６－０７－０９", "０７７００ ９００７７７１", "＋３３ ７７００ ９００７７７",
                "ＳＫＵ７７００９００７７７" }) {
            assertSame(text, r.scrub(text, false), text);
        }
        var six = byPhone("245099");
        assertEquals("PO-２４５０９９ と ２０２６ー２４５０９９、電話 [erased]", six.scrub("PO-２４５０９９ と ２０２６ー２４５０９９、電話 ２４５ ０９９", false));
    }

    @Test
    void aPhoneInArabicIndicDigitsIsErased() {
        var r = byPhone("+44 7700 900777");
        // Arabic-Indic (Arabic) and Extended Arabic-Indic (Persian, Urdu) digits
        for (String written : new String[] { "٠٧٧٠٠ ٩٠٠٧٧٧", "+٤٤ ٧٧٠٠ ٩٠٠٧٧٧", "٠٠٤٤-٧٧٠٠-٩٠٠-٧٧٧", "۰۷۷۰۰ ۹۰۰۷۷۷",
                "+۴۴ (۰)۷۷۰۰ ۹۰۰۷۷۷" }) {
            assertEquals("اتصل [erased] غدا", r.scrub("اتصل " + written + " غدا", false), written);
        }
        for (String text : new String[] { "٢٠٢٦-٠٧-٠٩", "PO-٢٠٢٦-٠٠٤٢", "+٣٣ ٧٧٠٠ ٩٠٠٧٧٧", "٠٧٧٠٠ ٩٠٠٧٧٧١",
                "۱۴۰۵/۰۷/۰۹" }) {
            assertSame(text, r.scrub(text, false), text);
        }
    }

    @Test
    void aRequestInAnotherScriptIsTheSamePhone() {
        var r = byPhone("＋４４ ７７００ ９００７７７");
        assertEquals("447700900777", PersonalDataErasures.digits("＋４４ ７７００ ９００７７７"));
        assertTrue(r.isPhone("+44 7700 900777"));
        assertTrue(r.isPhone("07700 900777"));
        assertEquals("Call [erased] or [erased]", r.scrub("Call 07700 900777 or ٠٧٧٠٠ ٩٠٠٧٧٧", false));
        assertEquals(byPhone("+44 7700 900777").textSearches(), r.textSearches());
    }

    @Test
    void anHtmlEscapedAddressIsErasedAndOtherAddressesStay() {
        var r = new PersonalDataErasures.Request(1, "o'brien&co@shop.example", null, Instant.EPOCH);
        r.startScrubbing();
        for (String written : new String[] { "o&#39;brien&amp;co@shop.example", "o&#x27;brien&#38;co&#64;shop.example",
                "o&apos;brien&amp;co&commat;shop.example", "O&#039;BRIEN&AMP;CO&#x40;SHOP.EXAMPLE",
                "o'brien&co@shop.example" }) {
            assertEquals("<p>The mail to &lt;[erased]&gt; could not be delivered.</p>",
                    r.scrub("<p>The mail to &lt;" + written + "&gt; could not be delivered.</p>", false), written);
        }
        // other people's addresses, escaped or not, stay
        for (String text : new String[] { "<p>jo&#39;o&#39;brien&amp;co@shop.example</p>",
                "<p>o&#39;brien&amp;co@shop.example.au</p>", "<p>x&#39;o&#39;brien&amp;co&#64;shop.example</p>",
                "<p>o&#39;brien&amp;co@shop.examples</p>" }) {
            assertSame(text, r.scrub(text, false), text);
        }
        var brien = new PersonalDataErasures.Request(1, "brien@shop.example", null, Instant.EPOCH);
        brien.startScrubbing();
        for (String text : new String[] { "<p>o&#39;brien@shop.example</p>", "<p>o'brien@shop.example</p>",
                "<p>co&amp;brien@shop.example</p>" }) {
            assertSame(text, brien.scrub(text, false), text);
        }
        assertEquals("<p>&#39;[erased]&#39;</p>", brien.scrub("<p>&#39;brien&#64;shop.example&#39;</p>", false));
    }

    /**
     * An address's later lines in a JSON body (a queued webhook), where a line break is written "\\n": the letter
     * before the line is the escape's, not a word's, and the line goes too.
     */
    @Test
    void anAddressLineAfterAJsonEscapedBreakIsErased() {
        var r = new PersonalDataErasures.Request(1, null, PersonalDataErasures.digits("+44 7700 900123"),
                Instant.EPOCH);
        r.learntPhone("+44 7700 900123");
        r.learntAddress("14 Quinn Lane\nLeeds LS1 4AB");
        r.startScrubbing();
        assertEquals("{\"address\":\"[erased]\\n[erased]\"}",
                r.scrub("{\"address\":\"14 Quinn Lane\\nLeeds LS1 4AB\"}", true));
        // an earlier address of the same person in an older message: its lines still known go
        assertEquals("{\"address\":\"12 Quinn Lane\\n[erased]\"}",
                r.scrub("{\"address\":\"12 Quinn Lane\\nLeeds LS1 4AB\"}", true));
        // a word that merely ends in the line's first letters stays
        assertEquals("Inleeds LS1 4AB", r.scrub("Inleeds LS1 4AB", true));
    }
}
