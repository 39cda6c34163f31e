package io.portlink.shipment;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.portlink.platform.Locales;

/**
 * The one formatter of a shipment's times, on every page and in every mail that shows them: the customer's page
 * ({@code /t/}), the driver's ({@code /d/}), the customer's mails, the staff's shipment page, queue and delay alerts. A
 * time of the shipment (an update, the last position, the delivery, the ETA, an arrival on the history) reads in the
 * shipment's delivery stop's zone, the organisation's without stops, and always names it: "1 Dec 2026, 14:05
 * (Europe/Berlin)". A stop's window, arrival and departure read in that stop's own zone, named too. Dates and the order
 * of day and month follow {@code format} (the organisation's country, the reader's language); its own zone is not used.
 *
 * @param format
 *            how dates and times are written (locale and patterns)
 * @param zone
 *            the shipment's zone: its delivery stop's, else its organisation's
 */
public record ShipmentTimes(Locales.Format format, ZoneId zone) {

    /** A shipment's times written by {@code format}, in the shipment's zone ({@link ShipmentEtas#zone}). */
    public static ShipmentTimes of(Shipment s, Locales.Format format) {
        return new ShipmentTimes(format, ShipmentEtas.zone(s));
    }

    /** The times of a shipment whose delivery stop is known: its zone, else {@code fallbackZone}. */
    static ShipmentTimes of(ShipmentStop delivery, String fallbackZone, Locales.Format format) {
        return new ShipmentTimes(format, ZoneId.of(delivery != null ? delivery.zone : fallbackZone));
    }

    /** The zone's name, "Europe/Berlin". */
    public String zoneId() {
        return zone.getId();
    }

    /** An instant in the shipment's zone, the zone named: "1 Dec 2026, 14:05 (Europe/Berlin)"; "" for null. */
    public String at(Instant at) {
        return at == null ? "" : labelled(format.dateTimeFormat().format(at.atZone(zone)), zone);
    }

    /** A local date and time already in the shipment's zone (an ETA as recorded), the zone named; "" for null. */
    public String local(LocalDateTime at) {
        return at == null ? "" : labelled(format.dateTimeFormat().format(at), zone);
    }

    /** A date alone ("3 Dec 2026"): a date-only ETA; "" for null. */
    public String date(LocalDate date) {
        return format.date(date);
    }

    /**
     * An instant in a stop's own zone, that zone named: a stop's window end, arrival or departure; "" for null. A zone
     * the stop holds that is no longer known reads in UTC, named so.
     */
    public String inStop(Instant at, String stopZone) {
        if (at == null) {
            return "";
        }
        ZoneId z = stopZone(stopZone);
        return labelled(format.dateTimeFormat().format(at.atZone(z)), z);
    }

    /** An instant in a stop's own zone, without the zone's name (a window whose zone is named once); "" for null. */
    public String inStopUnlabelled(Instant at, String stopZone) {
        return at == null ? "" : format.dateTimeFormat().format(at.atZone(stopZone(stopZone)));
    }

    /**
     * A window's end in the stop's own zone, unnamed: its time alone ("09:00") when the window starts on the same day
     * there, so "6 Dec 2026, 07:00 – 09:00" does not write the date twice; else as {@link #inStopUnlabelled}. "" for a
     * null end.
     */
    public String windowEnd(Instant from, Instant to, String stopZone) {
        if (to == null) {
            return "";
        }
        java.time.ZoneId z = stopZone(stopZone);
        if (from != null && from.atZone(z).toLocalDate().equals(to.atZone(z).toLocalDate())) {
            return java.time.format.DateTimeFormatter.ofLocalizedTime(java.time.format.FormatStyle.SHORT)
                    .withLocale(format.locale()).format(to.atZone(z));
        }
        return inStopUnlabelled(to, stopZone);
    }

    /**
     * The shipment's current ETA: a date-only MANUAL ETA as the date alone (never its stored end of day), else date and
     * time in the shipment's zone, named; null when none is known.
     */
    public String eta(Shipment s) {
        return eta(s.currentEta, s.etaDateOnly, s.estimatedArrival);
    }

    /** An ETA from its parts (see {@link #eta(Shipment)}); null when none is known. */
    public String eta(Instant current, boolean dateOnly, LocalDate date) {
        if (current == null || dateOnly && date != null) {
            // a date alone: staff gave no time (or the shipment predates the ETA model, when a date was all there was)
            return date == null ? null : format.date(date);
        }
        return at(current);
    }

    private static ZoneId stopZone(String stopZone) {
        try {
            return ZoneId.of(stopZone);
        } catch (DateTimeException | NullPointerException e) {
            return ZoneOffset.UTC;
        }
    }

    private static String labelled(String text, ZoneId zone) {
        return text + " (" + zone.getId() + ")";
    }
}
