package io.portlink.purchasing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.portlink.platform.Convention;
import io.portlink.platform.Locales;

/**
 * How an organisation's country writes numbers and dates, as the JDK's locale data (CLDR) gives it for the country's
 * main language: every ISO country has one, not only those Portlink lists. A row that changes is a change of how a
 * country's files are read.
 */
class CountryConventionsTest {

    @ParameterizedTest(name = "{0}: {1}, decimal {2}, {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # country | locale | decimal mark | date order
            GB | en_GB | POINT | DAY_FIRST
            US | en_US | POINT | MONTH_FIRST
            DE | de_DE | COMMA | DAY_FIRST
            FR | fr_FR | COMMA | DAY_FIRST
            HU | hu_HU | COMMA | YEAR_FIRST
            RU | ru_RU | COMMA | DAY_FIRST
            UA | uk_UA | COMMA | DAY_FIRST
            ID | id_ID | COMMA | DAY_FIRST
            VN | vi_VN | COMMA | DAY_FIRST
            CO | es_CO | COMMA | DAY_FIRST
            BR | pt_BR | COMMA | DAY_FIRST
            IN | en_IN | POINT | DAY_FIRST
            CH | de_CH | POINT | DAY_FIRST
            BE | nl_BE | COMMA | DAY_FIRST
            CA | en_CA | POINT | YEAR_FIRST
            JP | ja_JP | POINT | YEAR_FIRST
            CN | zh_CN | POINT | YEAR_FIRST
            ZA | en_ZA | COMMA | YEAR_FIRST
            NZ | en_NZ | POINT | DAY_FIRST
            RO | ro_RO | COMMA | DAY_FIRST
            SK | sk_SK | COMMA | DAY_FIRST
            HR | hr_HR | COMMA | DAY_FIRST
            BG | bg_BG | COMMA | DAY_FIRST
            LT | lt_LT | COMMA | YEAR_FIRST
            LV | lv_LV | COMMA | DAY_FIRST
            EE | et_EE | COMMA | DAY_FIRST
            IS | is_IS | COMMA | DAY_FIRST
            RS | sr_RS | COMMA | DAY_FIRST
            UY | es_UY | COMMA | DAY_FIRST
            VE | es_VE | COMMA | DAY_FIRST
            CY | el_CY | COMMA | DAY_FIRST
            MA | fr_MA | COMMA | DAY_FIRST
            TN | fr_TN | COMMA | DAY_FIRST
            LU | fr_LU | COMMA | DAY_FIRST
            PH | ceb_PH | POINT | MONTH_FIRST
            MV | en_001 | POINT | DAY_FIRST
            """)
    void eachCountryReadsAsItsMainLanguageWrites(String country, String locale, Convention.DecimalMark mark,
            Convention.DateOrder dates) {
        assertEquals(locale, Locales.localeOf(country).toString().replace("en__001", "en_001"));
        Convention convention = Convention.of(country, null);
        assertEquals(mark, convention.decimal(), country);
        assertEquals(dates, convention.dates(), country);
    }

    /** Templates write dates, and messages name them, as the country's spreadsheets do; each is read back as it is. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # country | 20 December 2026 | pattern
            GB | 20/12/2026 | DD/MM/YYYY
            US | 12/20/2026 | MM/DD/YYYY
            DE | 20.12.2026 | DD.MM.YYYY
            CH | 20.12.2026 | DD.MM.YYYY
            NL | 20-12-2026 | DD-MM-YYYY
            FR | 20/12/2026 | DD/MM/YYYY
            JP | 2026-12-20 | YYYY-MM-DD
            HU | 2026-12-20 | YYYY-MM-DD
            """)
    void datesAreWrittenWithTheCountrysSeparator(String country, String written, String pattern) {
        Convention convention = Convention.of(country, null);
        var day = java.time.LocalDate.of(2026, 12, 20);
        assertEquals(written, convention.write(day));
        assertEquals(pattern, convention.datePattern());
        var errors = new io.portlink.platform.ValidationException.Builder();
        assertEquals(day, new io.portlink.platform.Fields(errors, 2, 100, convention).date("d", written, true));
        assertEquals(List.of(), errors.errors());
        // the decimal mark chosen for a file leaves its dates as they were
        assertEquals(written, convention.withDecimal(Convention.DecimalMark.POINT).write(day));
    }

    /** The same rule dates the organisation's pages: a Hungarian date, not a US one. */
    @org.junit.jupiter.api.Test
    void pageDatesFollowTheSameLocale() {
        var date = java.time.LocalDate.of(2026, 12, 20);
        assertEquals("2026. dec. 20.", Locales.Format.of("HU", "UTC", null).date(date));
        assertEquals("20 дек. 2026 г.", Locales.Format.of("RU", "UTC", null).date(date));
        assertEquals(new Locale("uk", "UA"), Locales.localeOf("UA"));
    }
}
