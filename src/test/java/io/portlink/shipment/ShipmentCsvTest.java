package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.portlink.platform.Convention;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/** The shipments CSV alone: the shared file rules, the input's field rules under column names, and the template. */
class ShipmentCsvTest {

    record Limits(long maxBytes, int maxRows, int maxFieldLength) implements PortlinkConfig.Import {
    }

    static final Limits LIMITS = new Limits(1_000_000, 100, 200);
    static final Convention GB = Convention.of("GB", null);
    static final Convention DE = Convention.of("DE", null);

    static ShipmentCsv.Parsed read(String text, Limits limits, Convention convention) {
        return ShipmentCsv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limits, convention);
    }

    static List<String> problems(ShipmentCsv.Parsed parsed) {
        return parsed.errors().stream().map(ValidationException.FieldError::describe).toList();
    }

    @Test
    void fieldErrorsNameTheColumnNotTheJsonPath() {
        var parsed = read("reference,title,customer_email,customer_language,cost,currency,estimated_arrival\n"
                + "SH-1,Car,bad,xx,1.000,,31/12/2027\n" + "SH-2,Van,,,,,2027-13-01\n", LIMITS, GB);
        assertEquals(
                List.of("row 2, customer_email: must be an e-mail address like orders@vendor.example (got \"bad\")",
                        "row 2, customer_language: must be one of en, de, fr, es (got \"xx\")"),
                problems(parsed).subList(0, 2));
        assertTrue(problems(parsed).stream().anyMatch(p -> p.startsWith("row 2, cost: is that 1 or 1000?")),
                problems(parsed).toString());
        assertTrue(problems(parsed).stream().anyMatch(p -> p.startsWith("row 3, estimated_arrival:")),
                problems(parsed).toString());
        assertNull(parsed.rows().get(0).draft(), "a row with problems carries no draft");
    }

    @Test
    void aGoodRowIsReadUnderTheOrganisationsConvention() {
        var parsed = read(
                "Reference;Title;Stage;Estimated_Arrival;Currency;Cost;Ship_To\r\n"
                        + "SH-1;Load 4471;Dispatched;20.12.2027;EUR;1.250,5;\"Dock 4\r\nHamburg\"\r\n;;;;;;\r\n",
                LIMITS, DE);
        assertEquals(List.of(), parsed.errors());
        var row = parsed.rows().get(0);
        assertEquals(new BigDecimal("1250.5"), row.draft().cost());
        assertEquals(LocalDate.of(2027, 12, 20), row.estimatedArrival());
        assertEquals("Dispatched", row.stage());
        assertEquals("Dock 4\nHamburg", row.draft().shipTo());
    }

    @Test
    void oneRowPerShipment() {
        var parsed = read("reference,title\nSH-1,A\nSH-2,B\nSH-1,C\n", LIMITS, GB);
        assertEquals(List.of("row 4, reference: is also on row 2; one row per shipment: remove one of them or give it"
                + " another reference (got \"SH-1\")"), problems(parsed));
    }

    @Test
    void headerAndLimitsAreTheSharedOnes() {
        assertTrue(problems(read("reference,name\nSH-1,A\n", LIMITS, GB)).containsAll(
                List.of("row 1, name: is not a known column; the columns are " + String.join(", ", ShipmentCsv.COLUMNS),
                        "row 1, title: column is missing from the header")));
        var rows = new StringBuilder("reference,title\n");
        for (int i = 0; i < 101; i++) {
            rows.append("SH-").append(i).append(",T\n");
        }
        assertTrue(problems(read(rows.toString(), LIMITS, GB)).get(0).contains("more than 100 rows"));
        assertTrue(problems(read(rows.toString(), new Limits(500, 1000, 200), GB)).get(0).contains("larger than"));
        // named by its row and column
        String tooLong = problems(read("reference,title\nSH-1," + "x".repeat(300) + "\n", LIMITS, GB)).get(0);
        assertTrue(tooLong.startsWith("row 2, title: ")
                && tooLong.contains("is longer than 200 characters, the limit of a cell"), tooLong);
        assertTrue(problems(read("reference,title\n,,\n", LIMITS, GB)).get(0).contains("no shipment rows"));
        // a header's trailing delimiters name no column a row must fill
        assertEquals(List.of(), read("reference,title,,\nSH-1,A\nSH-2,B,,\n", LIMITS, GB).errors());
        // a short row (a lost delimiter moves values left) is refused like a long one, never read into other columns
        assertEquals(
                List.of("row 2, file: has 3 cells but the header names 5 columns: give every column a cell, an"
                        + " empty one too (ship_to is the first missing), so that no value lands in another's column"),
                problems(read("reference,title,customer_name,ship_to,stage\nSH-1,\"Pallets, blue\",Hans\n", LIMITS,
                        GB)));
    }

    @Test
    void theTemplateReadsBackInEveryConvention() {
        for (String country : List.of("GB", "DE", "US", "JP", "FR")) {
            Convention convention = Convention.of(country, null);
            var parsed = read(ShipmentCsv.template(convention, "EUR", 2027, "Booked"), LIMITS, convention);
            assertEquals(List.of(), parsed.errors(), country);
            var row = parsed.rows().get(0);
            assertEquals(new BigDecimal("41250.5"), row.draft().cost(), country);
            assertEquals(LocalDate.of(2027, 12, 20), row.estimatedArrival(), country);
            assertEquals(
                    new ShipmentStops.StopInput("PICKUP", "Daikoku Pier", "Daikoku Pier, Tsurumi-ku\nYokohama, Japan",
                            "35.4606", "139.6794", "Asia/Tokyo", "2027-10-20T08:00", "2027-10-20T17:00"),
                    row.pickup().input(), country);
            assertEquals("-1.4044", row.delivery().input().longitude(), country);
            assertEquals("2027-12-20T12:00", row.delivery().input().windowTo(), country);
        }
    }

    /** Stop cells are read as the file writes dates and numbers; every other stop rule is ShipmentStops'. */
    @Test
    void stopWindowsAreADateAsTheFileWritesItAndATime() {
        String header = "reference;title;pickup_latitude;pickup_longitude;pickup_window_from;pickup_window_to;"
                + "delivery_name\n";
        var de = read(header + "SH-1;A;52,52;-0,5;20.12.2027 9:00;2027-12-20T17:30:00;Lager\n", LIMITS, DE);
        assertEquals(List.of(), de.errors());
        var pickup = de.rows().get(0).pickup();
        assertEquals(List.of("52.52", "-0.5", "2027-12-20T09:00", "2027-12-20T17:30"),
                List.of(pickup.input().latitude(), pickup.input().longitude(), pickup.input().windowFrom(),
                        pickup.input().windowTo()));
        assertNull(pickup.input().zone(), "an empty zone is left for the importer (the organisation's)");
        assertEquals(new ShipmentStops.StopInput("DELIVERY", "Lager", null, null, null, null, null, null),
                de.rows().get(0).delivery().input());

        var gb = read(header.replace(';', ',') + "SH-1,A,,,20/12/2027,12/20/2027 09:00,\n"
                + "SH-2,B,,,2027-12-20 24:00,20/12/2027 9am,\n" + "SH-3,C,,,,,\n"
                + "SH-4,D,,,20/12/27 09:00,20/12/2027 17:30:59,\n", LIMITS, GB);
        assertEquals(List.of(
                "row 2, pickup_window_from: must be a date and time written YYYY-MM-DD HH:MM, like 2026-12-01 09:00,"
                        + " or DD/MM/YYYY HH:MM (got \"20/12/2027\")",
                "row 2, pickup_window_to: is not a date when read DD/MM/YYYY, as this organisation writes dates; if you"
                        + " mean 20 December 2027, write it as 2027-12-20, then the time HH:MM (got \"12/20/2027 09:00\")",
                "row 3, pickup_window_from: has no such time of day; must be a date and time written YYYY-MM-DD HH:MM,"
                        + " like 2026-12-01 09:00, or DD/MM/YYYY HH:MM (got \"2027-12-20 24:00\")",
                "row 3, pickup_window_to: must be a date and time written YYYY-MM-DD HH:MM, like 2026-12-01 09:00, or"
                        + " DD/MM/YYYY HH:MM (got \"20/12/2027 9am\")",
                // a two-digit year says the date's rule and where the time goes; seconds are refused, not dropped
                "row 5, pickup_window_from: must be a date written YYYY-MM-DD, like 2026-03-31, or DD/MM/YYYY with a"
                        + " four-digit year, then the time HH:MM (got \"20/12/27 09:00\")",
                "row 5, pickup_window_to: is to the minute: write it without seconds, as 20/12/2027 17:30 (got"
                        + " \"20/12/2027 17:30:59\")"),
                problems(gb));
        assertNull(gb.rows().get(0).draft(), "a row with a bad window carries no draft");
        assertNull(gb.rows().get(2).pickup(), "empty stop cells give no stop");
        assertNull(gb.rows().get(2).delivery());
    }
}
