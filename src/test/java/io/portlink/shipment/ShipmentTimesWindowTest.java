package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import io.portlink.platform.Locales;

/**
 * A stop's window end is written as a time alone when the window starts on the same day in the stop's zone, and with
 * its date when it ends on another day there (a night window), whatever day it is in UTC.
 */
class ShipmentTimesWindowTest {

    private static ShipmentTimes times(String language) {
        return new ShipmentTimes(Locales.Format.of("GB", "Europe/London", language), ZoneId.of("Europe/London"));
    }

    @Test
    void aWindowWithinOneDayEndsWithItsTimeAlone() {
        // 09:00–12:00 in Berlin
        assertEquals("12:00", times("en").windowEnd(Instant.parse("2026-12-03T08:00:00Z"),
                Instant.parse("2026-12-03T11:00:00Z"), "Europe/Berlin"));
        assertEquals("12:00", times("de").windowEnd(Instant.parse("2026-12-03T08:00:00Z"),
                Instant.parse("2026-12-03T11:00:00Z"), "Europe/Berlin"));
    }

    @Test
    void aWindowOverMidnightInTheStopsZoneKeepsTheDate() {
        // 21:00 on the 3rd to 02:00 on the 4th in Berlin
        assertEquals("4 Dec 2026, 02:00", times("en").windowEnd(Instant.parse("2026-12-03T20:00:00Z"),
                Instant.parse("2026-12-04T01:00:00Z"), "Europe/Berlin"));
        // 08:00 on the 4th to 10:00 on the 5th in Tokyo
        assertEquals("5 Dec 2026, 10:00", times("en").windowEnd(Instant.parse("2026-12-03T23:00:00Z"),
                Instant.parse("2026-12-05T01:00:00Z"), "Asia/Tokyo"));
        // no start: the end is written whole
        assertEquals("3 Dec 2026, 12:00",
                times("en").windowEnd(null, Instant.parse("2026-12-03T11:00:00Z"), "Europe/Berlin"));
    }
}
