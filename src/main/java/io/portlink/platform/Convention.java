package io.portlink.platform;

import java.text.DecimalFormatSymbols;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.FormatStyle;
import java.util.Locale;

/**
 * How an imported file writes numbers and dates. A CSV takes its organisation's country (GB 1,234.56 and 20/12/2026; DE
 * 1.234,56 and 20.12.2026; US 1,234.56 and 12/20/2026) unless the import chooses the decimal mark itself. A JSON body
 * is written by a program: decimal point and year-first dates unless {@code ?decimal=} says otherwise. The rules that
 * read values under a convention are in {@link Fields}; {@code dateSeparator} is how the country's dates are written
 * (templates and messages): they are read with any of {@code / . -}.
 */
public record Convention(DecimalMark decimal, DateOrder dates, char dateSeparator) {

    /** A convention whose dates are written with {@code /} ({@code -} year-first). */
    public Convention(DecimalMark decimal, DateOrder dates) {
        this(decimal, dates, dates == DateOrder.YEAR_FIRST ? '-' : '/');
    }

    /** What separates the whole part from the fraction; the other mark (and spaces, apostrophes) groups thousands. */
    public enum DecimalMark {
        POINT('.', ',', "decimal point: 1,234.56"), COMMA(',', '.', "decimal comma: 1.234,56");

        public final char mark;
        public final char group;
        public final String label;

        DecimalMark(char mark, char group, String label) {
            this.mark = mark;
            this.group = group;
            this.label = label;
        }

        public String getName() {
            return name();
        }

        public String getLabel() {
            return label;
        }

        /** The mark a country's spreadsheets write, from the JDK's locale data (CLDR). */
        public static DecimalMark of(String country) {
            char mark = DecimalFormatSymbols.getInstance(Locales.localeOf(country)).getDecimalSeparator();
            return mark == ',' ? COMMA : POINT;
        }

        /**
         * A choice from a query parameter or form field ({@code point}, {@code comma}, any case); null or blank means
         * no choice.
         *
         * @throws ValidationException
         *             naming {@code field} for anything else
         */
        public static DecimalMark parse(String field, String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            return switch (value.strip().toUpperCase(Locale.ROOT)) {
            case "POINT", "." -> POINT;
            case "COMMA", "," -> COMMA;
            default -> throw ValidationException.of(field, "must be point (1,234.56) or comma (1.234,56)", value);
            };
        }
    }

    /** Which of day and month a date like 03/04/2026 writes first; year-first dates are read in every order. */
    public enum DateOrder {
        DAY_FIRST("DD/MM/YYYY"), MONTH_FIRST("MM/DD/YYYY"), YEAR_FIRST("YYYY-MM-DD");

        public final String pattern;

        DateOrder(String pattern) {
            this.pattern = pattern;
        }

        /** The order of a country's short date format, from the JDK's locale data (CLDR). */
        public static DateOrder of(String country) {
            String pattern = DateTimeFormatterBuilder.getLocalizedDateTimePattern(FormatStyle.SHORT, null,
                    IsoChronology.INSTANCE, Locales.localeOf(country));
            int day = pattern.indexOf('d');
            int month = pattern.indexOf('M');
            int year = pattern.indexOf('y');
            if (day < 0 || month < 0 || (year >= 0 && year < day && year < month)) {
                return YEAR_FIRST;
            }
            return day < month ? DAY_FIRST : MONTH_FIRST;
        }

        /**
         * The character between the day and the month in a country's short date format ({@code .} in DE, {@code -} in
         * NL, {@code /} in GB and US), from the JDK's locale data (CLDR); {@code /} for anything else.
         */
        static char separator(String country) {
            String pattern = DateTimeFormatterBuilder.getLocalizedDateTimePattern(FormatStyle.SHORT, null,
                    IsoChronology.INSTANCE, Locales.localeOf(country));
            for (char c : pattern.toCharArray()) {
                if (c == '.' || c == '/' || c == '-') {
                    return c;
                }
            }
            return '/';
        }
    }

    /** JSON bodies: what programs write (1234.5, 2026-12-20). */
    public static final Convention JSON = new Convention(DecimalMark.POINT, DateOrder.YEAR_FIRST);

    /** A CSV of an organisation in this country; {@code decimal} overrides the country's mark when not null. */
    public static Convention of(String country, DecimalMark decimal) {
        DateOrder dates = DateOrder.of(country);
        return new Convention(decimal == null ? DecimalMark.of(country) : decimal, dates,
                dates == DateOrder.YEAR_FIRST ? '-' : DateOrder.separator(country));
    }

    /**
     * {@code date} as this convention writes it, with a four-digit year: {@code 20.12.2026} (DE), {@code 20/12/2026}
     * (GB), {@code 12/20/2026} (US), {@code 2026-12-20} year-first. Read back as it is by {@link Fields#date}.
     */
    public String write(java.time.LocalDate date) {
        String day = String.format(Locale.ROOT, "%02d", date.getDayOfMonth());
        String month = String.format(Locale.ROOT, "%02d", date.getMonthValue());
        String year = String.valueOf(date.getYear());
        return switch (dates) {
        case DAY_FIRST -> day + dateSeparator + month + dateSeparator + year;
        case MONTH_FIRST -> month + dateSeparator + day + dateSeparator + year;
        case YEAR_FIRST -> date.toString();
        };
    }

    /** How this convention writes a date, for people: {@code DD.MM.YYYY}, {@code MM/DD/YYYY}, {@code YYYY-MM-DD}. */
    public String datePattern() {
        return dates == DateOrder.YEAR_FIRST ? dates.pattern : dates.pattern.replace('/', dateSeparator);
    }

    /** The country's currency code (GBP for GB), for examples; EUR when the JDK knows none. */
    public static String currency(String country) {
        try {
            java.util.Currency currency = java.util.Currency.getInstance(new Locale("", country));
            return currency == null ? "EUR" : currency.getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return "EUR";
        }
    }

    /** The same convention with another decimal mark, or this one when {@code decimal} is null. */
    public Convention withDecimal(DecimalMark decimal) {
        return decimal == null ? this : new Convention(decimal, dates, dateSeparator);
    }
}
