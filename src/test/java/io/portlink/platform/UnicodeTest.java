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

    /**
     * Texts that draw no mark at all (the characters a tester found accepted as a reason, a note or a receiver's name)
     * are blank; a text with one visible character is not, and an emoji keeps its trailing selector and tags.
     */
    @Test
    void aTextOfOnlyInvisibleCharactersIsBlank() {
        for (String nothing : java.util.List.of("\u0085", "\u180e", "\u3164", "\u2800", "\uffa0", "\u115f", "\u1160",
                "\u034f", "\u00ad", "\u200e\u200f", "\u2061", "\u061c", "\u17b4", "\u007f", "\u0080", "\ufe0f",
                "\udb40\udc20", " \u180e\u3164 ")) {
            assertEquals("", Unicode.typed(nothing),
                    () -> "blank: " + nothing.codePoints().mapToObj(Integer::toHexString).toList());
        }
        assertEquals("\u3164x", Unicode.typed("\u3164x"), "one visible character makes a text");
        String heart = "Thanks \u2764\ufe0f";
        assertEquals(heart, Unicode.typed(heart), "an emoji keeps its selector");
        String england = "Cheers \ud83c\udff4\udb40\udc67\udb40\udc62\udb40\udc65\udb40\udc6e\udb40\udc67\udb40\udc7f";
        assertEquals(england, Unicode.typed(england), "a flag keeps its tags");
    }

    /**
     * The API's and the imports' text fields read the same: a required note of only invisible characters is missing.
     */
    @Test
    void aRequiredFieldOfOnlyInvisibleCharactersIsMissing() {
        var errors = new ValidationException.Builder();
        assertNull(new Fields(errors, null, 100).text("note", "\u180e\u3164", true, 100));
        var e = org.junit.jupiter.api.Assertions.assertThrows(ValidationException.class, errors::throwIfAny);
        assertEquals("note", e.errors().get(0).field());
        assertEquals("is required", e.errors().get(0).message());
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
