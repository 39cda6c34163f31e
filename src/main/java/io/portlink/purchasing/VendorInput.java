package io.portlink.purchasing;

import java.util.regex.Pattern;

import io.portlink.platform.Locales;
import io.portlink.platform.Unicode;
import io.portlink.platform.ValidationException;

/**
 * Free text from a vendor form, checked with messages in the vendor's language: every problem is collected, then
 * {@link #throwIfAny()} refuses the form as a whole (nothing is written).
 */
public final class VendorInput {
    final VendorMessages text;
    final ValidationException.Builder errors = new ValidationException.Builder();

    public VendorInput(VendorMessages text) {
        this.text = text;
    }

    public void add(String message) {
        errors.add(null, message, null);
    }

    /**
     * Trimmed text ({@link Unicode#strip}: a text of no-break or zero-width spaces only is blank), null when blank;
     * {@code missing} is the message when it is required, else null.
     */
    public String text(String label, String value, int max, String missing) {
        return checked(label, value, max, missing, false);
    }

    /** {@link #text}, on one line: a line break or tab is refused. */
    public String line(String label, String value, int max, String missing) {
        return checked(label, value, max, missing, true);
    }

    private String checked(String label, String value, int max, String missing, boolean oneLine) {
        String v = Unicode.typed(value);
        if (v.isEmpty()) {
            if (missing != null) {
                add(missing);
            }
            return null;
        }
        Unicode.TypedProblem problem = Unicode.typedProblem(v, max, oneLine);
        if (problem != null) {
            add(switch (problem) {
            case TOO_LONG -> text.error_too_long(label, Locales.count(max, text.lang()),
                    Locales.count(v.length(), text.lang()));
            case CHARACTERS -> text.error_control_characters(label);
            case LINE_BREAK -> text.error_one_line(label);
            });
            return null;
        }
        return v;
    }

    /** How many problems were added so far. */
    public int problems() {
        return errors.size();
    }

    public void throwIfAny() {
        errors.throwIfAny();
    }

    private static final Pattern TRACKING = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ./_-]{2,99}");

    /** A tracking number as carriers print them (letters, digits, space and - . / _, 3 to 100); null when blank. */
    public String trackingNumber(String value, boolean required) {
        String v = line(text.tracking_number(), value, 100, required ? text.error_tracking_required() : null);
        if (v != null && !TRACKING.matcher(v).matches()) {
            add(text.error_tracking_invalid(v.length() > 40 ? v.substring(0, 40) + "…" : v));
            return null;
        }
        return v;
    }
}
