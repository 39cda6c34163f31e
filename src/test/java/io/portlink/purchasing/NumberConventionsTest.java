package io.portlink.purchasing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;

/**
 * Every spelling of a number under both decimal marks: the value stored, or the error a person reads. The table is the
 * rule (Fields.decimal); a row that changes is a change of what Portlink stores.
 */
class NumberConventionsTest {

    static final Convention POINT = new Convention(Convention.DecimalMark.POINT, Convention.DateOrder.DAY_FIRST);
    static final Convention COMMA = new Convention(Convention.DecimalMark.COMMA, Convention.DateOrder.DAY_FIRST);

    /** Reads {@code text} as a CSV cell in row 7 and returns the value, or the error message (with the value). */
    static String read(String text, String mark, boolean jsonNumber) {
        var errors = new ValidationException.Builder();
        Fields f = new Fields(errors, 7, 1000, mark.equals("point") ? POINT : COMMA);
        BigDecimal value = f.decimal("quantity", text, jsonNumber, true, true);
        if (value == null) {
            assertEquals(1, errors.size(), "one error for " + text);
            var e = errors.errors().get(0);
            assertEquals(7, e.row());
            assertEquals("quantity", e.field());
            assertEquals(text.strip(), e.value(), "the error names the value as written");
            return "! " + e.message();
        }
        assertTrue(errors.isEmpty());
        return value.toPlainString();
    }

    @ParameterizedTest(name = "{0} with a decimal {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # spelling        | mark  | stored value, or "! " and the start of the error
            2,500             | point | 2500
            2,500             | comma | ! is that 2,5 or 2500? write 2,5 or 2500
            1.000             | comma | 1000
            1.000             | point | ! is that 1 or 1000? write 1 or 1000
            1,000             | point | 1000
            1,125             | comma | ! is that 1,125 or 1125? write 1,1250 or 1125
            10.000000         | point | 10
            10,000000         | comma | 10
            2.35000           | point | 2.35
            2,35000           | comma | 2.35
            0.125             | point | 0.125
            0,500             | comma | 0.5
            1,5               | comma | 1.5
            1,5               | point | ! is written with a decimal comma, but this import reads a decimal point: write 1.5, or import it with decimal comma
            2.5               | comma | ! is written with a decimal point, but this import reads a decimal comma: write 2,5, or import it with decimal point
            1,234,567.89      | point | 1234567.89
            1.234.567,89      | comma | 1234567.89
            1.234.567,89      | point | ! is written with a decimal comma, but this import reads a decimal point: write 1234567.89
            2.500,00          | comma | 2500
            2,500.00          | point | 2500
            1.000.000         | point | ! is written with a decimal comma, but this import reads a decimal point: write 1000000
            1 000             | point | 1000
            1 000             | comma | 1000
            `1 000,5`         | comma | 1000.5
            `12 345 678,9`    | comma | 12345678.9
            1'000.50          | point | 1000.5
            12,34,567         | point | ! must be a number written with a decimal point (1,234.56), like 12 or 12.5; the separators here are not in groups of three
            1,0000            | point | ! is written with a decimal comma, but this import reads a decimal point: write 1, or import it with decimal comma
            1.5E+3            | point | ! is in scientific notation; write the number in full: 1500
            1,5E+3            | comma | ! is in scientific notation; write the number in full: 1500
            2e2               | point | ! is in scientific notation; write the number in full: 200
            +7                | point | 7
            -3                | point | ! must be a positive number
            0                 | comma | ! must be a positive number
            lots              | point | ! must be a number written with a decimal point (1,234.56), like 12 or 12.5
            12 pcs            | comma | ! must be a number written with a decimal comma (1.234,56), like 12 or 12,5
            ,5                | comma | ! must be a number written with a decimal comma
            1.23456           | point | ! has too many digits (at most 15 before and 4 after the decimal point)
            1.23450           | point | 1.2345
            1234567890123456  | point | ! has too many digits
            123456789012345   | point | 123456789012345
            # a group of thousands never starts with 0: 0,500 is half of something, never 500
            0,500             | point | ! is written with a decimal comma, but this import reads a decimal point: write 0.5, or import it with decimal comma
            0,125             | point | ! is written with a decimal comma, but this import reads a decimal point: write 0.125, or import it with decimal comma
            0,001             | point | ! is written with a decimal comma, but this import reads a decimal point: write 0.001, or import it with decimal comma
            000,500           | point | ! is written with a decimal comma, but this import reads a decimal point: write 0.5, or import it with decimal comma
            0,000,500         | point | ! must be a number written with a decimal point (1,234.56), like 12 or 12.5; a number grouped in thousands does not start with 0
            `0 500`           | point | ! must be a number written with a decimal point (1,234.56), like 12 or 12.5; a number grouped in thousands does not start with 0
            0.500             | comma | ! is written with a decimal point, but this import reads a decimal comma: write 0,5, or import it with decimal point
            0.125             | comma | ! is written with a decimal point, but this import reads a decimal comma: write 0,125, or import it with decimal point
            0.000.500         | comma | ! must be a number written with a decimal comma (1.234,56), like 12 or 12,5; a number grouped in thousands does not start with 0
            0.500             | point | 0.5
            0,125             | comma | 0.125
            # leading zeros count for nothing: 01.000 is as ambiguous as 1.000, 007 is 7, 01,000 no thousand
            01.000            | point | ! is that 1 or 1000? write 1 or 1000
            001,500           | comma | ! is that 1,5 or 1500? write 1,5 or 1500
            01,000            | point | ! is that 1 or 1000? write 1 or 1000
            01.000            | comma | ! is that 1 or 1000? write 1 or 1000
            007               | point | 7
            01.5              | point | 1.5
            01.0000           | point | 1
            """)
    void csvCells(String spelling, String mark, String expected) {
        String got = read(spelling, mark, false);
        if (expected.startsWith("!")) {
            assertTrue(got.startsWith(expected), "expected [" + expected + "] but was [" + got + "]");
        } else {
            assertEquals(expected, got);
        }
    }

    /** French and Swiss spreadsheets group with a no-break or narrow no-break space (invisible in the table above). */
    @org.junit.jupiter.api.Test
    void noBreakSpacesGroupThousands() {
        assertEquals("1000.5", read("1\u00A0000,5", "comma", false));
        assertEquals("1234567.25", read("1\u202F234\u202F567,25", "comma", false));
        assertEquals("1000", read("1\u00A0000", "point", false));
        assertEquals("1000", read("\u00A01000\u202F", "point", false));
        assertTrue(read("1\u00A0000\u202F000", "point", false).startsWith("! "), "one kind of group mark per value");
    }

    /**
     * A staff form that writes a decimal point reads a decimal comma too (12,5), but not one grouped in thousands with
     * points (1.200,5): the refusal offers both ways the form reads, not "this form takes a decimal point".
     */
    @org.junit.jupiter.api.Test
    void aFormWithADecimalPointSaysBothWaysItReads() {
        var errors = new ValidationException.Builder();
        Fields form = new Fields(errors, null, 1000, POINT, true);
        assertEquals(new BigDecimal("1200.5"), form.decimal("quantity", "1200,5", false, true, true));
        assertNull(form.decimal("quantity", "1.200,5", false, true, true));
        assertEquals("is grouped in thousands, which this form does not read: write 1200,5 or 1200.5",
                errors.errors().get(0).message());
    }

    @ParameterizedTest(name = "JSON number {0} with ?decimal={1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1000.0   | point | 1000
            1000.0   | comma | 1000
            1.000    | point | 1
            1.000    | comma | 1
            2.35000  | comma | 2.35
            120      | comma | 120
            1.5E+3   | point | ! is in scientific notation; write the number in full: 1500
            1e3      | comma | ! is in scientific notation; write the number in full: 1000
            """)
    void jsonNumbersAreReadAsJsonWhateverTheMark(String spelling, String mark, String expected) {
        String got = read(spelling, mark, true);
        if (expected.startsWith("!")) {
            assertTrue(got.startsWith(expected), got);
        } else {
            assertEquals(expected, got);
        }
    }

    @ParameterizedTest(name = "{0} under {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-12-20 | DAY_FIRST   | 2026-12-20
            2026-12-20 | MONTH_FIRST | 2026-12-20
            2026/12/20 | YEAR_FIRST  | 2026-12-20
            20/12/2026 | DAY_FIRST   | 2026-12-20
            20.12.2026 | DAY_FIRST   | 2026-12-20
            20-12-2026 | DAY_FIRST   | 2026-12-20
            12/20/2026 | MONTH_FIRST | 2026-12-20
            5/5/2026   | MONTH_FIRST | 2026-05-05
            03/04/2026 | DAY_FIRST   | 2026-04-03
            01/02/2027 | DAY_FIRST   | 2027-02-01
            1.2.2027   | DAY_FIRST   | 2027-02-01
            01.02.2027 | MONTH_FIRST | 2027-02-01
            03/04/2026 | MONTH_FIRST | 2026-03-04
            12/20/2026 | DAY_FIRST   | ! is not a date when read DD/MM/YYYY, as this organisation writes dates; if you mean 20 December 2026, write it as 2026-12-20
            20/12/2026 | YEAR_FIRST  | ! must be a date written YYYY-MM-DD, like 2026-03-31
            20/12/26   | DAY_FIRST   | ! must be a date written YYYY-MM-DD, like 2026-03-31, or DD/MM/YYYY with a four-digit year
            2026-02-30 | DAY_FIRST   | ! is not a date in the calendar
            31/12/2026 | MONTH_FIRST | ! is not a date when read MM/DD/YYYY, as this organisation writes dates; if you mean 31 December 2026, write it as 2026-12-31
            12.20.2026 | MONTH_FIRST | ! is not a date when read DD.MM.YYYY, as dates with dots are read day first; if you mean 20 December 2026, write it as 2026-12-20
            31/02/2026 | DAY_FIRST   | ! is not a date in the calendar
            soon       | DAY_FIRST   | ! must be a date written YYYY-MM-DD
            # requested dates fall in the years 2000 to 2099 (a fixed range: the same file reads the same any day)
            0020-12-20 | DAY_FIRST   | ! must be a date in the years 2000 to 2099 (got the year 20), written YYYY-MM-DD like 2026-03-31
            1900-01-01 | YEAR_FIRST  | ! must be a date in the years 2000 to 2099 (got the year 1900)
            9999-12-31 | MONTH_FIRST | ! must be a date in the years 2000 to 2099 (got the year 9999)
            20/12/0027 | DAY_FIRST   | ! must be a date in the years 2000 to 2099 (got the year 27)
            12/20/2100 | MONTH_FIRST | ! must be a date in the years 2000 to 2099 (got the year 2100)
            2000-01-01 | YEAR_FIRST  | 2000-01-01
            31/12/2099 | DAY_FIRST   | 2099-12-31
            """)
    void dates(String spelling, Convention.DateOrder order, String expected) {
        var errors = new ValidationException.Builder();
        var date = new Fields(errors, 3, 1000, new Convention(Convention.DecimalMark.POINT, order))
                .date("requested_date", spelling, false);
        if (expected.startsWith("!")) {
            assertNull(date);
            String message = "! " + errors.errors().get(0).message();
            assertTrue(message.startsWith(expected), message);
            assertEquals(spelling, errors.errors().get(0).value());
        } else {
            assertEquals(expected, String.valueOf(date));
        }
    }

    /**
     * A date the other way round, typed with a separator the organisation does not write (slashes in Germany, whose
     * dates have dots), names the organisation's own way beside the order it was read in.
     */
    @ParameterizedTest(name = "{0} under {1} with {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            12/20/2027 | DAY_FIRST   | . | ! is not a date when read DD/MM/YYYY, as this organisation writes dates day first (DD.MM.YYYY); if you mean 20 December 2027, write it as 2027-12-20
            12-20-2027 | DAY_FIRST   | - | ! is not a date when read DD-MM-YYYY, as this organisation writes dates; if you mean 20 December 2027, write it as 2027-12-20
            12-20-2027 | DAY_FIRST   | . | ! is not a date when read DD-MM-YYYY, as this organisation writes dates day first (DD.MM.YYYY)
            31-12-2027 | MONTH_FIRST | / | ! is not a date when read MM-DD-YYYY, as this organisation writes dates month first (MM/DD/YYYY)
            12.20.2027 | DAY_FIRST   | / | ! is not a date when read DD.MM.YYYY, as this organisation writes dates day first (DD/MM/YYYY)
            20.12.2027 | DAY_FIRST   | / | 2027-12-20
            """)
    void datesOtherWayRoundNameTheOrganisationsWay(String spelling, Convention.DateOrder order, char separator,
            String expected) {
        var errors = new ValidationException.Builder();
        var date = new Fields(errors, 3, 1000, new Convention(Convention.DecimalMark.POINT, order, separator))
                .date("requested_date", spelling, false);
        if (expected.startsWith("!")) {
            assertNull(date);
            String message = "! " + errors.errors().get(0).message();
            assertTrue(message.startsWith(expected), message);
        } else {
            assertEquals(expected, String.valueOf(date));
        }
    }

    @ParameterizedTest(name = "{0}: {1} and {2}")
    @CsvSource(delimiter = '|', textBlock = """
            GB | POINT | DAY_FIRST
            IE | POINT | DAY_FIRST
            US | POINT | MONTH_FIRST
            DE | COMMA | DAY_FIRST
            FR | COMMA | DAY_FIRST
            ES | COMMA | DAY_FIRST
            CH | POINT | DAY_FIRST
            JP | POINT | YEAR_FIRST
            CN | POINT | YEAR_FIRST
            """)
    void theCountryDecidesTheDefault(String country, Convention.DecimalMark mark, Convention.DateOrder order) {
        assertEquals(mark, Convention.of(country, null).decimal());
        assertEquals(order, Convention.of(country, null).dates());
        assertEquals(Convention.DecimalMark.COMMA, Convention.of(country, Convention.DecimalMark.COMMA).decimal());
    }
}
