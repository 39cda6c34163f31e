package io.portlink.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks on posted forms that come before any rule: a form the page always sends in full may still arrive without its
 * fields (a bare POST, a hand-made request). Such a request is answered with the names of what is missing, and nothing
 * is changed, rather than acting on defaults.
 */
public final class Forms {

    private Forms() {
    }

    /**
     * @param namesAndValues
     *            pairs of a field's name and the value that arrived (null when absent); an empty value is present
     *
     * @throws ValidationException
     *             naming every absent field at once
     */
    public static void require(Object... namesAndValues) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null) {
                missing.add((String) namesAndValues[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw ValidationException.of(String.join(", ", missing),
                    (missing.size() == 1 ? "is" : "are") + " missing from the form; nothing was changed", null);
        }
    }

    /**
     * Refuses one-line fields holding a control character (NUL above all, which PostgreSQL refuses in text), a line
     * separator or a bidi control ({@link Unicode#breaksOneLine}).
     *
     * @param namesAndValues
     *            pairs of a field's name and its value (null is left to the rules that require it)
     *
     * @throws ValidationException
     *             naming every such field
     */
    public static void oneLine(String... namesAndValues) {
        var errors = new ValidationException.Builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String value = namesAndValues[i + 1];
            if (value != null && Unicode.breaksOneLine(value)) {
                errors.add(namesAndValues[i], "must be one line, without control characters", null);
            }
        }
        errors.throwIfAny();
    }

    /**
     * A whole number a form field holds, or a {@link ValidationException} naming the field (never a parser's message,
     * never an overflow: {@code 1E+2147483647} and 5,000 digits are refused like {@code abc}).
     */
    public static long wholeNumber(String field, String value) {
        String v = value == null ? "" : value.strip();
        if (v.matches("-?[0-9]{1,18}")) {
            return Long.parseLong(v);
        }
        throw ValidationException.of(field, "must be a whole number", v);
    }
}
