package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The one check of what a partner types into a page's field ({@link Unicode#typed}, {@link Unicode#typedProblem}),
 * which the vendor's and the driver's pages say in their reader's language, and the trim the staff's e-mail addresses
 * share with it.
 */
class UnicodeTest {

    @Test
    void aTypedTextIsTrimmedOfWhatShowsAsNothingWithOneKindOfLineBreak() {
        assertEquals("", Unicode.typed(null));
        assertEquals("", Unicode.typed("\u00a0\u200b \u202f\ufeff"), "no-break and zero-width spaces only: blank");
        assertEquals("a\nb\nc", Unicode.typed(" a\r\nb\rc\u2060"));
        assertEquals("a\u00a0b", Unicode.typed("a\u00a0b"), "inside the text it stays");
    }

    @Test
    void theProblemsComeInOrderTooLongThenCharactersThenALineBreak() {
        assertNull(Unicode.typedProblem("Left at the gate 🚚", 100, true), "an emoji is a whole character");
        assertEquals(Unicode.TypedProblem.TOO_LONG, Unicode.typedProblem("abcd", 3, false));
        assertEquals(Unicode.TypedProblem.CHARACTERS, Unicode.typedProblem("12\u202e34", 100, false));
        assertEquals(Unicode.TypedProblem.CHARACTERS, Unicode.typedProblem("a\u0000b\nc", 100, true));
        assertNull(Unicode.typedProblem("two\nlines\tand a tab", 100, false), "a note may have lines");
        assertEquals(Unicode.TypedProblem.LINE_BREAK, Unicode.typedProblem("two\nlines", 100, true));
        assertEquals(Unicode.TypedProblem.LINE_BREAK, Unicode.typedProblem("a\tb", 100, true));
    }

    @Test
    void trimTakesOnlyWhatItIsToldFromTheEnds() {
        assertEquals("ann@shop.example", Unicode.trim("\u0001 ann@shop.example\u00a0", c -> c <= ' ' || c == 0xa0));
        assertEquals("\u200bx", Unicode.trim("\u200bx ", Character::isWhitespace), "only what it was told");
    }
}
