package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/**
 * Dates are written in the organisation's language by its country's conventions (CLDR's medium format), except that
 * French writes the first of the month as "1er".
 */
class LocalesDatesTest {

    @Test
    void frenchWritesTheFirstOfTheMonthAsAnOrdinalAndEveryOtherDayAsANumber() {
        Locales.Format france = Locales.Format.of("FR", "Europe/Paris", "fr");
        assertEquals("1er janv. 2027", france.date(LocalDate.of(2027, 1, 1)));
        assertEquals("2 janv. 2027", france.date(LocalDate.of(2027, 1, 2)));
        assertEquals("11 févr. 2027", france.date(LocalDate.of(2027, 2, 11)));
        assertEquals("21 juil. 2027", france.date(LocalDate.of(2027, 7, 21)));
        assertEquals("31 déc. 2027", france.date(LocalDate.of(2027, 12, 31)));
        // 08:30 UTC is 09:30 in Paris in winter
        assertEquals("1er déc. 2026 09:30", france.dateTime(Instant.parse("2026-12-01T08:30:00Z")));
        // Canada keeps its own time format
        assertEquals("1er mars 2027 14 h 05",
                Locales.Format.of("CA", "America/Montreal", "fr").dateTime(Instant.parse("2027-03-01T19:05:00Z")));
    }

    @Test
    void otherLanguagesKeepTheirOwnFormat() {
        assertEquals("1 Jan 2027", Locales.Format.of("GB", "Europe/London", "en").date(LocalDate.of(2027, 1, 1)));
        assertEquals("01.01.2027", Locales.Format.of("DE", "Europe/Berlin", "de").date(LocalDate.of(2027, 1, 1)));
        assertEquals("1 ene 2027", Locales.Format.of("ES", "Europe/Madrid", "es").date(LocalDate.of(2027, 1, 1)));
    }
}
