package io.portlink.purchasing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When two spellings of a name are one vendor, and when they are not. */
class VendorNamesTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            // the examples: composed é vs e + combining acute; capitals
            "Caf\u00E9 Supplies|Cafe\u0301 Supplies", "ACME PARTS|Acme Parts",
            // spaces: doubled, leading/trailing, no-break, narrow no-break, em, ideographic, tab
            "'  Acme   Parts '|Acme Parts", "Acme\u00A0Parts|Acme Parts", "Acme\u202FParts|Acme Parts",
            "Acme\u2003Parts|Acme Parts", "Acme\u3000Parts|Acme Parts", "Acme\tParts|Acme Parts",
            // invisible characters copy-paste leaves: zero-width space, BOM, soft hyphen, direction mark
            "Acme\u200B Parts|Acme Parts", "\uFEFFAcme Parts|Acme Parts", "Ac\u00ADme Parts|Acme Parts",
            "\u200FAcme Parts|Acme Parts",
            // compatibility forms: full-width letters, ligatures
            "\uFF21\uFF23\uFF2D\uFF25 Parts|ACME Parts", "Pro\uFB01le Supplies|Profile Supplies",
            // full case folding: German sharp s, capital sharp s, Greek final sigma
            "Stra\u00DFe GmbH|STRASSE GMBH", "GRO\u1E9E AG|Gross AG",
            "\u039F\u0394\u039F\u03A3|\u03BF\u03B4\u03BF\u03C3",
            // Turkish: names in capitals typed without the dotted/dotless distinction
            "I\u015EIK Ltd|I\u015F\u0131k Ltd", "\u0130STANBUL BORU|\u0130stanbul Boru",
            "\u0130STANBUL BORU|istanbul boru",
            // typographic apostrophes
            "O\u2019Neill Tools|O'Neill Tools", "Dvo\u0159\u00E1k|DVOR\u030CA\u0301K",
            "\u041E\u041E\u041E \u0420\u043E\u043C\u0430\u0448\u043A\u0430|\u043E\u043E\u043E \u0440\u043E\u043C\u0430\u0448\u043A\u0430" })
    void sameVendor(String a, String b) {
        assertEquals(VendorNames.key(a), VendorNames.key(b));
    }

    @ParameterizedTest(name = "{0} ≠ {1}")
    @CsvSource(delimiter = '|', value = { "Caf\u00E9 Supplies|Cafe Supplies", "Acme Parts|Acme Parts Ltd",
            "Acme Ltd|Acme Ltd.", "Acme Parts|AcmeParts", "\u6DF1\u5733\u534E\u5F3A|\u6DF1\u5733\u83EF\u5F37" })
    void differentVendors(String a, String b) {
        assertNotEquals(VendorNames.key(a), VendorNames.key(b));
    }

    @Test
    void keysAreStableWhenKeyedAgain() {
        for (String name : new String[] { "Caf\u00E9 Supplies", "GRO\u1E9E AG", "\u0130STANBUL",
                "\u039F\u0394\u039F\u03A3", "\uFB03 Stra\u00DFe", "\u1F88 Cafe\u0301" }) {
            String key = VendorNames.key(name);
            assertEquals(key, VendorNames.key(key), name);
        }
    }

    @Test
    void theKeyIsReadableLowerCaseText() {
        assertEquals("caf\u00E9 supplies", VendorNames.key(" CAFE\u0301\u00A0 SUPPLIES "));
    }

    @Test
    void longNamesStayWithinTheIndexLimit() {
        // U+FDFA expands to 18 characters under NFKC: 200 of them would be 3600
        String huge = "\uFDFA".repeat(200);
        String key = VendorNames.key(huge);
        assertTrue(key.length() <= VendorNames.MAX_KEY, "length " + key.length());
        assertNotEquals(key, VendorNames.key("\uFDFA".repeat(199)), "different long names keep different keys");
        assertEquals(key, VendorNames.key(huge));
    }

    @Test
    void anAddressIsTheIdentityWhenThereIsOne() {
        assertEquals("e:orders@acme.example", VendorNames.matchKey("Orders@ACME.example", "Acme"));
        assertEquals("n:acme parts", VendorNames.matchKey(null, "ACME  PARTS"));
    }
}
