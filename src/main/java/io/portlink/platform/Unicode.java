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
     * {@code value} without what shows as nothing at either end: white space as {@link String#strip()} sees it, and
     * also the spaces it does not (no-break U+00A0, U+2007, U+202F) and the invisible format characters (zero-width
     * space U+200B, joiners U+200C/U+200D, word joiner U+2060, U+FEFF). A phone's keyboard or a paste can give a text
     * of nothing else, which a reader would take for empty. Characters inside the text stay.
     */
    public static String strip(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && blank(value.charAt(start))) {
            start++;
        }
        while (end > start && blank(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean blank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || (c >= 0x200B && c <= 0x200D) || c == 0x2060
                || c == 0xFEFF;
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
