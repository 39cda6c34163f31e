package io.portlink.purchasing;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import io.portlink.platform.ValidationException;

/**
 * The search text of the order list, read into terms. Words are separated by spaces and all must match (AND); "double
 * quotes" keep a phrase with its spaces as one term. A bare term matches part of the order's reference, of a line's SKU
 * or description, or of the vendor's name (any case), or the whole tracking number. A term may name its field:
 * {@code ref:}, {@code sku:}, {@code desc:} or {@code vendor:} ({@code vendor:"north wind"}). Nothing is a syntax
 * error: an unknown prefix ({@code PO:12}) is searched as written.
 */
public final class OrderSearch {

    /** Most terms one search takes: each is one indexed lookup. */
    public static final int MAX_TERMS = 8;
    /** Longest term. */
    public static final int MAX_TERM_LENGTH = 100;

    /** Where a term is looked for. */
    public enum Field {
        ANY(""), REFERENCE("ref:"), SKU("sku:"), DESCRIPTION("desc:"), VENDOR("vendor:");

        public final String prefix;

        Field(String prefix) {
            this.prefix = prefix;
        }
    }

    /** One term: its text (as typed, without quotes and prefix) and where it is looked for. */
    public record Term(Field field, String text) {

        /** The term as a LIKE pattern matching it anywhere, with {@code !} as the escape character. */
        public String contains() {
            return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        }
    }

    /** Days from {@code from} to {@code to}, both included; either may be open (null). */
    public record Range(LocalDate from, LocalDate to) {

        public static final Range ANY = new Range(null, null);

        public boolean isAny() {
            return from == null && to == null;
        }

        /**
         * A range from a form's two date fields ({@code YYYY-MM-DD}, empty for open), every problem added to
         * {@code errors} under {@code name + "From"} and {@code name + "To"}.
         */
        public static Range parse(String name, String from, String to, ValidationException.Builder errors) {
            LocalDate start = date(name + "From", from, errors);
            LocalDate end = date(name + "To", to, errors);
            if (start != null && end != null && end.isBefore(start)) {
                errors.add(name + "To", "must not be before the start of the range (" + start + ")", to);
                return ANY;
            }
            return new Range(start, end);
        }

        private static LocalDate date(String field, String value, ValidationException.Builder errors) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                LocalDate date = LocalDate.parse(value.strip());
                if (date.getYear() < 2000 || date.getYear() > 2099) {
                    errors.add(field, "must be a date from 2000 to 2099", value);
                    return null;
                }
                return date;
            } catch (DateTimeParseException e) {
                errors.add(field, io.portlink.platform.Fields.isoDateProblem(value), value);
                return null;
            }
        }
    }

    private OrderSearch() {
    }

    /**
     * The terms of a search text; blank gives none.
     *
     * @throws ValidationException
     *             ({@code q}) for more than {@link #MAX_TERMS} terms or a term over {@link #MAX_TERM_LENGTH} characters
     */
    public static List<Term> terms(String q) {
        List<Term> terms = new ArrayList<>();
        if (q == null) {
            return terms;
        }
        String text = q.strip();
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            Field field = Field.ANY;
            for (Field f : Field.values()) {
                if (f != Field.ANY && text.regionMatches(true, i, f.prefix, 0, f.prefix.length())) {
                    field = f;
                    i += f.prefix.length();
                    break;
                }
            }
            StringBuilder term = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                int end = text.indexOf('"', i + 1);
                term.append(end < 0 ? text.substring(i + 1) : text.substring(i + 1, end));
                i = end < 0 ? text.length() : end + 1;
            } else {
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                    term.append(text.charAt(i++));
                }
            }
            String value = term.toString().strip();
            if (!value.isEmpty()) {
                terms.add(new Term(field, value));
            }
        }
        var errors = new ValidationException.Builder();
        if (terms.size() > MAX_TERMS) {
            errors.add("q", "takes at most " + MAX_TERMS + " words; leave some out", q);
        }
        terms.stream().filter(t -> t.text().length() > MAX_TERM_LENGTH).findFirst().ifPresent(
                t -> errors.add("q", "a word may have at most " + MAX_TERM_LENGTH + " characters", t.text()));
        errors.throwIfAny();
        return terms;
    }

    /** The fields a search text looks in, for an empty list to say ("reference, SKU, description or vendor"). */
    public static String where(List<Term> terms) {
        var fields = terms.stream().map(Term::field).distinct().toList();
        if (fields.size() != 1 || fields.get(0) == Field.ANY) {
            return "reference, SKU, description or vendor";
        }
        return switch (fields.get(0)) {
        case REFERENCE -> "reference";
        case SKU -> "SKU";
        case DESCRIPTION -> "description";
        case VENDOR -> "vendor";
        default -> throw new IllegalStateException();
        };
    }
}
