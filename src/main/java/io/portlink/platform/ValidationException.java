package io.portlink.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * Input a person can fix: every problem found, each naming where (row, field) and what was given. Thrown before
 * anything is written.
 */
public class ValidationException extends RuntimeException {

    /** One problem; {@code row} is set for file imports (the header is row 1, as a spreadsheet shows it). */
    public record FieldError(Integer row, String field, String message, String value) {

        public String describe() {
            StringBuilder text = new StringBuilder();
            if (row != null) {
                text.append("row ").append(row).append(", ");
            }
            text.append(field).append(": ").append(message);
            if (value != null && !value.isEmpty()) {
                text.append(" (got \"").append(value.length() > 60 ? value.substring(0, 60) + "…" : value)
                        .append("\")");
            }
            return text.toString();
        }

        /**
         * {@link #describe()} for a person at a form rather than a program: a field named by a plain path reads as
         * words ("internal.salePrice" reads "Internal sale price"). A field with an index ("stops[0].zone",
         * "photos[1]") keeps its name, as the lists count from 0 in some places and from 1 in others.
         */
        public String forPeople() {
            return field == null || field.contains("[") ? describe()
                    : new FieldError(row, label(field), message, value).describe();
        }

        /** "internal.salePrice" → "Internal sale price"; blank stays blank. */
        static String label(String field) {
            if (field.isBlank()) {
                return field;
            }
            String words = field.replace('.', ' ').replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ')
                    .toLowerCase(java.util.Locale.ROOT);
            return Character.toUpperCase(words.charAt(0)) + words.substring(1);
        }
    }

    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid input" : errors.get(0).describe());
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String message, String value) {
        return new ValidationException(List.of(new FieldError(null, field, message, value)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Collects problems so a person sees all of them at once, not one per attempt. */
    public static final class Builder {
        private final List<FieldError> errors = new ArrayList<>();
        private int limit = Integer.MAX_VALUE;
        private int unlisted;

        /**
         * Lists at most {@code limit} problems and counts the others: {@link #size()} counts them all, and the
         * exception's last problem says how many more there were (a whole file is checked, its answer stays short).
         */
        public Builder capped(int limit) {
            this.limit = limit;
            return this;
        }

        /** Whether problems past a limit are counted rather than listed ({@link #capped}). */
        public boolean isCapped() {
            return limit != Integer.MAX_VALUE;
        }

        public Builder add(String field, String message, String value) {
            return add(null, field, message, value);
        }

        public Builder add(Integer row, String field, String message, String value) {
            if (errors.size() < limit) {
                errors.add(new FieldError(row, field, message, value));
            } else {
                unlisted++;
            }
            return this;
        }

        /**
         * The value {@code parse} reads, or null with its problems added here: so that one answer names every wrong
         * parameter, not only those of the first parse that failed.
         */
        public <T> T take(java.util.function.Supplier<T> parse) {
            try {
                return parse.get();
            } catch (ValidationException e) {
                e.errors().forEach(x -> add(x.row(), x.field(), x.message(), x.value()));
                return null;
            }
        }

        /**
         * Counts {@code more} problems found past the cap without listing them: for problems gathered elsewhere (a
         * query over a whole file) and merged in, of which only the first ones were kept.
         */
        public Builder unlisted(int more) {
            this.unlisted += more;
            return this;
        }

        /** Problems counted but not listed ({@link #capped}). */
        public int unlisted() {
            return unlisted;
        }

        public boolean isEmpty() {
            return errors.isEmpty();
        }

        /** Every problem added, listed or not. */
        public int size() {
            return errors.size() + unlisted;
        }

        public List<FieldError> errors() {
            return errors;
        }

        public void throwIfAny() {
            if (unlisted > 0) {
                var all = new ArrayList<>(errors);
                all.add(new FieldError(
                        null, "file", "has " + unlisted + " more problem" + (unlisted == 1 ? "" : "s")
                                + " not listed here (" + size() + " in all); fix these and check the file again",
                        null));
                throw new ValidationException(all);
            }
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
        }
    }
}
