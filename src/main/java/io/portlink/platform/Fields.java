package io.portlink.platform;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for every field of an imported or typed record (orders, shipments), in one place for the JSON API, the CSV
 * imports and the staff forms. Each parser reports into the caller's error list under the caller's name for the place
 * (JSON path or CSV column) and returns null when the value is missing or wrong. Numbers and dates are read under one
 * {@link Convention} (decimal mark, day/month order), never guessed per value: see {@link #decimal} and {@link #date};
 * NumberConventionsTest is the table of what each spelling becomes.
 */
public final class Fields {

    public static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** One address: nothing a mail header reads as a list or a display name (, ; < > " ( ) [ ] :). */
    public static final Pattern EMAIL = Pattern
            .compile("[^@\\s,;<>\"()\\[\\]:]+@[^@\\s,;<>\"()\\[\\]:]+\\.[^@\\s,;<>\"()\\[\\]:]+");
    public static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{5,40}");
    public static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    public static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?");

    private final ValidationException.Builder errors;
    private final Integer row;
    private final int maxLength;
    private final Convention convention;
    /**
     * A staff form's inputs, not an import's: a decimal comma is read where it cannot be thousands ({@link #decimal}),
     * and a refusal says what the form takes, not how to import.
     */
    private final boolean form;
    private boolean decimalParameter;

    public Fields(ValidationException.Builder errors, Integer row, int maxLength) {
        this(errors, row, maxLength, Convention.JSON);
    }

    /** Numbers and dates read under {@code convention} (see {@link #decimal} and {@link #date}). */
    public Fields(ValidationException.Builder errors, Integer row, int maxLength, Convention convention) {
        this(errors, row, maxLength, convention, false);
    }

    /** {@link #Fields(ValidationException.Builder, Integer, int, Convention)} for a staff form's inputs. */
    public Fields(ValidationException.Builder errors, Integer row, int maxLength, Convention convention, boolean form) {
        this.errors = errors;
        this.row = row;
        this.maxLength = maxLength;
        this.convention = convention;
        this.form = form;
    }

    /**
     * Says that the request being read takes a {@code decimal=point|comma} parameter (a JSON body whose numbers may be
     * written as text), so that a number written with the other mark is answered with that way out too. CSV rows always
     * have it; a JSON body without such a parameter, or a form, is told only how to write the number.
     */
    public Fields withDecimalParameter() {
        this.decimalParameter = true;
        return this;
    }

    /**
     * Checks a one-line name the caller has already normalised ({@code name}: stripped or one-spaced): nothing visible
     * ({@link Unicode#invisible}, e.g. a zero-width space) is "is required", a direction override (which would reverse
     * the text after it, so it is not quoted) is named, more than {@code limit} characters or a line break "must be one
     * line of 1 to {limit} characters", quoting {@code typed}. The rule of every name and SKU.
     *
     * @return whether the name passed; when not, a problem was added under {@code row} and {@code field}
     */
    public static boolean oneLine(ValidationException.Builder errors, Integer row, String field, String name,
            String typed, int limit) {
        if (Unicode.invisible(name)) {
            errors.add(row, field, "is required", null);
            return false;
        }
        if (name.codePoints().anyMatch(Unicode::isBidiControl)) {
            // said as the form's other texts say it, and never quoted back: it would reverse the page's text after it
            errors.add(row, field, "must not contain right-to-left override or isolate characters (U+202A to U+202E,"
                    + " U+2066 to U+2069)", null);
            return false;
        }
        if (name.length() > limit || Unicode.breaksOneLine(name)) {
            errors.add(row, field, "must be one line of 1 to " + limit + " characters", typed);
            return false;
        }
        return true;
    }

    /**
     * A list's filter value from a query string, for the API and the staff pages alike: blank is no filter (null),
     * anything else must be one of {@code type}'s names, in any case.
     *
     * @throws ValidationException
     *             under {@code name}, "must be one of A, B, C" with the value given: a filter the list cannot apply is
     *             refused rather than shown as the whole list
     */
    public static <E extends Enum<E>> E choice(String name, Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(name, "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(java.util.stream.Collectors.joining(", ")), value);
        }
    }

    /**
     * {@link #choice(String, Class, String)} among {@code offered} only (a list that never shows some of the type's
     * values): "must be one of" names just those, in their order.
     *
     * @throws ValidationException
     *             as {@link #choice(String, Class, String)}
     */
    public static <E extends Enum<E>> E choice(String name, java.util.List<E> offered, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String wanted = value.strip().toUpperCase(Locale.ROOT);
        return offered.stream().filter(e -> e.name().equals(wanted)).findFirst()
                .orElseThrow(() -> ValidationException.of(name,
                        "must be one of "
                                + offered.stream().map(Enum::name).collect(java.util.stream.Collectors.joining(", ")),
                        value));
    }

    /** {@link #choice(String, Class, String)}, its problem added to {@code errors} (then null) instead of thrown. */
    public static <E extends Enum<E>> E choice(ValidationException.Builder errors, String name, Class<E> type,
            String value) {
        try {
            return choice(name, type, value);
        } catch (ValidationException e) {
            errors.add(name, e.errors().get(0).message(), value);
            return null;
        }
    }

    /**
     * A list's filter by a row's id from a query string (a stage, a merchant): blank is no filter (null).
     *
     * @throws ValidationException
     *             under {@code name}, "must be the id of {@code what}", for anything but 1 to 18 digits
     */
    public static Long idChoice(String name, String what, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.strip().matches("[0-9]{1,18}")) {
            throw ValidationException.of(name, "must be the id of " + what + " (a number)", value);
        }
        return Long.valueOf(value.strip());
    }

    /** Reports a value that no rule below can read (a JSON value of the wrong type). */
    public void invalid(String place, String message, String value) {
        errors.add(row, place, message, value);
    }

    /**
     * Trims, turns blank into null, and enforces the length limit. Rejects control characters (CR/LF in mail headers).
     */
    public String text(String place, String value, boolean required, int limit) {
        return text(place, value, Math.min(limit, maxLength), required);
    }

    /** {@link #text(String, String, boolean, int)} with {@code max} as the limit, whatever this instance's own. */
    private String text(String place, String value, int max, boolean required) {
        // Spreadsheets end lines inside cells with CR LF; store one kind of line break.
        String v = value == null ? null : value.replace("\r\n", "\n").replace('\r', '\n').strip();
        if (v == null || Unicode.invisible(v)) { // a text of only invisible characters reads as empty
            if (required) {
                errors.add(row, place, "is required", null);
            }
            return null;
        }
        if (v.length() > max) {
            errors.add(row, place, "must be at most " + max + " characters, got " + v.length(), null);
            return null;
        }
        boolean control = false;
        boolean bidi = false;
        boolean halfCharacter = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            control |= c < 0x20 && c != '\n' && c != '\t';
            bidi |= Unicode.isBidiControl(c);
            if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                i++; // a whole character beyond U+FFFF (an emoji)
            } else {
                halfCharacter |= Character.isSurrogate(c);
            }
        }
        if (halfCharacter) {
            // JSON's "\\ud800" alone is no character: the database would store it as "?", changing the text unsaid
            errors.add(row, place, "must not contain half of a character (a lone UTF-16 surrogate such as \\ud800)",
                    null);
            return null;
        }
        if (control) {
            errors.add(row, place, "must not contain control characters", null);
            return null;
        }
        if (bidi) {
            // an override reverses the text after it wherever it is shown (12 can read 21): no honest use in an order
            errors.add(row, place, "must not contain right-to-left override or isolate characters (U+202A to U+202E,"
                    + " U+2066 to U+2069)", null);
            return null;
        }
        return v;
    }

    /** A single-line text: no line breaks either. */
    public String line(String place, String value, boolean required, int limit) {
        return line(place, value, Math.min(limit, maxLength), required);
    }

    private String line(String place, String value, int max, boolean required) {
        String v = text(place, value, max, required);
        if (v != null && (v.indexOf('\n') >= 0 || v.indexOf('\t') >= 0)) {
            errors.add(row, place, "must be on one line", v);
            return null;
        }
        return v;
    }

    public String matching(String place, String value, boolean required, int limit, Pattern pattern, String expected) {
        String v = line(place, value, required, limit);
        if (v != null && !pattern.matcher(v).matches()) {
            errors.add(row, place, expected, v);
            return null;
        }
        return v;
    }

    /**
     * A reference (purchase order, shipment, sales order): {@link #REFERENCE}, and none of {@link #ROUTE_WORDS}, which
     * name pages and endpoints at the place a reference goes in an address ({@code /app/orders/new},
     * {@code /api/v1/purchase-orders/export}): an order so named could be created but never opened.
     */
    public String reference(String place, String value) {
        String v = matching(place, value, true, 64, REFERENCE,
                "must be 1 to 64 letters A to Z without accents, digits, dots, dashes or underscores, starting with a letter or digit");
        if (v != null && ROUTE_WORDS.contains(v.toLowerCase(Locale.ROOT))) {
            errors.add(row, place, "is a word the addresses of pages and endpoints use ("
                    + String.join(", ", ROUTE_WORDS) + "): choose another reference, e.g. " + v + "-1", v);
            return null;
        }
        return v;
    }

    /** Words that stand where a reference would in an address; no reference may be one of them (in any case). */
    public static final java.util.List<String> ROUTE_WORDS = java.util.List.of("new", "import", "export", "settings",
            "route", "route-open", "template");

    public String email(String place, String value, boolean required) {
        String v = matching(place, value, required, 254, EMAIL, "must be an e-mail address like orders@vendor.example");
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    public String phone(String place, String value) {
        return matching(place, value, false, 40, PHONE, "must be a phone number like +44 20 7946 0000");
    }

    /**
     * A language tag ({@code en}, {@code fr-BE}), lower-cased; its language must be one of ISO 639's
     * ({@link Locale#getISOLanguages}), so {@code xx} is refused. Pages and mails use it when Portlink is written in
     * it, else the organisation's language.
     */
    public String language(String place, String value) {
        // a code is at most 12 characters (de-CH-1996 is not taken): longer text is quoted back as no code, not cut
        String v = line(place, value, false, 40);
        if (v != null && (!LANGUAGE.matcher(v.toLowerCase(Locale.ROOT)).matches()
                || !ISO_LANGUAGES.contains(v.toLowerCase(Locale.ROOT).split("-", 2)[0]))) {
            errors.add(row, place, "must be a language code like en or de", v);
            return null;
        }
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    /** ISO 639 languages: the two-letter codes and their three-letter forms ({@code de}, {@code deu}). */
    private static final java.util.Set<String> ISO_LANGUAGES = java.util.Arrays.stream(Locale.getISOLanguages())
            .flatMap(code -> java.util.stream.Stream.of(code, new Locale(code).getISO3Language()))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * An ISO 4217 currency code ({@link java.util.Currency}), upper-cased: {@code ZZZ} is refused, and so is a longer
     * value ({@code GBPX}), quoted as given like the others rather than counted as too long.
     */
    public String currency(String place, String value) {
        String v = line(place, value, false, maxLength);
        if (v == null) {
            return null;
        }
        v = v.toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(v).matches() || !CURRENCIES.contains(v)) {
            errors.add(row, place, "must be a three-letter ISO 4217 currency code like EUR or USD", value);
            return null;
        }
        return v;
    }

    /** The ISO 4217 codes the JDK knows. */
    private static final java.util.Set<String> CURRENCIES = java.util.Currency.getAvailableCurrencies().stream()
            .map(java.util.Currency::getCurrencyCode).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static final Pattern NUMERIC_DATE = Pattern.compile("(\\d{1,4})([/.-])(\\d{1,2})\\2(\\d{1,4})");
    private static final DateTimeFormatter SPOKEN = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    /**
     * What is wrong with a date {@link LocalDate#parse} refused, said to the reader: a day the calendar does not have
     * ({@code 2026-02-30}, written rightly) or a text of another shape. Without the value (callers quote it).
     */
    public static String isoDateProblem(String value) {
        return value != null && ISO_DATE_SHAPE.matcher(value.strip()).matches()
                ? "is not a date in the calendar (there is no such month or day)"
                : "must be a date written YYYY-MM-DD, like 2026-03-31";
    }

    private static final Pattern ISO_DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /**
     * What is wrong with a date and time that {@code OffsetDateTime.parse} or {@code LocalDateTime.parse} refused, said
     * to the reader: a day the calendar does not have ({@code 2026-02-30T10:00:00Z}), an hour or minute no clock shows
     * ({@code 2026-12-01T24:30Z}), or else {@code shape}, the caller's message for the text's form (which names the
     * example the caller wants). Without the value (callers quote it).
     */
    public static String isoDateTimeProblem(String value, String shape) {
        Matcher m = value == null ? null : ISO_DATE_TIME_START.matcher(value.strip());
        if (m == null || !m.lookingAt()) {
            return shape;
        }
        try {
            LocalDate.parse(m.group(1));
        } catch (java.time.DateTimeException e) {
            return "is not a date in the calendar (there is no such month or day)";
        }
        if (Integer.parseInt(m.group(2)) > 23 || Integer.parseInt(m.group(3)) > 59) {
            return "is not a time of day (hours 00 to 23, minutes 00 to 59)";
        }
        return shape;
    }

    private static final Pattern ISO_DATE_TIME_START = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}):(\\d{2})");

    /**
     * A date: always {@code YYYY-MM-DD} (also with / or . between), and under a day-first or month-first convention
     * also the organisation's own order with a four-digit year ({@code 20/12/2026}, {@code 12/20/2026}; with dots
     * always day-first, {@code 20.12.2026}). The organisation's order decides {@code 03/04/2026} (3 April in GB), as a
     * spreadsheet of that country writes it. A value that is no date in that order but one in the other
     * ({@code 12/20/2026} in GB) is refused, naming the date it would be: a file from another country is never shifted
     * by months without a word. Years outside 2000 to 2099 are refused ({@code 0020-12-20}, {@code 20/12/0027}).
     */
    public LocalDate date(String place, String value, boolean required) {
        // a date is at most 10 characters; longer text (a time after it, a month's name, a five-digit year) is quoted
        // back as no date, whatever this instance's own limit (10 for a body's dates: "at most 10 characters" would not
        // say how to write one)
        String v = line(place, value, 40, required);
        if (v == null) {
            return null;
        }
        String iso = "must be a date written YYYY-MM-DD, like 2026-03-31";
        String expected = convention.dates() == Convention.DateOrder.YEAR_FIRST ? iso
                : iso + ", or " + convention.datePattern() + " with a four-digit year";
        Matcher m = NUMERIC_DATE.matcher(v);
        if (!m.matches()) {
            errors.add(row, place, expected, v);
            return null;
        }
        String a = m.group(1);
        String c = m.group(4);
        int first = Integer.parseInt(a);
        int second = Integer.parseInt(m.group(3));
        int third = Integer.parseInt(c);
        try {
            if (a.length() == 4) {
                return inRange(place, LocalDate.of(first, second, third), v);
            }
            if (c.length() != 4 || convention.dates() == Convention.DateOrder.YEAR_FIRST) {
                errors.add(row, place, expected, v);
                return null;
            }
            // Dots are day-first wherever they are written (20.12.2026); slashes and dashes follow the organisation.
            boolean dayFirst = convention.dates() == Convention.DateOrder.DAY_FIRST || ".".equals(m.group(2));
            LocalDate date;
            try {
                date = dayFirst ? LocalDate.of(third, second, first) : LocalDate.of(third, first, second);
            } catch (DateTimeException notInThisOrder) {
                // Read the other way round it may be a date: the file was written elsewhere. Say which one, never
                // take it silently.
                LocalDate other = dayFirst ? LocalDate.of(third, first, second) : LocalDate.of(third, second, first);
                String sep = m.group(2);
                String read = dayFirst ? "DD" + sep + "MM" + sep + "YYYY" : "MM" + sep + "DD" + sep + "YYYY";
                // dots are read day first wherever the organisation is: say that, not that it writes dates so; a
                // separator the organisation does not write (slashes in Germany) names the organisation's own way
                String why = ".".equals(sep) && convention.dates() != Convention.DateOrder.DAY_FIRST
                        ? "as dates with dots are read day first"
                        : sep.charAt(0) == convention.dateSeparator() ? "as this organisation writes dates"
                                : "as this organisation writes dates " + (dayFirst ? "day" : "month") + " first ("
                                        + convention.datePattern() + ")";
                errors.add(row, place, "is not a date when read " + read + ", " + why + "; if you mean "
                        + SPOKEN.format(other) + ", write it as " + other, v);
                return null;
            }
            return inRange(place, date, v);
        } catch (DateTimeException e) {
            errors.add(row, place, "is not a date in the calendar; " + expected, v);
            return null;
        }
    }

    private static final Pattern DATE_TIME = Pattern.compile("(\\S+?)(?:T|\\s+)(\\d{1,2}):(\\d{2})(?::(\\d{2}))?");

    /**
     * A local date and time (no zone): a date as {@link #date} reads it, a space (or {@code T}) and a 24-hour time
     * {@code HH:MM} (one-digit hours too, and {@code :00} seconds; other seconds are refused, never dropped):
     * {@code 2026-12-20 09:00}, and in a day-first country also {@code 20/12/2026 09:00}. A date alone is refused: a
     * window's end needs its time.
     */
    public java.time.LocalDateTime dateTime(String place, String value, boolean required) {
        String v = line(place, value, required, 25);
        if (v == null) {
            return null;
        }
        String expected = "must be a date and time written YYYY-MM-DD HH:MM, like 2026-12-01 09:00"
                + (convention.dates() == Convention.DateOrder.YEAR_FIRST ? ""
                        : ", or " + convention.datePattern() + " HH:MM");
        Matcher m = DATE_TIME.matcher(v);
        if (!m.matches()) {
            errors.add(row, place, expected, v);
            return null;
        }
        // the date's own rules, its problems reported with the whole cell
        var dateErrors = new ValidationException.Builder();
        LocalDate date = new Fields(dateErrors, row, maxLength, convention).date(place, m.group(1), true);
        // said with the time's place too: the cell is a date and a time, and only its date part was read here
        dateErrors.errors().forEach(e -> errors.add(row, place, e.message() + ", then the time HH:MM", v));
        int hour = Integer.parseInt(m.group(2));
        int minute = Integer.parseInt(m.group(3));
        int second = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        if (hour > 23 || minute > 59 || second > 59) {
            errors.add(row, place, "has no such time of day; " + expected, v);
            return null;
        }
        if (second != 0) {
            // to the minute, as the API's windows: seconds are refused, never dropped
            errors.add(row, place, "is to the minute: write it without seconds, as "
                    + String.format(java.util.Locale.ROOT, "%s %02d:%02d", m.group(1), hour, minute), v);
            return null;
        }
        return date == null ? null : date.atTime(hour, minute);
    }

    /** The years a requested date may fall in: a fixed range, so a file reads the same whatever day it is imported. */
    public static final int FIRST_YEAR = 2000;
    public static final int LAST_YEAR = 2099;

    /**
     * The date, or null with an error when its year is outside {@link #FIRST_YEAR}..{@link #LAST_YEAR} (0027, 9999).
     */
    private LocalDate inRange(String place, LocalDate date, String value) {
        if (date.getYear() < FIRST_YEAR || date.getYear() > LAST_YEAR) {
            errors.add(row, place, "must be a date in the years " + FIRST_YEAR + " to " + LAST_YEAR + " (got the year "
                    + date.getYear() + "), written YYYY-MM-DD like 2026-03-31", value);
            return null;
        }
        return date;
    }

    /** Characters that group thousands in every convention: space, no-break space, narrow no-break space, ' (CH). */
    private static final String SPACES = " \u00A0\u202F'\u2019";
    private static final Pattern SCIENTIFIC = Pattern.compile("[+-]?[0-9.,]*[0-9][eE][+-]?[0-9]+");

    /**
     * A quantity or price. A JSON number is read as JSON writes it ({@code 1000.0}); text is read under the
     * convention's decimal mark:
     * <ul>
     * <li>the mark separates the fraction; the other mark, spaces and apostrophes may group the whole part, but only in
     * well-formed groups of three whose first group does not start with 0 ({@code 2,500} and {@code 1 234 567.5} with a
     * point; {@code 1.000} with a comma; {@code 0,500} with a point is refused as a decimal comma, never 500);
     * <li>a value whose only separator is the decimal mark with exactly three digits after it and one to three before
     * ({@code 2,500} with a comma, {@code 1.000} with a point) is refused: it is how the other convention writes a
     * thousand, and guessing wrong is a 1000x error; leading zeros change nothing ({@code 01.000} too);
     * <li>anything else with separators (a misplaced group, two decimal marks, the other convention's decimal) is
     * refused, saying what it would be under the other convention;
     * <li>scientific notation ({@code 1.5E+3}) is refused; trailing zeros are dropped before counting digits (at most
     * 15 before and 4 after the decimal mark).
     * </ul>
     * The number comes back without trailing zeros ({@code 10.000000} is 10).
     */
    public BigDecimal decimal(String place, String value, boolean jsonNumber, boolean required, boolean positive) {
        String v = line(place, value, required, 40);
        if (v == null) {
            return null;
        }
        v = strip(v);
        Convention.DecimalMark mark = jsonNumber ? Convention.DecimalMark.POINT : convention.decimal();
        if (SCIENTIFIC.matcher(v).matches()) {
            BigDecimal plain = scientific(v, mark);
            errors.add(row, place, "is in scientific notation; write the number in full"
                    + (plain == null ? ", like 1500" : ": " + written(plain, mark)), v);
            return null;
        }
        if (form && !jsonNumber && mark == Convention.DecimalMark.POINT && v.indexOf(',') >= 0 && v.indexOf('.') < 0) {
            // a staff form's number with a decimal comma, as people in comma countries type it (and as a browser's
            // number input in such a locale took it): read so, unless it could be thousands as well ("1,500": asked)
            if (ambiguous(v, Convention.DecimalMark.COMMA)) {
                BigDecimal small = read(v, Convention.DecimalMark.COMMA, true);
                String thousands = thousands(v, Convention.DecimalMark.COMMA);
                errors.add(row, place, "is that " + written(small, mark) + " or " + thousands + "? write "
                        + unambiguous(small, mark) + " or " + thousands, v);
                return null;
            }
            BigDecimal comma = read(v, Convention.DecimalMark.COMMA, false);
            if (comma != null) {
                v = comma.toPlainString();
            }
        }
        BigDecimal number = jsonNumber ? number(v) : read(v, mark, false);
        if (number == null) {
            if (!jsonNumber && ambiguous(v, mark)) {
                BigDecimal small = read(v, mark, true);
                String thousands = thousands(v, mark);
                errors.add(row, place, "is that " + written(small, mark) + " or " + thousands + "? write "
                        + unambiguous(small, mark) + " or " + thousands, v);
            } else {
                errors.add(row, place, notANumber(v, mark), v);
            }
            return null;
        }
        if (positive ? number.signum() <= 0 : number.signum() < 0) {
            errors.add(row, place, positive ? "must be a positive number" : "must not be negative", v);
            return null;
        }
        if (number.scale() > 4 || number.precision() - number.scale() > 15) {
            errors.add(row, place, TOO_MANY_DIGITS + " (at most 15 before and 4 after the decimal "
                    + (mark == Convention.DecimalMark.POINT ? "point)" : "comma)"), v);
            return null;
        }
        return number;
    }

    /**
     * A whole number from {@code min} to {@code max}, text read as {@link #decimal} reads it under the convention (DE
     * {@code 1.500} and GB {@code 1,500} are 1500; {@code 2.0} is 2); null when blank or refused. A fraction or a
     * number outside the range is refused with {@code expected}, like "must be a whole number of units, 0 or more", and
     * so is anything but digits and separators ({@code lots}, {@code -3}); digits whose separators do not fit the
     * convention get {@link #decimal}'s message, which says how to write them ({@code 1.000} under a decimal point: 1
     * or 1000?).
     */
    public Integer whole(String place, String value, boolean required, int min, int max, String expected) {
        var own = new ValidationException.Builder();
        Fields inner = new Fields(own, row, maxLength, convention, form);
        inner.decimalParameter = decimalParameter;
        BigDecimal n = inner.decimal(place, value, false, required, false);
        String v = value == null ? "" : value.strip();
        if (n == null && own.isEmpty()) {
            return null; // blank and not required
        }
        Convention.DecimalMark other = convention.decimal() == Convention.DecimalMark.POINT
                ? Convention.DecimalMark.COMMA : Convention.DecimalMark.POINT;
        BigDecimal elsewhere = n == null && !v.isEmpty() ? read(v, other, false) : null;
        if (elsewhere != null && elsewhere.stripTrailingZeros().scale() > 0) {
            // 1,5 under a decimal point: whichever mark it was written with, no whole number; "write 1.5" would only
            // be refused next
            errors.add(row, place, expected, v);
            return null;
        }
        if (n == null && !v.isEmpty() && !v.startsWith("-") && ambiguous(v, convention.decimal())) {
            // 1.500 under a decimal point: one and a half is no whole number, so only the thousands can be meant,
            // but a file from elsewhere is never read by guessing: say how to write it
            String thousands = thousands(v, convention.decimal());
            errors.add(row, place, new BigDecimal(thousands).compareTo(BigDecimal.valueOf(max)) > 0 ? expected
                    : expected + "; if you mean " + thousands + ", write " + thousands, v);
            return null;
        }
        if (n == null && (v.isEmpty() || WRITTEN_NUMBER.matcher(v).matches())
                && own.errors().stream().noneMatch(e -> e.message().startsWith(TOO_MANY_DIGITS))) {
            own.errors().forEach(e -> errors.add(row, place, e.message(), e.value()));
            return null;
        }
        if (n == null || n.scale() > 0 || n.compareTo(BigDecimal.valueOf(min)) < 0
                || n.compareTo(BigDecimal.valueOf(max)) > 0) {
            errors.add(row, place, expected, v);
            return null;
        }
        return n.intValueExact();
    }

    /** Digits with thousands or decimal separators, no sign: what {@link #whole} lets {@link #decimal} explain. */
    private static final Pattern WRITTEN_NUMBER = Pattern.compile("[0-9][0-9.,'\u2019 \u00A0\u202F]*");

    private static String strip(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && SPACES.indexOf(v.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && SPACES.indexOf(v.charAt(end - 1)) >= 0) {
            end--;
        }
        return v.substring(start, end);
    }

    /** What 1.5E+3 (or 1,5E+3 with a decimal comma) stands for, to say how to write it; null if unclear. */
    private static BigDecimal scientific(String v, Convention.DecimalMark mark) {
        int e = Math.max(v.indexOf('e'), v.indexOf('E'));
        String mantissa = v.substring(0, e);
        // E notation is programmers' syntax, usually with a point even where people write a comma
        String point = mantissa.indexOf(mark.group) < 0 ? mantissa.replace(mark.mark, '.')
                : mark.group == '.' ? mantissa : null;
        if (point == null || point.indexOf(',') >= 0) {
            return null;
        }
        try {
            int exponent = Integer.parseInt(v.substring(e + 1).replace("+", ""));
            if (Math.abs(exponent) > 20) {
                return null; // no one means such a number; do not print it in full
            }
            return clean(new BigDecimal(point).scaleByPowerOfTen(exponent));
        } catch (NumberFormatException | ArithmeticException ex) {
            return null;
        }
    }

    /** A JSON number's own text: JSON has one syntax, so it is never ambiguous. */
    private static BigDecimal number(String v) {
        try {
            return clean(new BigDecimal(v));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The value under {@code mark}, or null when it does not follow the convention. {@code lenient} reads even the
     * ambiguous form (for messages).
     */
    private static BigDecimal read(String v, Convention.DecimalMark mark, boolean lenient) {
        String digits = v;
        String sign = "";
        if (!digits.isEmpty() && (digits.charAt(0) == '-' || digits.charAt(0) == '+')) {
            sign = digits.substring(0, 1);
            digits = digits.substring(1);
        }
        int at = digits.indexOf(mark.mark);
        if (at != digits.lastIndexOf(mark.mark)) {
            return null;
        }
        String whole = at < 0 ? digits : digits.substring(0, at);
        String fraction = at < 0 ? null : digits.substring(at + 1);
        if (fraction != null && !digitsOnly(fraction)) {
            return null;
        }
        if (!digitsOnly(whole)) {
            Character group = null;
            for (char ch : whole.toCharArray()) {
                if (ch < '0' || ch > '9') {
                    if (group != null && group != ch || ch != mark.group && SPACES.indexOf(ch) < 0) {
                        return null;
                    }
                    group = ch;
                }
            }
            // The first group is 1 to 3 digits not starting with 0: 0,500 is no thousand in any convention.
            if (group == null || !whole.matches("[1-9][0-9]{0,2}(" + Pattern.quote(group.toString()) + "[0-9]{3})+")) {
                return null;
            }
            whole = whole.replace(group.toString(), "");
        } else if (!lenient && ambiguous(v, mark)) {
            return null;
        }
        return clean(new BigDecimal(sign + whole + (fraction == null ? "" : "." + fraction)));
    }

    /** How {@link #decimal} begins its refusal of a number longer than it keeps. */
    private static final String TOO_MANY_DIGITS = "has too many digits";

    /** An {@link #ambiguous} value read as thousands: {@code 1.500} under a point is 1500 (sign kept, no leading 0). */
    private static String thousands(String v, Convention.DecimalMark mark) {
        return v.replace(String.valueOf(mark.mark), "").replaceFirst("^([+-]?)0+", "$1");
    }

    /**
     * The decimal mark alone, three digits after it, one to three before (not a lone 0): a thousand elsewhere. Leading
     * zeros do not make it clearer: 01.000 is as ambiguous as 1.000.
     */
    private static boolean ambiguous(String v, Convention.DecimalMark mark) {
        return (mark == Convention.DecimalMark.POINT ? AMBIGUOUS_POINT : AMBIGUOUS_COMMA).matcher(v).matches();
    }

    // compiled once: every number of a file goes through read() (a regex compiled per value cost more than the rest)
    private static final Pattern AMBIGUOUS_POINT = ambiguity(Convention.DecimalMark.POINT);
    private static final Pattern AMBIGUOUS_COMMA = ambiguity(Convention.DecimalMark.COMMA);

    private static Pattern ambiguity(Convention.DecimalMark mark) {
        return Pattern.compile("[+-]?0*[1-9][0-9]{0,2}" + Pattern.quote(String.valueOf(mark.mark)) + "[0-9]{3}");
    }

    /** At least one character, each an ASCII digit (as the regex [0-9]+). */
    private static boolean digitsOnly(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private String notANumber(String v, Convention.DecimalMark mark) {
        Convention.DecimalMark other = mark == Convention.DecimalMark.POINT ? Convention.DecimalMark.COMMA
                : Convention.DecimalMark.POINT;
        // a staff form reads either mark (see decimal), and its hint says so: so does its refusal
        String expected = form ? "must be a number, like 12, 12.5 or 12,5"
                : "must be a number written with a decimal " + name(mark) + " (" + mark.label.split(": ")[1]
                        + "), like 12 or " + written(new BigDecimal("12.5"), mark);
        if (!v.matches("[+-]?[0-9.,'\u2019 \u00A0\u202F]*[0-9][0-9.,'\u2019 \u00A0\u202F]*")) {
            return expected;
        }
        BigDecimal elsewhere = read(v, other, false);
        if (elsewhere == null && ambiguous(v, other)) {
            // 01,000 under a point: no thousand (a group never starts with 0), and 1 or 1000 under a comma
            BigDecimal small = read(v, other, true);
            String thousands = thousands(v, other);
            return "is that " + written(small, mark) + " or " + thousands + "? write " + unambiguous(small, mark)
                    + " or " + thousands;
        }
        if (elsewhere == null && v.matches("[+-]?0+[.,'\u2019 \u00A0\u202F][0-9]{3}.*")) {
            return expected + "; a number grouped in thousands does not start with 0";
        }
        if (elsewhere == null) {
            return expected + "; the separators here are not in groups of three";
        }
        if (form && mark == Convention.DecimalMark.POINT) {
            // this form reads a decimal comma too (above), just not one grouped in thousands with points (1.200,5)
            return "is grouped in thousands, which this form does not read: write " + written(elsewhere, other) + " or "
                    + written(elsewhere, mark);
        }
        if (form) {
            return "is written with a decimal " + name(other) + ", but this form takes a decimal " + name(mark)
                    + ": write " + written(elsewhere, mark);
        }
        if (row == null) {
            return "is written with a decimal " + name(other) + ", but this request reads a decimal " + name(mark)
                    + ": write " + written(elsewhere, mark)
                    + (decimalParameter ? ", or send decimal=" + name(other) : "");
        }
        return "is written with a decimal " + name(other) + ", but this import reads a decimal " + name(mark)
                + ": write " + written(elsewhere, mark) + ", or import it with decimal " + name(other);
    }

    private static String name(Convention.DecimalMark mark) {
        return mark == Convention.DecimalMark.POINT ? "point" : "comma";
    }

    /** Plain digits and the convention's mark: 2500, 2.5 / 2,5. */
    private static String written(BigDecimal number, Convention.DecimalMark mark) {
        return number.toPlainString().replace('.', mark.mark);
    }

    /** A spelling of a small number that no convention reads as thousands: 2.5, or 1.1250 for 1.125. */
    private static String unambiguous(BigDecimal number, Convention.DecimalMark mark) {
        String text = written(number, mark);
        return number.scale() == 3 && number.abs().compareTo(BigDecimal.ONE) >= 0 ? text + "0" : text;
    }

    private static BigDecimal clean(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
