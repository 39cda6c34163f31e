package io.portlink.order;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

import io.portlink.platform.ValidationException;

/**
 * The rules for every field of an imported order, in one place for the JSON API, the CSV import and the upload form.
 * Each parser reports into the caller's error list under the caller's name for the place (JSON path or CSV column) and
 * returns null when the value is missing or wrong.
 */
final class Fields {

    static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{5,40}");
    static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?");

    private final ValidationException.Builder errors;
    private final Integer row;
    private final int maxLength;

    Fields(ValidationException.Builder errors, Integer row, int maxLength) {
        this.errors = errors;
        this.row = row;
        this.maxLength = maxLength;
    }

    /**
     * Trims, turns blank into null, and enforces the length limit. Rejects control characters (CR/LF in mail headers).
     */
    String text(String place, String value, boolean required, int limit) {
        // Spreadsheets end lines inside cells with CR LF; store one kind of line break.
        String v = value == null ? null : value.replace("\r\n", "\n").replace('\r', '\n').strip();
        if (v == null || v.isEmpty()) {
            if (required) {
                errors.add(row, place, "is required", null);
            }
            return null;
        }
        int max = Math.min(limit, maxLength);
        if (v.length() > max) {
            errors.add(row, place, "must be at most " + max + " characters, got " + v.length(), null);
            return null;
        }
        if (v.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
            errors.add(row, place, "must not contain control characters", null);
            return null;
        }
        return v;
    }

    /** A single-line text: no line breaks either. */
    String line(String place, String value, boolean required, int limit) {
        String v = text(place, value, required, limit);
        if (v != null && (v.indexOf('\n') >= 0 || v.indexOf('\t') >= 0)) {
            errors.add(row, place, "must be on one line", v);
            return null;
        }
        return v;
    }

    String matching(String place, String value, boolean required, int limit, Pattern pattern, String expected) {
        String v = line(place, value, required, limit);
        if (v != null && !pattern.matcher(v).matches()) {
            errors.add(row, place, expected, v);
            return null;
        }
        return v;
    }

    String reference(String place, String value) {
        return matching(place, value, true, 64, REFERENCE,
                "must be 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit");
    }

    String email(String place, String value, boolean required) {
        String v = matching(place, value, required, 254, EMAIL, "must be an e-mail address like orders@vendor.example");
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    String phone(String place, String value) {
        return matching(place, value, false, 40, PHONE, "must be a phone number like +44 20 7946 0000");
    }

    String language(String place, String value) {
        String v = line(place, value, false, 8);
        if (v != null && !LANGUAGE.matcher(v.toLowerCase(Locale.ROOT)).matches()) {
            errors.add(row, place, "must be a language code like en or de", v);
            return null;
        }
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    String currency(String place, String value) {
        String v = line(place, value, false, 3);
        if (v == null) {
            return null;
        }
        v = v.toUpperCase(Locale.ROOT);
        if (!CURRENCY.matcher(v).matches()) {
            errors.add(row, place, "must be a three-letter currency code like EUR or USD", value);
            return null;
        }
        return v;
    }

    LocalDate date(String place, String value, boolean required) {
        String v = line(place, value, required, 10);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            errors.add(row, place, "must be a date written YYYY-MM-DD, like 2026-03-31", v);
            return null;
        }
    }

    /** Accepts 1234.5 and, for spreadsheets of comma countries, 1234,5; never thousands separators. */
    BigDecimal decimal(String place, String value, boolean required, boolean positive) {
        String v = line(place, value, required, 30);
        if (v == null) {
            return null;
        }
        String normalized = v.indexOf(',') >= 0 && v.indexOf('.') < 0 ? v.replace(',', '.') : v;
        try {
            BigDecimal number = new BigDecimal(normalized);
            if (positive ? number.signum() <= 0 : number.signum() < 0) {
                errors.add(row, place, positive ? "must be a positive number" : "must not be negative", v);
                return null;
            }
            if (number.scale() > 4 || number.precision() - number.scale() > 15) {
                errors.add(row, place, "has too many digits (at most 15 before and 4 after the decimal point)", v);
                return null;
            }
            return number;
        } catch (NumberFormatException e) {
            errors.add(row, place, "must be a number like 12 or 12.50", v);
            return null;
        }
    }
}
