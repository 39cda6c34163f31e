package io.portlink.purchasing.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.jboss.logging.Logger;

/**
 * The fonts shipped in {@code resources/fonts} (Noto Sans, Noto Sans Arabic, Hebrew, Georgian and Armenian, Droid Sans
 * Fallback for CJK), chosen per character: the first font of the chain that has a glyph draws it. Each document embeds
 * subsets of only the fonts it used.
 */
final class PdfFonts {

    private static final Logger LOG = Logger.getLogger(PdfFonts.class);

    // Only scripts PDFBox draws correctly without OpenType shaping: one glyph per character, no reordering beyond
    // bidi (Hebrew), no conjuncts. Devanagari, Bengali, Tamil (pre-base vowels, conjuncts), Thai (stacked marks)
    // and emoji (colour glyphs) are not shipped: they print as '?' and the document says so.
    private static final List<String> REGULAR = List.of("NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf",
            "NotoSansHebrew-Regular.ttf", "NotoSansGeorgian-Regular.ttf", "NotoSansArmenian-Regular.ttf",
            "DroidSansFallback.ttf");
    private static final List<String> BOLD = List.of("NotoSans-Bold.ttf", "NotoSansArabic-Bold.ttf",
            "NotoSansHebrew-Bold.ttf", "NotoSansGeorgian-Bold.ttf", "NotoSansArmenian-Bold.ttf",
            "DroidSansFallback.ttf");

    /** Font file bytes and their character maps, read once per process; both only read afterwards. */
    private static final Map<String, byte[]> BYTES = new ConcurrentHashMap<>();
    private static final Map<String, CmapLookup> CMAPS = new ConcurrentHashMap<>();

    /** A piece of text drawn in one font. */
    record Run(PDType0Font font, String text) {
    }

    private final PDDocument doc;
    private final Map<String, PDType0Font> loaded = new java.util.HashMap<>();
    /** Characters of this document no shipped font has, in order of first use; each printed as '?'. */
    private final java.util.Set<Integer> missing = new java.util.LinkedHashSet<>();

    PdfFonts(PDDocument doc) {
        this.doc = doc;
    }

    /** Splits one (visual-order) line into runs, each in the first font that has its characters. */
    List<Run> runs(String text, boolean bold) {
        List<String> chain = bold ? BOLD : REGULAR;
        List<Run> runs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String currentFont = null;
        for (int c : text.codePoints().toArray()) {
            int cp = c;
            if (Character.getType(cp) == Character.FORMAT || Character.isISOControl(cp)) {
                continue; // joiners, bidi marks, BOM: nothing to draw
            }
            String font = chain.stream().filter(f -> cmap(f).getGlyphId(c) != 0).findFirst().orElse(null);
            if (font == null) {
                // no shipped font has it (a script beyond the chain): say so rather than fail the document
                if (missing.add(cp)) {
                    LOG.warnf("no font for U+%04X in a purchase order; printed as ?", cp);
                }
                font = chain.get(0);
                cp = '?';
            }
            if (!font.equals(currentFont) && !current.isEmpty()) {
                runs.add(new Run(font(currentFont), current.toString()));
                current.setLength(0);
            }
            currentFont = font;
            current.appendCodePoint(cp);
        }
        if (!current.isEmpty()) {
            runs.add(new Run(font(currentFont), current.toString()));
        }
        return runs;
    }

    /** The characters met so far that no shipped font has (printed as '?'), in order of first use. */
    java.util.Set<Integer> missing() {
        return java.util.Collections.unmodifiableSet(missing);
    }

    /** Width in points of a visual-order line at the given size. */
    float width(String text, boolean bold, float size) {
        float total = 0;
        for (Run run : runs(text, bold)) {
            total += width(run, size);
        }
        return total;
    }

    static float width(Run run, float size) {
        try {
            return run.font().getStringWidth(run.text()) / 1000 * size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PDType0Font font(String name) {
        return loaded.computeIfAbsent(name, n -> {
            try {
                return PDType0Font.load(doc, new ByteArrayInputStream(bytes(n)), true);
            } catch (IOException e) {
                throw new UncheckedIOException("could not load font " + n, e);
            }
        });
    }

    private static CmapLookup cmap(String name) {
        return CMAPS.computeIfAbsent(name, n -> {
            try {
                TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(bytes(n)));
                return ttf.getUnicodeCmapLookup();
            } catch (IOException e) {
                throw new UncheckedIOException("could not read font " + n, e);
            }
        });
    }

    private static byte[] bytes(String name) {
        return BYTES.computeIfAbsent(name, n -> {
            try (InputStream in = PdfFonts.class.getResourceAsStream("/fonts/" + n)) {
                if (in == null) {
                    throw new IllegalStateException("font /fonts/" + n + " is missing from the application");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("could not read font " + n, e);
            }
        });
    }
}
