package io.portlink.platform;

import java.util.List;

/**
 * The request contradicts what is stored (same reference with other content, changed meanwhile...). {@link #errors} may
 * name each field that differs ({@code field}: what is stored, {@code value}: what was sent).
 */
public class ConflictException extends RuntimeException {

    private final List<ValidationException.FieldError> errors;

    public ConflictException(String message) {
        this(message, List.of());
    }

    public ConflictException(String message, List<ValidationException.FieldError> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    /** The fields in conflict, each with what is stored in its message; empty when the message says it all. */
    public List<ValidationException.FieldError> errors() {
        return errors;
    }
}
