package io.portlink.purchasing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.portlink.platform.Locales;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The vendor page's texts with arguments, made once per language ({@link VendorPageTexts}), say exactly what the
 * message bundle says for the same arguments, in every language, including arguments with HTML's special characters;
 * and none of them falls back to rendering the bundle on every use.
 */
@QuarkusTest
class VendorPageTextsTest {

    private static final String[] VALUES = { "", "Bäckerei & Söhne <GmbH> \"x\" 'y'", "1.234,50 €", "{x}", "12" };

    @Test
    void sameWordsAsTheMessageBundle() {
        for (String language : Locales.LANGUAGES) {
            VendorMessages m = VendorTexts.in(language);
            VendorPageTexts t = VendorPageTexts.in(language);
            for (OrderStatus s : OrderStatus.values()) {
                assertEquals(m.status(s), t.status(s), language + " " + s);
            }
            for (int n : new int[] { 1, 2, 10, 123456 }) {
                assertEquals(m.revision_banner_title(n), t.revision_banner_title(n), language);
                assertEquals(m.acknowledge_revision(n), t.acknowledge_revision(n), language);
                assertEquals(m.revision(n), t.revision(n), language);
                assertEquals(m.line_no(n), t.line_no(n), language);
            }
            for (String v : VALUES) {
                assertEquals(m.revision_banner_intro(v), t.revision_banner_intro(v), language);
                assertEquals(m.cancel_banner_intro(v), t.cancel_banner_intro(v), language);
                assertEquals(m.each(v), t.each(v), language);
                assertEquals(m.shipped_of(v, v + "1", "2" + v), t.shipped_of(v, v + "1", "2" + v), language);
                assertEquals(m.shipped_on(v), t.shipped_on(v), language);
                assertEquals(m.still_right(v), t.still_right(v), language);
                assertEquals(m.note_to(v), t.note_to(v), language);
                assertEquals(m.reopen_warning(v), t.reopen_warning(v), language);
                assertEquals(m.all_orders_with(v), t.all_orders_with(v), language);
            }
        }
        assertEquals(VendorPageTexts.in("en"), VendorPageTexts.in("xx"), "English for any other language");
    }

    @Test
    void everyTextIsSplitOnce() {
        VendorPageTexts.Text text = VendorPageTexts.Text.of(a -> "Note to " + a[0] + "!", false);
        assertFalse(text.rendersEveryTime());
        assertEquals("Note to A & B!", text.format("A & B"));
        VendorPageTexts.Text decides = VendorPageTexts.Text.of(a -> ((String) a[0]).isEmpty() ? "none" : "x " + a[0],
                false);
        assertEquals("none", decides.format(""), "a text that decides by its argument is the bundle's");
        assertEquals("x y", decides.format("y"));
    }
}
