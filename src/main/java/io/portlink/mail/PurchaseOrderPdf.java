package io.portlink.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import io.portlink.platform.QrCodes;
import io.portlink.vendor.VendorMessages;

/**
 * Renders a purchase order as A4 PDF pages with Apache PDFBox and the fonts shipped in {@code resources/fonts}. Every
 * value is printed whole: text wraps inside its column, a token wider than its column breaks between characters, rows
 * continue across pages, and every page carries the reference, "Page n of N" and (in the table) the column header.
 */
public final class PurchaseOrderPdf {

    /**
     * Everything the document shows, already formatted in the vendor's language. {@code linkUrl} (printed with its QR
     * code), {@code buyer}, {@code logo} and the dates may be null.
     */
    public record Document(VendorMessages text, String organization, String reference, String orderDate,
            String vendorName, String vendorEmail, String deliveryAddress, String requestedDate, String expectedDate,
            Buyer buyer, String linkUrl, Logo logo, List<Line> lines, List<String> totals) {
    }

    /** One order line; quantity and money exactly as stored (no rounding), formatted for the reader. */
    public record Line(String sku, String description, String quantity, String unit, String unitPrice,
            String lineTotal) {
    }

    /** The organisation's logo bytes and their checked content type. */
    public record Logo(String contentType, byte[] bytes) {
    }

    static final float MARGIN = 40;
    static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    static final float TOP = PDRectangle.A4.getHeight() - MARGIN;
    /** The footer ("reference · Page n of N") sits below this line. */
    static final float BOTTOM = MARGIN + 22;
    static final float BODY = 9.5f;
    static final float LEADING = 1.3f;

    /** Table columns: #, SKU, description, quantity, unit, unit price, amount (widths in points, sum = WIDTH). */
    private static final float[] COLUMN_WIDTHS = { 20, 78, 170, 75, 42, 62, 68 };
    private static final boolean[] RIGHT_ALIGNED = { true, false, false, true, false, true, true };

    private PurchaseOrderPdf() {
    }

    /** The file name a purchase order is attached and downloaded under. */
    public static String fileName(String reference) {
        return "purchase-order-" + reference.replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf";
    }

    /** The PDF bytes; a font or image problem is an {@link UncheckedIOException}. */
    public static byte[] render(Document po) {
        try (PDDocument doc = new PDDocument()) {
            Canvas c = new Canvas(doc, po);
            header(c, po);
            parties(c, po);
            facts(c, po);
            link(c, po);
            table(c, po);
            totals(c, po);
            c.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render purchase order " + po.reference(), e);
        }
    }

    private static void header(Canvas c, Document po) throws IOException {
        float logoHeight = 0;
        if (po.logo() != null) {
            PDImageXObject image = PdfImages.logo(c.doc, po.logo().contentType(), po.logo().bytes());
            if (image != null) {
                float scale = Math.min(160f / image.getWidth(), 48f / image.getHeight());
                float w = image.getWidth() * scale;
                logoHeight = image.getHeight() * scale;
                c.stream.drawImage(image, MARGIN + WIDTH - w, c.y - logoHeight, w, logoHeight);
            }
        }
        float textWidth = po.logo() == null ? WIDTH : WIDTH - 170;
        float top = c.y;
        c.paragraph(po.text().pdf_title() + " " + po.reference(), MARGIN, textWidth, 17, true, false);
        c.paragraph(po.organization(), MARGIN, textWidth, 11, false, false);
        c.y = Math.min(c.y, top - logoHeight) - 10;
    }

    private static void parties(Canvas c, Document po) throws IOException {
        float half = (WIDTH - 20) / 2;
        float top = c.y;
        List<String> supplier = new ArrayList<>();
        supplier.add(po.vendorName());
        supplier.add(po.vendorEmail());
        List<String> buyer = new ArrayList<>();
        if (po.buyer() != null) {
            buyer.add(po.buyer().name());
            buyer.add(po.buyer().email());
            if (po.buyer().phone() != null) {
                buyer.add(po.text().phone() + ": " + po.buyer().phone());
            }
        }
        float left = c.block(po.text().pdf_supplier(), supplier, MARGIN, half, top);
        float right = buyer.isEmpty() ? top : c.block(po.text().your_buyer(), buyer, MARGIN + half + 20, half, top);
        c.y = Math.min(left, right) - 8;
    }

    private static void facts(Canvas c, Document po) throws IOException {
        VendorMessages t = po.text();
        c.fact(t.pdf_order_date(), po.orderDate());
        c.fact(t.requested_delivery(), po.requestedDate());
        c.fact(t.expected_delivery(), po.expectedDate());
        if (po.deliveryAddress() != null && !po.deliveryAddress().isBlank()) {
            c.y -= 4;
            c.paragraph(t.deliver_to(), MARGIN, WIDTH, BODY, true, false);
            c.paragraph(po.deliveryAddress(), MARGIN, WIDTH, BODY, false, false);
        }
        c.y -= 8;
    }

    /** The vendor link with its QR code; left out where no link is known (a staff preview). */
    private static void link(Canvas c, Document po) throws IOException {
        if (po.linkUrl() == null) {
            return;
        }
        boolean[][] qr = QrCodes.modules(po.linkUrl());
        float size = 78;
        float textX = MARGIN + size + 12;
        float textWidth = WIDTH - size - 12;
        List<String> intro = c.lines(po.text().pdf_link(), textWidth, BODY, false);
        List<String> url = c.lines(po.linkUrl(), textWidth, BODY, false);
        float textHeight = (intro.size() + url.size()) * BODY * LEADING;
        c.ensure(Math.max(size, textHeight) + 4);
        float top = c.y;
        float module = size / qr.length;
        c.stream.setNonStrokingColor(0f);
        for (int row = 0; row < qr.length; row++) {
            for (int col = 0; col < qr[row].length; col++) {
                if (qr[row][col]) {
                    c.stream.addRect(MARGIN + col * module, top - (row + 1) * module, module, module);
                }
            }
        }
        c.stream.fill();
        c.y = top - 2;
        c.paragraph(po.text().pdf_link(), textX, textWidth, BODY, false, false);
        c.paragraph(po.linkUrl(), textX, textWidth, BODY, true, false);
        c.y = Math.min(c.y, top - size) - 10;
    }

    private static void table(Canvas c, Document po) throws IOException {
        VendorMessages t = po.text();
        c.columns = new String[] { "#", t.sku(), t.pdf_description(), t.pdf_quantity(), t.pdf_unit(),
                t.pdf_unit_price(), t.pdf_line_total() };
        c.ensure(BODY * LEADING * 3);
        c.columnHeader();
        int no = 1;
        for (Line line : po.lines()) {
            c.row(new String[] { String.valueOf(no++), line.sku(), line.description(), line.quantity(), line.unit(),
                    line.unitPrice(), line.lineTotal() }, false);
        }
        c.columns = null;
        c.y -= 6;
    }

    private static void totals(Canvas c, Document po) throws IOException {
        for (String total : po.totals()) {
            String text = po.text().pdf_order_total() + ": " + total;
            List<String> lines = c.lines(text, WIDTH, 11, true);
            c.ensure(lines.size() * 11 * LEADING);
            for (String line : lines) {
                float w = c.fonts.width(PdfText.visual(line), true, 11);
                c.y -= 11 * LEADING;
                c.draw(PdfText.visual(line), MARGIN + WIDTH - w, c.y, 11, true);
            }
        }
    }

    /** The cursor on the current page; starts a page (with the continuation header) when one is full. */
    static final class Canvas {
        final PDDocument doc;
        final PdfFonts fonts;
        final Document po;
        PDPageContentStream stream;
        float y;
        /** Set while the lines table is being drawn: continuation pages repeat it. */
        String[] columns;

        Canvas(PDDocument doc, Document po) throws IOException {
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
            y = TOP;
            if (doc.getNumberOfPages() > 1) {
                paragraph(po.text().pdf_title() + " " + po.reference() + " (" + po.text().pdf_continued() + ")", MARGIN,
                        WIDTH, 11, true, false);
                y -= 6;
                if (columns != null) {
                    columnHeader();
                }
            }
        }

        /** Makes room for {@code height} points, starting a new page if needed. */
        void ensure(float height) throws IOException {
            if (y - height < BOTTOM) {
                page();
            }
        }

        /** The text broken into logical lines for the width (Arabic already joined). */
        List<String> lines(String text, float width, float size, boolean bold) {
            return PdfText.wrap(PdfText.shapeArabic(text == null ? "" : text), width,
                    s -> fonts.width(PdfText.visual(s), bold, size));
        }

        /** Wrapped text from the cursor down; right-to-left paragraphs are right-aligned. */
        void paragraph(String text, float x, float width, float size, boolean bold, boolean right) throws IOException {
            for (String line : lines(text, width, size, bold)) {
                ensure(size * LEADING);
                y -= size * LEADING;
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
                    paragraph(value, x, width, BODY, false, false);
                }
            }
            return y;
        }

        void fact(String label, String value) throws IOException {
            if (value == null || value.isBlank()) {
                return;
            }
            paragraph(label + ": " + value, MARGIN, WIDTH, BODY, false, false);
        }

        void columnHeader() throws IOException {
            row(columns, true);
            stream.setLineWidth(0.6f);
            stream.moveTo(MARGIN, y + 2);
            stream.lineTo(MARGIN + WIDTH, y + 2);
            stream.stroke();
        }

        /** One table row; a row taller than the rest of the page continues on the next, under a repeated header. */
        void row(String[] cells, boolean bold) throws IOException {
            List<List<String>> wrapped = new ArrayList<>();
            int height = 1;
            for (int i = 0; i < cells.length; i++) {
                List<String> lines = lines(cells[i], COLUMN_WIDTHS[i] - 6, BODY, bold);
                wrapped.add(lines);
                height = Math.max(height, lines.size());
            }
            float leading = BODY * LEADING;
            int done = 0;
            while (done < height) {
                int fit = (int) Math.floor((y - BOTTOM - 4) / leading);
                if (fit < 1 || (done == 0 && fit < Math.min(height, 3))) {
                    page(); // start a row on a fresh page rather than leave one or two of its lines behind
                    continue;
                }
                int upto = Math.min(height, done + fit);
                float x = MARGIN;
                for (int i = 0; i < cells.length; i++) {
                    List<String> lines = wrapped.get(i);
                    float lineY = y;
                    for (int l = done; l < Math.min(upto, lines.size()); l++) {
                        lineY -= leading;
                        String visual = PdfText.visual(lines.get(l));
                        float w = fonts.width(visual, bold, BODY);
                        boolean right = RIGHT_ALIGNED[i] || PdfText.rightToLeft(lines.get(l));
                        draw(visual, right ? x + COLUMN_WIDTHS[i] - 3 - w : x + 3, lineY, BODY, bold);
                    }
                    x += COLUMN_WIDTHS[i];
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
                stream.moveTo(MARGIN, y + 1);
                stream.lineTo(MARGIN + WIDTH, y + 1);
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
                    String left = PdfText.visual(PdfText.shapeArabic(po.reference()));
                    String right = po.text().pdf_page(i + 1, pages);
                    draw(left, MARGIN, MARGIN, 8, false);
                    draw(right, MARGIN + WIDTH - fonts.width(right, false, 8), MARGIN, 8, false);
                }
            }
        }
    }
}
