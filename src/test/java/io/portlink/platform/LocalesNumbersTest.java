package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * Numbers on pages are written by the locale's number format, or, for the values whose writing is known without it, by
 * {@link Locales.Format#plain}: both must agree, in every locale the JDK has, for quantities (0 to 4 decimals) and
 * money (2 to 4).
 */
class LocalesNumbersTest {

    static final List<String> VALUES = List.of("0", "0.0000", "1", "7", "12.5", "999.9999", "0.012", "0.0001",
            "100.0000", "1E+2", "3.10", "999", "0.5", "40.25", "999.99995", "1000", "1234.5", "-1", "-0.5", "0.00001");

    @Test
    void plainNumbersAreWrittenAsTheLocalesFormatWritesThem() {
        List<String> differ = new ArrayList<>();
        int plain = 0;
        for (Locale locale : Locale.getAvailableLocales()) {
            char mark = Locales.Format.plainMark(locale);
            for (int minFraction : new int[] { 0, 2 }) {
                NumberFormat format = NumberFormat.getNumberInstance(locale);
                format.setMinimumFractionDigits(minFraction);
                format.setMaximumFractionDigits(4);
                for (String v : VALUES) {
                    BigDecimal value = new BigDecimal(v);
                    String written = Locales.Format.plain(value, minFraction, mark);
                    if (written != null) {
                        plain++;
                        if (!written.equals(format.format(value))) {
                            differ.add(locale + " " + v + ": " + written + " against " + format.format(value));
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), differ);
        // most locales take the short way, for the values it covers
        assertEquals(true, plain > Locale.getAvailableLocales().length * 10, "values written the short way: " + plain);
    }

    @Test
    void onlyValuesWithNothingToGroupOrRoundAreWrittenTheShortWay() {
        for (String v : List.of("1000", "1234.5", "-1", "-0.5", "0.00001", "999.99995")) {
            assertNull(Locales.Format.plain(new BigDecimal(v), 0, '.'), v);
        }
        assertEquals("1.234,50 EUR", Locales.Format.of("DE", "UTC", null).money(new BigDecimal("1234.5"), "EUR"));
        assertEquals("0,12 EUR", Locales.Format.of("DE", "UTC", null).money(new BigDecimal("0.12"), "EUR"));
        assertEquals("12.5", Locales.Format.of("GB", "UTC", null).number(new BigDecimal("12.5000")));
        // Arabic digits: the format writes them
        assertEquals(NumberFormat.getNumberInstance(Locale.forLanguageTag("ar-EG")).format(new BigDecimal("12")),
                Locales.Format.of("EG", "UTC", "ar").number(new BigDecimal("12")));
    }

    /** A count inside a sentence ("at most 2,000 characters") is grouped as each of our languages writes it. */
    @Test
    void countsInSentencesAreGroupedAsEachLanguageWritesThem() {
        assertEquals("2,000", Locales.count(2000, "en"));
        assertEquals("2.000", Locales.count(2000, "de"));
        assertEquals("2\u202F000", Locales.count(2000, "fr"), "a narrow no-break space: the number never breaks");
        assertEquals("2000", Locales.count(2000, "es"), "Spanish groups from five digits");
        assertEquals("65.536", Locales.count(65_536, "es"));
        assertEquals("999", Locales.count(999, "fr"));
        assertEquals("-1,000", Locales.count(-1000, "en"));
    }
}
