package io.portlink.platform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Country-driven formatting. An organisation's country picks the locale of its dates and numbers and its default time
 * zone; the zone can differ later (organisation settings).
 */
public final class Locales {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /**
     * Main language and business time zone of the countries we know; others get UTC, and their language from the JDK's
     * locale data (see {@link #localeOf}).
     */
    private record Country(String language, String zone) {
    }

    private static final Map<String, Country> KNOWN = Map.ofEntries(Map.entry("GB", new Country("en", "Europe/London")),
            Map.entry("IE", new Country("en", "Europe/Dublin")), Map.entry("DE", new Country("de", "Europe/Berlin")),
            Map.entry("FR", new Country("fr", "Europe/Paris")), Map.entry("ES", new Country("es", "Europe/Madrid")),
            Map.entry("PT", new Country("pt", "Europe/Lisbon")), Map.entry("IT", new Country("it", "Europe/Rome")),
            Map.entry("NL", new Country("nl", "Europe/Amsterdam")),
            Map.entry("BE", new Country("nl", "Europe/Brussels")), Map.entry("AT", new Country("de", "Europe/Vienna")),
            Map.entry("CH", new Country("de", "Europe/Zurich")), Map.entry("PL", new Country("pl", "Europe/Warsaw")),
            Map.entry("SE", new Country("sv", "Europe/Stockholm")), Map.entry("NO", new Country("nb", "Europe/Oslo")),
            Map.entry("DK", new Country("da", "Europe/Copenhagen")),
            Map.entry("FI", new Country("fi", "Europe/Helsinki")), Map.entry("CZ", new Country("cs", "Europe/Prague")),
            Map.entry("GR", new Country("el", "Europe/Athens")), Map.entry("TR", new Country("tr", "Europe/Istanbul")),
            Map.entry("US", new Country("en", "America/New_York")),
            Map.entry("CA", new Country("en", "America/Toronto")),
            Map.entry("MX", new Country("es", "America/Mexico_City")),
            Map.entry("BR", new Country("pt", "America/Sao_Paulo")),
            Map.entry("AR", new Country("es", "America/Argentina/Buenos_Aires")),
            Map.entry("CL", new Country("es", "America/Santiago")), Map.entry("IN", new Country("en", "Asia/Kolkata")),
            Map.entry("CN", new Country("zh", "Asia/Shanghai")), Map.entry("JP", new Country("ja", "Asia/Tokyo")),
            Map.entry("KR", new Country("ko", "Asia/Seoul")), Map.entry("SG", new Country("en", "Asia/Singapore")),
            Map.entry("AE", new Country("ar", "Asia/Dubai")), Map.entry("SA", new Country("ar", "Asia/Riyadh")),
            Map.entry("IL", new Country("he", "Asia/Jerusalem")),
            Map.entry("AU", new Country("en", "Australia/Sydney")),
            Map.entry("NZ", new Country("en", "Pacific/Auckland")),
            Map.entry("ZA", new Country("en", "Africa/Johannesburg")),
            Map.entry("NG", new Country("en", "Africa/Lagos")), Map.entry("EG", new Country("ar", "Africa/Cairo")),
            Map.entry("KE", new Country("en", "Africa/Nairobi")), Map.entry("UA", new Country("uk", "Europe/Kyiv")),
            Map.entry("HU", new Country("hu", "Europe/Budapest")),
            Map.entry("RO", new Country("ro", "Europe/Bucharest")), Map.entry("RU", new Country("ru", "Europe/Moscow")),
            Map.entry("ID", new Country("id", "Asia/Jakarta")), Map.entry("VN", new Country("vi", "Asia/Ho_Chi_Minh")),
            Map.entry("CO", new Country("es", "America/Bogota")));

    private Locales() {
    }

    public static boolean isCountry(String code) {
        return code != null && COUNTRIES.contains(code);
    }

    /** One entry of a select list: the value sent, and what the person reads. */
    public record Choice(String code, String name) {
    }

    /** Every ISO 3166 country as a choice, "Germany (DE)", sorted by its English name: the forms' country list. */
    public static final java.util.List<Choice> COUNTRY_CHOICES = COUNTRIES.stream()
            .map(c -> new Choice(c, new Locale("", c).getDisplayCountry(Locale.ENGLISH) + " (" + c + ")"))
            .sorted(java.util.Comparator.comparing(Choice::name, java.text.Collator.getInstance(Locale.ENGLISH)))
            .toList();

    /** Every region time zone the JDK knows (IANA names such as Europe/Berlin), sorted: the forms' time zone list. */
    public static final java.util.List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

    /**
     * The zones the forms offer: the IANA regions' cities ({@code Europe/Berlin}, {@code America/Argentina/Salta}) and
     * UTC, sorted; not the JDK's aliases and legacy names ({@code GB}, {@code Zulu}, {@code US/Pacific},
     * {@code SystemV/PST8}, {@code Etc/GMT+5}, {@code Australia/NSW}), which name the same clocks less plainly.
     * {@link #isZone} still accepts them (a stored or imported one keeps working).
     */
    public static final java.util.List<String> ZONE_CHOICES = ZONES.stream().filter(z -> z.equals("UTC") || z.matches(
            "(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Z][a-z][A-Za-z_/-]*"))
            .toList();

    /**
     * {@link #ZONE_CHOICES} with {@code stored} first when it is a zone they leave out (an alias a file or an older
     * form set): a form shows it selected, so an unrelated edit never changes it.
     */
    public static java.util.List<String> zoneChoicesWith(String stored) {
        if (stored == null || stored.isBlank() || ZONE_CHOICES.contains(stored)) {
            return ZONE_CHOICES;
        }
        var zones = new java.util.ArrayList<String>(ZONE_CHOICES.size() + 1);
        zones.add(stored);
        zones.addAll(ZONE_CHOICES);
        return zones;
    }

    /** Whether {@code id} is one of {@link #ZONES} (a fixed offset such as +01:00 is not: it ignores summer time). */
    public static boolean isZone(String id) {
        return id != null && ZONES.contains(id);
    }

    public static ZoneId defaultZone(String country) {
        Country known = KNOWN.get(country);
        return ZoneId.of(known == null ? "UTC" : known.zone());
    }

    /**
     * The locale whose conventions the country uses (DE → de_DE, US → en_US, HU → hu_HU, RU → ru_RU), for its dates,
     * numbers and import conventions. One rule for every ISO country, from the JDK's locale data (CLDR): the country's
     * main language where we know it (the multi-language countries CH, BE, CA, IN... above) when the JDK has that
     * locale; otherwise the JDK's locales for the country: the convention (decimal mark, day/month order) most of them
     * write, and of those locales the one of the most widely written language (ru_RU rather than tt_RU); English only
     * for a country the JDK has no locale for.
     */
    public static Locale localeOf(String country) {
        String key = country == null ? "" : country.toUpperCase(Locale.ROOT);
        return DERIVED.computeIfAbsent(key, Locales::derive);
    }

    private static final java.util.concurrent.ConcurrentMap<String, Locale> DERIVED = new java.util.concurrent.ConcurrentHashMap<>();

    private static Locale derive(String country) {
        Country known = KNOWN.get(country);
        java.util.List<Locale> locales = java.util.Arrays.stream(Locale.getAvailableLocales())
                .filter(l -> l.getCountry().equals(country) && l.getScript().isEmpty() && l.getVariant().isEmpty())
                .sorted(java.util.Comparator.comparing(Locale::toString)).toList();
        if (known != null && locales.contains(new Locale(known.language(), country))) {
            return new Locale(known.language(), country);
        }
        if (locales.isEmpty()) {
            // no one's locale (AQ, BV, MV...): international English (1,234.5 and 31/12/2026), not US English
            return known == null ? Locale.forLanguageTag("en-001") : new Locale(known.language(), country);
        }
        Map<String, Long> spread = java.util.Arrays.stream(Locale.getAvailableLocales())
                .filter(l -> !l.getCountry().isEmpty()).collect(java.util.stream.Collectors
                        .groupingBy(Locale::getLanguage, java.util.stream.Collectors.counting()));
        java.util.Comparator<Locale> widest = java.util.Comparator
                .comparingLong((Locale l) -> spread.getOrDefault(l.getLanguage(), 0L));
        Map<String, Long> votes = locales.stream().collect(
                java.util.stream.Collectors.groupingBy(Locales::convention, java.util.stream.Collectors.counting()));
        long most = java.util.Collections.max(votes.values());
        // a tie between conventions goes to the one of the most widely written language
        return locales.stream().filter(l -> votes.get(convention(l)) == most).max(widest).orElseThrow();
    }

    /** A locale's decimal mark and which of day, month and year its short date writes first, as in "," + "d". */
    private static String convention(Locale locale) {
        char mark = java.text.DecimalFormatSymbols.getInstance(locale).getDecimalSeparator();
        String pattern = java.time.format.DateTimeFormatterBuilder.getLocalizedDateTimePattern(FormatStyle.SHORT, null,
                java.time.chrono.IsoChronology.INSTANCE, locale);
        int day = pattern.indexOf('d');
        int month = pattern.indexOf('M');
        int year = pattern.indexOf('y');
        String first = year >= 0 && (year < day || day < 0) && (year < month || month < 0) ? "y"
                : day < month ? "d" : "M";
        return (mark == ',' ? "," : ".") + first;
    }

    /** The languages vendor pages and mails are written in (each has a full translation). */
    public static final java.util.List<String> LANGUAGES = java.util.List.of("en", "de", "fr", "es");

    /**
     * A form's language choices: {@link #LANGUAGES}, then each of {@code stored} that is none of them (an import takes
     * any ISO 639 code or tag, such as {@code ar} or {@code fr-BE}), in order, once. So a record's language the list
     * does not offer is shown, selected, and saved back as it was, never replaced by the organisation's on an unrelated
     * edit. Blank and null values are skipped.
     */
    public static java.util.List<String> choicesWith(String... stored) {
        java.util.List<String> all = new java.util.ArrayList<>(LANGUAGES);
        for (String s : stored) {
            if (s != null && !s.isBlank() && !all.contains(s)) {
                all.add(s);
            }
        }
        return java.util.List.copyOf(all);
    }

    /**
     * The locale of a language tag ({@code "de"}), as {@link Locale#forLanguageTag} reads it: parsed once per tag of
     * {@link #LANGUAGES} (a page sets its template's locale on every render), on each call for any other.
     */
    public static Locale locale(String tag) {
        Locale known = TAGS.get(tag);
        return known != null ? known : Locale.forLanguageTag(tag);
    }

    private static final Map<String, Locale> TAGS = LANGUAGES.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(t -> t, Locale::forLanguageTag));

    public static boolean isLanguage(String code) {
        return code != null && LANGUAGES.contains(code);
    }

    /**
     * A whole number inside a sentence, as the language {@code tag} writes numbers: "2,000" in English, "2.000" in
     * German, "2 000" in French (a narrow no-break space, so the number never breaks across lines). Message texts take
     * their counts and limits through this rather than as {@code int}, which Qute writes as plain digits ("2000").
     * Spanish groups only from five digits ("2000", "65.536"), as CLDR's minimum grouping digits for it say (the JDK's
     * format does not know that rule).
     */
    public static String count(long n, String tag) {
        Locale locale = locale(tag);
        if (Math.abs(n) < 10_000 && "es".equals(locale.getLanguage())) {
            return Long.toString(n);
        }
        return java.text.NumberFormat.getIntegerInstance(locale).format(n);
    }

    /** The country's main language when vendors can be written to in it, else English. */
    public static String defaultLanguage(String country) {
        String language = localeOf(country).getLanguage();
        return isLanguage(language) ? language : "en";
    }

    /** The vendor's own language (any BCP 47 tag, e.g. fr-BE) when we write it, else the organisation's. */
    public static String languageFor(String organizationLanguage, String vendorLanguage) {
        String primary = vendorLanguage == null ? null : primarySubtag(vendorLanguage).toLowerCase(Locale.ROOT);
        return isLanguage(primary) ? primary : organizationLanguage;
    }

    /** What comes before the first '-' or '_' of a language tag ("de" of "de-CH"), without a regex per call. */
    private static String primarySubtag(String tag) {
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c == '-' || c == '_') {
                return tag.substring(0, i);
            }
        }
        return tag;
    }

    /** The best of our languages for a browser's Accept-Language header; English when none fits. */
    public static String fromAcceptLanguage(String header) {
        return fromAcceptLanguage(header, "en");
    }

    /**
     * The best of our {@link #LANGUAGES} for a browser's Accept-Language header ("pl, de;q=0.8" → de);
     * {@code otherwise} when the header is missing, malformed or names none of them.
     */
    public static String fromAcceptLanguage(String header, String otherwise) {
        if (header == null || header.isBlank()) {
            return otherwise;
        }
        try {
            String best = Locale.lookupTag(Locale.LanguageRange.parse(header), LANGUAGES);
            return best == null ? otherwise : best;
        } catch (IllegalArgumentException e) {
            return otherwise; // a malformed header is no reason to fail the page
        }
    }

    /** How one organisation writes dates and times: in its language, by its country's conventions, in its zone. */
    public record Format(Locale locale, ZoneId zone, DateTimeFormatter dateFormat, DateTimeFormatter dateTimeFormat) {

        /**
         * The format of a country, zone id and language (null: the country's own); made once per combination and kept
         * (a format is immutable, and there are few combinations), since every page asks for one.
         *
         * @throws java.time.DateTimeException
         *             for an unknown zone id
         */
        public static Format of(String country, String zone, String language) {
            String key = country + '\0' + zone + '\0' + language;
            Format known = FORMATS.get(key);
            if (known != null) {
                return known;
            }
            Locale locale = language == null ? localeOf(country) : new Locale(language, country);
            Format made = new Format(locale, ZoneId.of(zone), localized(FormatStyle.MEDIUM, null, locale),
                    localized(FormatStyle.MEDIUM, FormatStyle.SHORT, locale));
            if (FORMATS.size() < MAX_FORMATS) {
                FORMATS.putIfAbsent(key, made);
            }
            return made;
        }

        /**
         * The locale's own format (CLDR's, as the JDK has it), except that French writes the first of the month as an
         * ordinal, "1er janv. 2027", where CLDR writes "1 janv. 2027" (the Imprimerie nationale's rule, which French
         * readers expect in a date; every other day is a plain number).
         */
        private static DateTimeFormatter localized(FormatStyle date, FormatStyle time, Locale locale) {
            String pattern = java.time.format.DateTimeFormatterBuilder.getLocalizedDateTimePattern(date, time,
                    java.time.chrono.IsoChronology.INSTANCE, locale);
            if (!"fr".equals(locale.getLanguage()) || !pattern.startsWith("d ")) {
                return time == null ? DateTimeFormatter.ofLocalizedDate(date).withLocale(locale)
                        : DateTimeFormatter.ofLocalizedDateTime(date, time).withLocale(locale);
            }
            Map<Long, String> days = new java.util.HashMap<>();
            for (long day = 1; day <= 31; day++) {
                days.put(day, day == 1 ? "1er" : Long.toString(day));
            }
            return new java.time.format.DateTimeFormatterBuilder()
                    .appendText(java.time.temporal.ChronoField.DAY_OF_MONTH, days).appendPattern(pattern.substring(1))
                    .toFormatter(locale).withChronology(java.time.chrono.IsoChronology.INSTANCE);
        }

        /** Most formats kept; beyond, new combinations are made on each call (still right, only slower). */
        private static final int MAX_FORMATS = 10_000;

        private static final java.util.concurrent.ConcurrentMap<String, Format> FORMATS = new java.util.concurrent.ConcurrentHashMap<>();

        /**
         * This thread's number formats of the locale, [0] for numbers (0–4 decimals), [1] for money (2–4) and [2] for
         * amounts (2–8): a {@link java.text.NumberFormat} is not thread-safe, and copying one on every call (a page
         * formats a dozen numbers) cost more than the formatting. At most {@link #THREAD_LOCALES} locales a thread,
         * started again when full.
         */
        private java.text.NumberFormat[] numberFormats() {
            Map<Locale, java.text.NumberFormat[]> mine = THREAD_FORMATS.get();
            java.text.NumberFormat[] formats = mine.get(locale);
            if (formats == null) {
                if (mine.size() >= THREAD_LOCALES) {
                    mine.clear();
                }
                java.text.NumberFormat number = java.text.NumberFormat.getNumberInstance(locale);
                number.setMinimumFractionDigits(0);
                number.setMaximumFractionDigits(4);
                java.text.NumberFormat money = java.text.NumberFormat.getNumberInstance(locale);
                money.setMinimumFractionDigits(2);
                money.setMaximumFractionDigits(4);
                java.text.NumberFormat amount = java.text.NumberFormat.getNumberInstance(locale);
                amount.setMinimumFractionDigits(2);
                amount.setMaximumFractionDigits(AMOUNT_DECIMALS);
                formats = new java.text.NumberFormat[] { number, money, amount };
                mine.put(locale, formats);
            }
            return formats;
        }

        private static final int THREAD_LOCALES = 64;

        private static final ThreadLocal<Map<Locale, java.text.NumberFormat[]>> THREAD_FORMATS = ThreadLocal
                .withInitial(java.util.HashMap::new);

        public String language() {
            return locale.getLanguage();
        }

        public String date(LocalDate date) {
            return date == null ? "" : dateFormat.format(date);
        }

        public String dateTime(Instant instant) {
            return instant == null ? "" : dateTimeFormat.format(instant.atZone(zone));
        }

        /**
         * An ended link's expiry as staff read it: "Expired today" when {@code at} falls on {@code today} in this zone
         * (the organisation's day), else "Expired " and its date.
         */
        public String expired(Instant at, LocalDate today) {
            LocalDate day = LocalDate.ofInstant(at, zone);
            return day.equals(today) ? "Expired today" : "Expired " + date(day);
        }

        public LocalDate today(java.time.Clock clock) {
            return LocalDate.now(clock.withZone(zone));
        }

        /** {@code value} with 0 to 4 decimals, grouped as the locale writes numbers ("1,234.5"); "" for null. */
        public String number(java.math.BigDecimal value) {
            if (value == null) {
                return "";
            }
            String plain = plain(value, 0, plainMark(locale));
            return plain != null ? plain : numberFormats()[0].format(value);
        }

        /** {@code value} with 2 to 4 decimals and its currency code after it ("1,234.50 EUR"); "" for null. */
        public String money(java.math.BigDecimal value, String currency) {
            return withCurrency(value, currency, 1);
        }

        /**
         * The decimals of a line's amount or an order's total at most: quantity × unit price, each stored with up to 4
         * (numeric(19, 4)).
         */
        private static final int AMOUNT_DECIMALS = 8;

        /**
         * A line's amount (quantity × unit price) or an order's total with every decimal it has (2 at least, up to
         * {@value #AMOUNT_DECIMALS}: none is rounded away), grouped as the locale writes numbers, and its currency code
         * after it ("499.99995 EUR"); "" for null. The vendor page and the purchase-order PDF both write amounts so, so
         * that the same order shows the same figures on screen and on paper.
         */
        public String amount(java.math.BigDecimal value, String currency) {
            return withCurrency(value, currency, 2);
        }

        /** {@code value} by this thread's number format {@code format} (2 decimals at least), then the currency. */
        private String withCurrency(java.math.BigDecimal value, String currency, int format) {
            if (value == null) {
                return "";
            }
            String plain = plain(value, 2, plainMark(locale));
            String amount = plain != null ? plain : numberFormats()[format].format(value);
            return currency == null ? amount : amount + " " + currency;
        }

        private static final java.math.BigDecimal THOUSAND = java.math.BigDecimal.valueOf(1000);

        /**
         * {@code value} as the locale's number format writes it with at least {@code minFraction} decimals, where that
         * is known without it: from 0 to below 1,000 with at most 4 decimals (nothing to group, nothing to round), in a
         * locale whose {@code mark} is not 0 ({@link #plainMark}), it is its digits, the mark and its decimals. Null
         * otherwise, for the format to write. Most quantities and prices on a page are such values, and the format's
         * own work was about 3 % of the vendor page's CPU (measured); {@code LocalesNumbersTest} checks both agree in
         * every locale of the JDK.
         */
        static String plain(java.math.BigDecimal value, int minFraction, char mark) {
            if (mark == 0 || value.signum() < 0 || value.compareTo(THOUSAND) >= 0) {
                return null;
            }
            java.math.BigDecimal v = value.stripTrailingZeros();
            int scale = v.scale();
            if (scale > 4) {
                return null;
            }
            StringBuilder out = new StringBuilder(12);
            // below 1,000 with at most 4 decimals, the digits fit a long: a value read from PostgreSQL is backed by a
            // BigInteger, whose toString divides (a tenth of the vendor page's allocation, measured)
            if (scale <= 0) {
                out.append(v.longValue());
            } else {
                String digits = Long.toString(v.unscaledValue().longValue());
                int whole = digits.length() - scale;
                if (whole > 0) {
                    out.append(digits, 0, whole);
                } else {
                    out.append('0');
                }
                out.append(mark);
                for (int i = whole; i < 0; i++) {
                    out.append('0');
                }
                out.append(digits, Math.max(whole, 0), digits.length());
            }
            int decimals = Math.max(scale, 0);
            if (decimals < minFraction) {
                if (decimals == 0) {
                    out.append(mark);
                }
                for (int i = decimals; i < minFraction; i++) {
                    out.append('0');
                }
            }
            return out.toString();
        }

        private static final java.util.concurrent.ConcurrentMap<Locale, Character> PLAIN_MARKS = new java.util.concurrent.ConcurrentHashMap<>();

        /**
         * The decimal mark of a locale whose number format writes values below 1,000 as plain ASCII digits, the mark
         * and the decimals (no prefix or suffix, digits 0–9, groups of at least 3); 0 for any other locale, whose
         * numbers the format always writes. Kept per locale, as {@link #FORMATS} are.
         */
        static char plainMark(Locale locale) {
            Character known = PLAIN_MARKS.get(locale);
            if (known != null) {
                return known;
            }
            char mark = 0;
            if (java.text.NumberFormat.getNumberInstance(locale) instanceof java.text.DecimalFormat f) {
                var symbols = f.getDecimalFormatSymbols();
                if (symbols.getZeroDigit() == '0' && f.getPositivePrefix().isEmpty() && f.getPositiveSuffix().isEmpty()
                        && (f.getGroupingSize() >= 3 || !f.isGroupingUsed())) {
                    mark = symbols.getDecimalSeparator();
                }
            }
            if (PLAIN_MARKS.size() < MAX_FORMATS) {
                PLAIN_MARKS.putIfAbsent(locale, mark);
            }
            return mark;
        }
    }
}
