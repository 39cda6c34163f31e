package io.portlink.purchasing.mail;

import java.text.Bidi;
import java.util.ArrayList;
import java.util.List;

/**
 * Text preparation PDFBox does not do itself: Arabic letters joined (their contextual presentation forms), lines put in
 * visual order (right-to-left runs reversed, java.text.Bidi), and wrapping that never clips (a token wider than the
 * column is broken between characters).
 */
final class PdfText {

    /** Measures a logical (not yet reordered) string in points. */
    interface Measure {
        float width(String text);
    }

    private PdfText() {
    }

    // Arabic letters U+0621..U+064A: how many presentation forms each has in U+FE80..U+FEF4, in order.
    // 1 = never joins (hamza), 2 = joins only to the letter before it (isolated, final), 4 = joins both ways
    // (isolated, final, initial, medial), 0 = not in the block.
    private static final int[] FORMS = { 1, 2, 2, 2, 2, 4, 2, 4, 2, 4, 4, 4, 4, 4, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4,
            0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 2, 2, 4 };
    private static final int[] FIRST_FORM = new int[FORMS.length];

    static {
        int next = 0xFE80;
        for (int i = 0; i < FORMS.length; i++) {
            FIRST_FORM[i] = next;
            next += FORMS[i];
        }
    }

    private static final int TATWEEL = 0x0640;
    private static final int LAM = 0x0644;

    private static int forms(int cp) {
        if (cp == TATWEEL) {
            return 4;
        }
        return cp >= 0x0621 && cp <= 0x064A ? FORMS[cp - 0x0621] : 0;
    }

    /** Harakat and other marks sit on a letter without breaking its joins. */
    private static boolean transparent(int cp) {
        return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670;
    }

    /** The lam-alef ligature's isolated form for alef variants (final form is the next code point), or 0. */
    private static int lamAlef(int alef) {
        return switch (alef) {
        case 0x0622 -> 0xFEF5;
        case 0x0623 -> 0xFEF7;
        case 0x0625 -> 0xFEF9;
        case 0x0627 -> 0xFEFB;
        default -> 0;
        };
    }

    /** Replaces Arabic letters by their joined (initial, medial, final, isolated) forms; other text is unchanged. */
    static String shapeArabic(String text) {
        int[] cps = text.codePoints().toArray();
        boolean any = false;
        for (int cp : cps) {
            any |= forms(cp) > 0;
        }
        if (!any) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            int n = forms(cp);
            if (n == 0 || cp == TATWEEL) {
                out.appendCodePoint(cp);
                continue;
            }
            int prev = neighbour(cps, i, -1);
            int nextIndex = neighbourIndex(cps, i, 1);
            int next = nextIndex < 0 ? -1 : cps[nextIndex];
            boolean joinsBefore = prev >= 0 && forms(prev) == 4;
            if (cp == LAM && next >= 0 && lamAlef(next) != 0) {
                out.appendCodePoint(lamAlef(next) + (joinsBefore ? 1 : 0));
                for (int j = i + 1; j < nextIndex; j++) {
                    out.appendCodePoint(cps[j]); // marks between lam and alef
                }
                i = nextIndex;
                continue;
            }
            boolean joinsAfter = n == 4 && next >= 0 && forms(next) >= 2;
            int base = FIRST_FORM[cp - 0x0621];
            int form;
            if (n == 1) {
                form = base;
            } else if (joinsBefore && joinsAfter) {
                form = base + 3;
            } else if (joinsBefore) {
                form = base + 1;
            } else if (joinsAfter) {
                form = base + 2;
            } else {
                form = base;
            }
            out.appendCodePoint(form);
        }
        return out.toString();
    }

    private static int neighbour(int[] cps, int i, int step) {
        int j = neighbourIndex(cps, i, step);
        return j < 0 ? -1 : cps[j];
    }

    private static int neighbourIndex(int[] cps, int i, int step) {
        for (int j = i + step; j >= 0 && j < cps.length; j += step) {
            if (!transparent(cps[j])) {
                return j;
            }
        }
        return -1;
    }

    /**
     * The text without the bidi embedding, override and isolate controls (U+202A..U+202E, U+2066..U+2069): in a
     * description they would reorder what follows them, so {@code x\u202Eevil 26} would print as {@code x62 live}. The
     * implicit marks (LRM, RLM, ALM) stay: they only place neutral characters.
     */
    static String withoutBidiControls(String text) {
        if (text == null) {
            return null;
        }
        return BIDI_CONTROLS.matcher(text).replaceAll("");
    }

    private static final java.util.regex.Pattern BIDI_CONTROLS = java.util.regex.Pattern
            .compile("[\u202A-\u202E\u2066-\u2069]");

    /** True when the paragraph reads right to left (its first strong character is Arabic or Hebrew). */
    static boolean rightToLeft(String text) {
        return new Bidi(text, Bidi.DIRECTION_DEFAULT_LEFT_TO_RIGHT).baseIsLeftToRight() == false;
    }

    /** One line in the order its glyphs are drawn left to right. */
    static String visual(String line) {
        if (!Bidi.requiresBidi(line.toCharArray(), 0, line.length())) {
            return line;
        }
        Bidi bidi = new Bidi(line, Bidi.DIRECTION_DEFAULT_LEFT_TO_RIGHT);
        int count = bidi.getRunCount();
        byte[] levels = new byte[count];
        String[] runs = new String[count];
        for (int i = 0; i < count; i++) {
            levels[i] = (byte) bidi.getRunLevel(i);
            String run = line.substring(bidi.getRunStart(i), bidi.getRunLimit(i));
            runs[i] = (levels[i] & 1) == 1 ? reverse(run) : run;
        }
        Bidi.reorderVisually(levels, 0, runs, 0, count);
        return String.join("", runs);
    }

    private static String reverse(String run) {
        int[] cps = run.codePoints().toArray();
        StringBuilder out = new StringBuilder(run.length());
        for (int i = cps.length - 1; i >= 0; i--) {
            out.appendCodePoint(cps[i]);
        }
        return out.toString();
    }

    /**
     * Breaks text into lines no wider than {@code width} points: at line breaks in the text, between words, and inside
     * a word only when the word alone is wider than the line. Nothing is dropped; an empty text gives no line.
     */
    static List<String> wrap(String text, float width, Measure measure) {
        return wrap(text, width, measure, WORD_GAP);
    }

    /** Between words: spaces, tabs, no-break and ideographic spaces. */
    static final String WORD_GAP = "[ \\t\\u00A0\\u3000]+";
    /** Between the parts of a number cell ("1 234,5 EUR"): only plain spaces, as grouping uses no-break spaces. */
    static final String PLAIN_GAP = "[ \\t]+";

    /** As {@link #wrap(String, float, Measure)}, breaking between words only at {@code gap} (a regex). */
    static List<String> wrap(String text, float width, Measure measure, String gap) {
        List<String> lines = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return lines;
        }
        for (String paragraph : text.strip().split("\\R")) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.strip().split(gap)) {
                if (word.isEmpty()) {
                    continue;
                }
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (measure.width(candidate) <= width) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                // a token wider than the whole line: break it between characters
                String rest = word;
                while (measure.width(rest) > width) {
                    int cut = fitting(rest, width, measure);
                    lines.add(rest.substring(0, cut));
                    rest = rest.substring(cut);
                }
                line.append(rest);
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
            }
        }
        return lines;
    }

    /** How many chars of {@code text} fit in the width; at least one code point, so wrapping always progresses. */
    private static int fitting(String text, float width, Measure measure) {
        int end = text.offsetByCodePoints(0, 1);
        while (end < text.length()) {
            int next = text.offsetByCodePoints(end, 1);
            if (measure.width(text.substring(0, next)) > width) {
                break;
            }
            end = next;
        }
        return end;
    }
}
