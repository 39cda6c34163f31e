package io.portlink.purchasing.mail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/** The cursor on the current page; starts a page (with the continuation header) when one is full. */
final class PdfCanvas {
    final PDDocument doc;
    final PdfFonts fonts;
    final PurchaseOrderPdf.Document po;
    PDPageContentStream stream;
    float y;
    /** Set while the lines table is being drawn: continuation pages repeat it. */
    String[] columns;
    /** The table's column widths for this document, in points. */
    float[] widths = PurchaseOrderPdf.COLUMN_WIDTHS;

    PdfCanvas(PDDocument doc, PurchaseOrderPdf.Document po) throws IOException {
        this.doc = doc;
        this.po = po;
        this.fonts = new PdfFonts(doc);
        page();
    }

    private void page() throws IOException {
        if (stream != null) {
            stream.close();
        }
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        stream = new PDPageContentStream(doc, page);
        y = PurchaseOrderPdf.TOP;
        if (doc.getNumberOfPages() > 1) {
            String banner = po.closed() ? " · " + po.banner() : "";
            paragraph(po.text().pdf_title() + " " + po.reference() + " (" + po.text().pdf_continued() + ")" + banner,
                    PurchaseOrderPdf.MARGIN, PurchaseOrderPdf.WIDTH, 11, true, false);
            y -= 6;
            if (columns != null) {
                columnHeader();
            }
        }
    }

    /** Makes room for {@code height} points, starting a new page if needed. */
    void ensure(float height) throws IOException {
        if (y - height < PurchaseOrderPdf.BOTTOM) {
            page();
        }
    }

    /** The text broken into logical lines for the width (Arabic already joined). */
    List<String> lines(String text, float width, float size, boolean bold) {
        return PdfText.wrap(clean(text), width, s -> fonts.width(PdfText.visual(s), bold, size));
    }

    /** Text as it is laid out: bidi overrides removed, Arabic joined; null is empty. */
    static String clean(String text) {
        return PdfText.shapeArabic(text == null ? "" : PdfText.withoutBidiControls(text));
    }

    /** Width in points of the widest number (a plain-space separated part) of a numeric cell. */
    float widestNumber(String cell, float size) {
        float widest = 0;
        for (String part : clean(cell).split(PdfText.PLAIN_GAP)) {
            widest = Math.max(widest, fonts.width(PdfText.visual(part), false, size));
        }
        return widest;
    }

    /** Wrapped text from the cursor down; right-to-left paragraphs are right-aligned. */
    void paragraph(String text, float x, float width, float size, boolean bold, boolean right) throws IOException {
        paragraph(text, x, width, size, bold, right, PdfText.WORD_GAP);
    }

    /**
     * {@link #paragraph}, breaking lines only at {@code gap} ({@link PdfText#PLAIN_GAP}: never at a no-break space).
     */
    private void paragraph(String text, float x, float width, float size, boolean bold, boolean right, String gap)
            throws IOException {
        for (String line : PdfText.wrap(clean(text), width, s -> fonts.width(PdfText.visual(s), bold, size), gap)) {
            ensure(size * PurchaseOrderPdf.LEADING);
            y -= size * PurchaseOrderPdf.LEADING;
            String visual = PdfText.visual(line);
            float w = fonts.width(visual, bold, size);
            boolean alignRight = right || PdfText.rightToLeft(line);
            draw(visual, alignRight ? x + width - w : x, y, size, bold);
        }
    }

    /** A titled block of lines at {@code top}; returns where it ends (it never starts a page: first page only). */
    float block(String title, List<String> values, float x, float width, float top) throws IOException {
        y = top;
        paragraph(title, x, width, 8, true, false);
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                paragraph(value, x, width, PurchaseOrderPdf.BODY, false, false);
            }
        }
        return y;
    }

    /** "Label: value" as a paragraph, {@code colon} the reader's (French puts a no-break space before it). */
    void fact(String label, String colon, String value) throws IOException {
        if (value == null || value.isBlank()) {
            return;
        }
        // the label keeps its colon (after a no-break space in French) on its line
        paragraph(label + colon + " " + value, PurchaseOrderPdf.MARGIN, PurchaseOrderPdf.WIDTH, PurchaseOrderPdf.BODY,
                false, false, PdfText.PLAIN_GAP);
    }

    void columnHeader() throws IOException {
        row(columns, true);
        stream.setLineWidth(0.6f);
        stream.moveTo(PurchaseOrderPdf.MARGIN, y + 2);
        stream.lineTo(PurchaseOrderPdf.MARGIN + PurchaseOrderPdf.WIDTH, y + 2);
        stream.stroke();
    }

    /** One table row; a row taller than the rest of the page continues on the next, under a repeated header. */
    void row(String[] cells, boolean bold) throws IOException {
        List<List<String>> wrapped = new ArrayList<>();
        float[] sizes = new float[cells.length];
        int height = 1;
        for (int i = 0; i < cells.length; i++) {
            float inner = widths[i] - PurchaseOrderPdf.PAD;
            List<String> lines;
            if (PurchaseOrderPdf.NUMERIC[i] && !bold) {
                // a number stays whole: smaller type when even the widened column cannot hold it
                float widest = widestNumber(cells[i], PurchaseOrderPdf.BODY);
                sizes[i] = widest <= inner ? PurchaseOrderPdf.BODY
                        : (float) Math.floor(PurchaseOrderPdf.BODY * inner / widest * 100) / 100;
                float size = sizes[i];
                lines = PdfText.wrap(clean(cells[i]), inner, s -> fonts.width(PdfText.visual(s), false, size),
                        PdfText.PLAIN_GAP);
            } else {
                sizes[i] = PurchaseOrderPdf.BODY;
                lines = lines(cells[i], inner, PurchaseOrderPdf.BODY, bold);
            }
            wrapped.add(lines);
            height = Math.max(height, lines.size());
        }
        float leading = PurchaseOrderPdf.BODY * PurchaseOrderPdf.LEADING;
        int done = 0;
        while (done < height) {
            int fit = (int) Math.floor((y - PurchaseOrderPdf.BOTTOM - 4) / leading);
            if (fit < 1 || (done == 0 && fit < Math.min(height, 3))) {
                page(); // start a row on a fresh page rather than leave one or two of its lines behind
                continue;
            }
            int upto = Math.min(height, done + fit);
            float x = PurchaseOrderPdf.MARGIN;
            for (int i = 0; i < cells.length; i++) {
                List<String> lines = wrapped.get(i);
                float lineY = y;
                for (int l = done; l < Math.min(upto, lines.size()); l++) {
                    lineY -= leading;
                    String visual = PdfText.visual(lines.get(l));
                    // only the line holding the too-long number is set smaller; its currency line stays full size
                    float size = fonts.width(visual, bold, PurchaseOrderPdf.BODY) <= widths[i] - PurchaseOrderPdf.PAD
                            ? PurchaseOrderPdf.BODY : sizes[i];
                    float w = fonts.width(visual, bold, size);
                    boolean right = PurchaseOrderPdf.RIGHT_ALIGNED[i] || PdfText.rightToLeft(lines.get(l));
                    draw(visual, right ? x + widths[i] - PurchaseOrderPdf.PAD / 2 - w : x + PurchaseOrderPdf.PAD / 2,
                            lineY, size, bold);
                }
                x += widths[i];
            }
            y -= (upto - done) * leading;
            done = upto;
            if (done < height) {
                page();
            }
        }
        y -= 3;
        if (!bold) {
            stream.setLineWidth(0.2f);
            stream.setStrokingColor(0.75f);
            stream.moveTo(PurchaseOrderPdf.MARGIN, y + 1);
            stream.lineTo(PurchaseOrderPdf.MARGIN + PurchaseOrderPdf.WIDTH, y + 1);
            stream.stroke();
            stream.setStrokingColor(0f);
        }
    }

    /** Draws one visual-order line, switching fonts where the script needs another. */
    void draw(String visual, float x, float baseline, float size, boolean bold) throws IOException {
        stream.beginText();
        stream.newLineAtOffset(x, baseline);
        for (PdfFonts.Run run : fonts.runs(visual, bold)) {
            stream.setFont(run.font(), size);
            stream.showText(run.text());
        }
        stream.endText();
    }

    /** Closes the last page and writes "reference · Page n of N" at the foot of every page. */
    void finish() throws IOException {
        stream.close();
        int pages = doc.getNumberOfPages();
        for (int i = 0; i < pages; i++) {
            try (PDPageContentStream foot = new PDPageContentStream(doc, doc.getPage(i),
                    PDPageContentStream.AppendMode.APPEND, true, true)) {
                stream = foot;
                String left = PdfText.visual(clean(po.reference()));
                String right = po.text().pdf_page(i + 1, pages);
                draw(left, PurchaseOrderPdf.MARGIN, PurchaseOrderPdf.MARGIN, 8, false);
                draw(right, PurchaseOrderPdf.MARGIN + PurchaseOrderPdf.WIDTH - fonts.width(right, false, 8),
                        PurchaseOrderPdf.MARGIN, 8, false);
            }
        }
    }
}
