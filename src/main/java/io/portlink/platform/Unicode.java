package io.portlink.platform;

/** Characters no honest text field needs, checked the same way wherever people type text. */
public final class Unicode {

    private Unicode() {
    }

    /**
     * The bidi embedding, override and isolate controls (U+202A to U+202E, U+2066 to U+2069): they reorder the text
     * after them wherever it is shown, so {@code 12} can read {@code 21}.
     */
    public static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    /**
     * True when a one-line value holds a control character, a line or paragraph separator, a bidi control, or half of a
     * UTF-16 surrogate pair (JSON's "\\ud800" alone: no character at all, which the database would store as "?").
     */
    public static boolean breaksOneLine(String value) {
        return value.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || isBidiControl(c) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE));
    }
}
