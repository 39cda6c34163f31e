package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateException;

/**
 * A page leaves as the UTF-8 bytes of its text, whatever its size and its characters: the pieces of a render are
 * encoded one by one ({@link HtmlPages#utf8}), so a page past the first buffer, and pieces past Latin-1 between Latin-1
 * ones, must come out as the whole page encoded at once does.
 */
class HtmlPagesTest {

    private final Engine engine = Engine.builder().addDefaults().build();

    @Test
    void aPageIsItsTextInUtf8WhateverItsSizeAndCharacters() {
        var template = engine
                .parse("<p>{#for row in rows}<li>{row} · “quoted” — naïve 日本 🚚 ×{row_count}</li>{/for}</p>");
        for (int rows : List.of(0, 1, 40, 2_000)) {
            var page = template.data("rows", java.util.stream.IntStream.range(0, rows).boxed().toList());
            byte[] expected = page.render().getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(expected, HtmlPages.utf8(page), rows + " rows");
        }
        // past the 16 KB the buffer starts with, and in one piece larger than that
        String big = "é".repeat(20_000) + "🚚";
        byte[] bytes = HtmlPages.utf8(engine.parse("{text}").data("text", big));
        assertEquals(big, new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Each thread writes its pages into one buffer: a short page after a long one is only itself, and a page rendered
     * while another is being rendered on the same thread (here from inside a value of the outer page) gets a buffer of
     * its own, so neither overwrites the other.
     */
    @Test
    void aThreadsBufferHoldsOnePageAtATime() {
        String longText = "a".repeat(40_000) + "ü";
        assertEquals(longText,
                new String(HtmlPages.utf8(engine.parse("{t}").data("t", longText)), StandardCharsets.UTF_8));
        assertEquals("<b>ok</b>",
                new String(HtmlPages.utf8(engine.parse("<b>{t}</b>").data("t", "ok")), StandardCharsets.UTF_8));

        Object inner = new Object() {
            @Override
            public String toString() {
                return new String(HtmlPages.utf8(engine.parse("[{t}]").data("t", "inner ✓")), StandardCharsets.UTF_8);
            }
        };
        byte[] outer = HtmlPages.utf8(engine.parse("before {i} after").data("i", inner));
        assertEquals("before [inner ✓] after", new String(outer, StandardCharsets.UTF_8));
    }

    @Test
    void aFailingRenderFailsTheRequest() {
        var page = engine.parse("{missing.name}").instance();
        assertThrows(TemplateException.class, () -> HtmlPages.utf8(page));
    }
}
