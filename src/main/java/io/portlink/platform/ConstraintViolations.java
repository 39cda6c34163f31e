package io.portlink.platform;

import java.util.Locale;
import java.util.Optional;

/**
 * Which database constraint a failed write broke, for the writers that turn a lost race on a unique index into a plain
 * answer (a 409 or a 422) instead of an error.
 */
public final class ConstraintViolations {

    private ConstraintViolations() {
    }

    /**
     * The lower-case name of the constraint that the first constraint violation in {@code e}'s causes names; an empty
     * string when the driver gave no name; empty when no constraint was violated.
     */
    public static Optional<String> violated(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException c) {
                return Optional.of(c.getConstraintName() == null ? "" : c.getConstraintName().toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }
}
