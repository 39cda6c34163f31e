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

        public Builder add(String field, String message, String value) {
            errors.add(new FieldError(null, field, message, value));
            return this;
        }

        public Builder add(Integer row, String field, String message, String value) {
            errors.add(new FieldError(row, field, message, value));
            return this;
        }

        public boolean isEmpty() {
            return errors.isEmpty();
        }

        public int size() {
            return errors.size();
        }

        public List<FieldError> errors() {
            return errors;
        }

        public void throwIfAny() {
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
        }
    }
}
