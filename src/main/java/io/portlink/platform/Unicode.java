package io.portlink.platform;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Characters no honest text field needs, checked the same way wherever people type text; and when two spellings are the
 * same text ({@link #comparisonKey}).
 */
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
        return trim(value, Unicode::blank);
    }

    /**
     * A name as people read it: {@link #strip}ped, with one plain space wherever spaces were doubled or of another kind
     * (no-break U+00A0, U+2007, U+202F, ideographic U+3000). Two names that differ only so look alike, and are one.
     */
    public static String oneSpaced(String value) {
        return strip(value).replaceAll("[ \\u00a0\\u2007\\u202f\\u3000]+", " ");
    }

    /** {@code value} without the characters {@code ignorable} at either end; those inside stay. */
    public static String trim(String value, java.util.function.IntPredicate ignorable) {
        int start = 0;
        int end = value.length();
        while (start < end && ignorable.test(value.charAt(start))) {
            start++;
        }
        while (end > start && ignorable.test(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean blank(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || (c >= 0x200B && c <= 0x200D) || c == 0x2060
                || c == 0xFEFF;
    }

    /** What is wrong with a text a partner typed into a page's field ({@link #typedProblem}). */
    public enum TypedProblem {
        /** Longer than allowed. */
        TOO_LONG,
        /** A control character (other than a line break or tab) or a bidi control ({@link #isBidiControl}). */
        CHARACTERS,
        /** A line break or tab in a one-line field. */
        LINE_BREAK
    }

    /**
     * A text as typed into a page's field: one kind of line break ({@code \n}), {@link #strip}ped; "" for null or a
     * text of nothing visible ({@link #invisible}).
     */
    public static String typed(String value) {
        String v = value == null ? "" : strip(value.replace("\r\n", "\n").replace('\r', '\n'));
        return invisible(v) ? "" : v;
    }

    /**
     * Whether {@code value} shows nothing at all: empty, or only characters that draw no mark. Those are white space
     * and the spaces {@link #strip} removes, every control character (Unicode category Cc: DEL, NEL, U+0080 to U+009F,
     * ...), every format character (Unicode category Cf: soft hyphen, direction marks, invisible operators, the
     * Mongolian vowel separator, tags, ...), the variation selectors and other default-ignorable marks (U+034F,
     * U+17B4/U+17B5, U+180B to U+180F), the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) and the blank braille
     * pattern (U+2800). A reason or name of only these reads as empty, so a required field refuses it. Only whole
     * values are judged: an emoji's trailing selector or tag stays where it is.
     */
    public static boolean invisible(String value) {
        return value.codePoints().allMatch(Unicode::drawsNothing);
    }

    private static boolean drawsNothing(int c) {
        return blank(c) || Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT
                || c == 0x034F || c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F)
                || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) || c == 0x115F || c == 0x1160
                || c == 0x3164 || c == 0xFFA0 || c == 0x2800;
    }

    /**
     * What is wrong with a {@link #typed} text, or null: over {@code max} characters, a control or bidi character, a
     * line break in a {@code oneLine} field, checked in that order. (Half a character cannot arrive: a form's body is
     * decoded from UTF-8, which has no lone surrogates.) The vendor's and the driver's pages each say it in their
     * reader's language.
     */
    public static TypedProblem typedProblem(String v, int max, boolean oneLine) {
        if (v.length() > max) {
            return TypedProblem.TOO_LONG;
        }
        if (v.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\t') || isBidiControl(c))) {
            return TypedProblem.CHARACTERS;
        }
        return oneLine && (v.indexOf('\n') >= 0 || v.indexOf('\t') >= 0) ? TypedProblem.LINE_BREAK : null;
    }

    /**
     * True when a one-line value holds a control character, a line or paragraph separator, a bidi control, or half of a
     * UTF-16 surrogate pair (JSON's "\\ud800" alone: no character at all, which the database would store as "?").
     */
    public static boolean breaksOneLine(String value) {
        return value.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || isBidiControl(c) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE));
    }

    /**
     * A text's comparison key, never shown: NFKC, full case folding ({@code Straße} = {@code STRASSE}, final sigma =
     * sigma, dotted and dotless i one letter), invisible format characters dropped, runs of any white space one space,
     * ends trimmed, typographic apostrophes {@code '}; accents and punctuation stay. Empty for a blank text. The rule
     * of {@code purchasing.VendorNames} (which explains each fold), also used to tell a shipment stop's place again.
     */
    public static String comparisonKey(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        // Lower, upper, lower: full folding with the JDK alone (ß→SS→ss, ẞ→ß→ss, ı→I→i).
        s = s.toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        StringBuilder key = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length();) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (Character.getType(c) == Character.FORMAT) {
                continue;
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = key.length() > 0;
                continue;
            }
            if (c == 0x0307 && key.length() > 0 && key.charAt(key.length() - 1) == 'i') {
                continue; // İ lower-cases to i + combining dot: the dot is the i's own
            }
            if (space) {
                key.append(' ');
                space = false;
            }
            key.appendCodePoint(switch (c) {
            case 'ς' -> 'σ';
            case '\u2018', '\u2019', '\u02BC', '\u2032' -> '\'';
            default -> c;
            });
        }
        return Normalizer.normalize(key, Normalizer.Form.NFKC);
    }
}
