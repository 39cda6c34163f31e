package io.portlink.platform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Country-driven formatting. An organisation's country picks the locale of its dates and numbers and its default time
 * zone; the zone can differ later (organisation settings).
 */
public final class Locales {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /** Main business time zone of countries whose zone is not obvious from a single entry. */
    private static final Map<String, String> ZONES = Map.ofEntries(Map.entry("GB", "Europe/London"),
            Map.entry("IE", "Europe/Dublin"), Map.entry("DE", "Europe/Berlin"), Map.entry("FR", "Europe/Paris"),
            Map.entry("ES", "Europe/Madrid"), Map.entry("PT", "Europe/Lisbon"), Map.entry("IT", "Europe/Rome"),
            Map.entry("NL", "Europe/Amsterdam"), Map.entry("BE", "Europe/Brussels"), Map.entry("AT", "Europe/Vienna"),
            Map.entry("CH", "Europe/Zurich"), Map.entry("PL", "Europe/Warsaw"), Map.entry("SE", "Europe/Stockholm"),
            Map.entry("NO", "Europe/Oslo"), Map.entry("DK", "Europe/Copenhagen"), Map.entry("FI", "Europe/Helsinki"),
            Map.entry("CZ", "Europe/Prague"), Map.entry("GR", "Europe/Athens"), Map.entry("TR", "Europe/Istanbul"),
            Map.entry("US", "America/New_York"), Map.entry("CA", "America/Toronto"),
            Map.entry("MX", "America/Mexico_City"), Map.entry("BR", "America/Sao_Paulo"),
            Map.entry("AR", "America/Argentina/Buenos_Aires"), Map.entry("CL", "America/Santiago"),
            Map.entry("IN", "Asia/Kolkata"), Map.entry("CN", "Asia/Shanghai"), Map.entry("JP", "Asia/Tokyo"),
            Map.entry("KR", "Asia/Seoul"), Map.entry("SG", "Asia/Singapore"), Map.entry("AE", "Asia/Dubai"),
            Map.entry("SA", "Asia/Riyadh"), Map.entry("IL", "Asia/Jerusalem"), Map.entry("AU", "Australia/Sydney"),
            Map.entry("NZ", "Pacific/Auckland"), Map.entry("ZA", "Africa/Johannesburg"),
            Map.entry("NG", "Africa/Lagos"), Map.entry("EG", "Africa/Cairo"), Map.entry("KE", "Africa/Nairobi"));

    private Locales() {
    }

    public static boolean isCountry(String code) {
        return code != null && COUNTRIES.contains(code);
    }

    public static ZoneId defaultZone(String country) {
        return ZoneId.of(ZONES.getOrDefault(country, "UTC"));
    }

    /** The locale whose conventions the country uses (e.g. DE → de_DE, US → en_US). */
    public static Locale localeOf(String country) {
        return Arrays.stream(Locale.getAvailableLocales())
                .filter(l -> country.equals(l.getCountry()) && l.getVariant().isEmpty() && l.getScript().isEmpty())
                .findFirst().orElse(Locale.UK);
    }

    /** How one organisation writes dates and times. */
    public record Format(Locale locale, ZoneId zone, DateTimeFormatter dateFormat, DateTimeFormatter dateTimeFormat) {

        public static Format of(String country, String zone) {
            Locale locale = localeOf(country);
            return new Format(locale, ZoneId.of(zone),
                    DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale),
                    DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale));
        }

        public String date(LocalDate date) {
            return date == null ? "" : dateFormat.format(date);
        }

        public String dateTime(Instant instant) {
            return instant == null ? "" : dateTimeFormat.format(instant.atZone(zone));
        }

        public LocalDate today(java.time.Clock clock) {
            return LocalDate.now(clock.withZone(zone));
        }

        public String number(java.math.BigDecimal value) {
            if (value == null) {
                return "";
            }
            var format = java.text.NumberFormat.getNumberInstance(locale);
            format.setMaximumFractionDigits(4);
            format.setMinimumFractionDigits(0);
            return format.format(value);
        }

        public String money(java.math.BigDecimal value, String currency) {
            if (value == null) {
                return "";
            }
            var format = java.text.NumberFormat.getNumberInstance(locale);
            format.setMinimumFractionDigits(2);
            format.setMaximumFractionDigits(4);
            return format.format(value) + (currency == null ? "" : " " + currency);
        }
    }
}
