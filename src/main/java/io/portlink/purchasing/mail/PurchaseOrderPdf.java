package io.portlink.purchasing.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import io.portlink.platform.QrCodes;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.VendorMessages;

/**
 * Renders a purchase order as A4 PDF pages with Apache PDFBox and the fonts shipped in {@code resources/fonts}. Every
 * value is printed whole: text wraps inside its column, a token wider than its column breaks between characters, rows
 * continue across pages, and every page carries the reference, "Page n of N" and (in the table) the column header.
 */
public final class PurchaseOrderPdf {

    /**
     * Everything the document shows, already formatted in the vendor's language. {@code linkUrl} (printed with its QR
     * code), {@code buyer}, {@code logo} and the dates may be null. A closed {@code status} (cancelled, declined,
     * delivered) is printed as a banner on every page and replaces the call to confirm; null reads as open. An amended
     * order ({@code revision} above 1) prints its revision under the order date.
     */
    public record Document(VendorMessages text, String organization, String reference, String orderDate,
            String vendorName, String vendorEmail, String deliveryAddress, String requestedDate, String expectedDate,
            Buyer buyer, String linkUrl, Logo logo, List<Line> lines, List<String> totals, OrderStatus status,
            int revision) {

        /** A document of an order never amended (revision 1). */
        public Document(VendorMessages text, String organization, String reference, String orderDate, String vendorName,
                String vendorEmail, String deliveryAddress, String requestedDate, String expectedDate, Buyer buyer,
                String linkUrl, Logo logo, List<Line> lines, List<String> totals, OrderStatus status) {
            this(text, organization, reference, orderDate, vendorName, vendorEmail, deliveryAddress, requestedDate,
                    expectedDate, buyer, linkUrl, logo, lines, totals, status, 1);
        }

        boolean closed() {
            return status != null && status.isClosed();
        }

        /** The closed status as the banner prints it ("STORNIERT"), or null for an open order. */
        String banner() {
            // the vendor languages (en, de, fr, es) have no locale-specific upper case
            return closed() ? text.status(status).toUpperCase(java.util.Locale.ROOT) : null;
        }
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
    static final float[] COLUMN_WIDTHS = { 20, 78, 170, 75, 42, 62, 68 };
    static final boolean[] RIGHT_ALIGNED = { true, false, false, true, false, true, true };
    /** Columns holding numbers: a number is never broken inside (the column widens, else its cell's font shrinks). */
    static final boolean[] NUMERIC = { true, false, false, true, false, true, true };
    /** How wide a numeric column may grow for its widest number, in points; beyond it the number is set smaller. */
    static final float[] NUMERIC_MAX = { 30, 0, 0, 120, 0, 120, 140 };
    /** What the description and SKU columns keep at least when numeric columns widen. */
    private static final float DESCRIPTION_MIN = 100;
    private static final float SKU_MIN = 60;
    /** Horizontal padding inside a cell (both sides together). */
    static final float PAD = 6;

    private PurchaseOrderPdf() {
    }

    /** The file name a purchase order is attached and downloaded under. */
    public static String fileName(String reference) {
        return "purchase-order-" + reference.replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf";
    }

    /** The PDF bytes; a font or image problem is an {@link UncheckedIOException}. */
    public static byte[] render(Document po) {
        try (PDDocument doc = new PDDocument()) {
            PdfCanvas c = new PdfCanvas(doc, po);
            header(c, po);
            banner(c, po);
            parties(c, po);
            facts(c, po);
            link(c, po);
            table(c, po);
            totals(c, po);
            unprintable(c, po);
            c.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render purchase order " + po.reference(), e);
        }
    }

    private static void header(PdfCanvas c, Document po) throws IOException {
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

    /** A closed order says so first, in large red type, so it is never taken for a live order. */
    private static void banner(PdfCanvas c, Document po) throws IOException {
        if (!po.closed()) {
            return;
        }
        float size = 20;
        float height = size * LEADING + 10;
        c.stream.setStrokingColor(0.75f, 0.1f, 0.1f);
        c.stream.setLineWidth(1.5f);
        c.stream.addRect(MARGIN, c.y - height, WIDTH, height);
        c.stream.stroke();
        c.stream.setStrokingColor(0f);
        String text = po.banner();
        float w = c.fonts.width(PdfText.visual(PdfCanvas.clean(text)), true, size);
        c.stream.setNonStrokingColor(0.75f, 0.1f, 0.1f);
        c.draw(PdfText.visual(PdfCanvas.clean(text)), MARGIN + (WIDTH - w) / 2, c.y - height + 10, size, true);
        c.stream.setNonStrokingColor(0f);
        c.y -= height + 10;
    }

    /** Characters no shipped font has were printed as '?': the document names them rather than hide it. */
    private static void unprintable(PdfCanvas c, Document po) throws IOException {
        if (c.fonts.missing().isEmpty()) {
            return;
        }
        String list = c.fonts.missing().stream().limit(12).map(cp -> String.format("U+%04X", cp))
                .collect(java.util.stream.Collectors.joining(", ")) + (c.fonts.missing().size() > 12 ? ", …" : "");
        c.y -= 8;
        c.paragraph(po.text().pdf_unprintable(list), MARGIN, WIDTH, 8, false, false);
    }

    private static void parties(PdfCanvas c, Document po) throws IOException {
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
                buyer.add(po.text().phone() + po.text().colon() + " " + po.buyer().phone());
            }
        }
        float left = c.block(po.text().pdf_supplier(), supplier, MARGIN, half, top);
        float right = buyer.isEmpty() ? top : c.block(po.text().your_buyer(), buyer, MARGIN + half + 20, half, top);
        c.y = Math.min(left, right) - 8;
    }

    private static void facts(PdfCanvas c, Document po) throws IOException {
        VendorMessages t = po.text();
        c.fact(t.pdf_order_date(), t.colon(), po.orderDate());
        if (po.revision() > 1) {
            c.fact(t.pdf_revision(), t.colon(), Integer.toString(po.revision()));
        }
        c.fact(t.requested_delivery(), t.colon(), po.requestedDate());
        c.fact(t.expected_delivery(), t.colon(), po.expectedDate());
        if (po.deliveryAddress() != null && !po.deliveryAddress().isBlank()) {
            c.y -= 4;
            c.paragraph(t.deliver_to(), MARGIN, WIDTH, BODY, true, false);
            c.paragraph(po.deliveryAddress(), MARGIN, WIDTH, BODY, false, false);
        }
        c.y -= 8;
    }

    /** The vendor link with its QR code; left out where no link is known (a staff preview). */
    private static void link(PdfCanvas c, Document po) throws IOException {
        if (po.linkUrl() == null) {
            return;
        }
        boolean[][] qr = QrCodes.modules(po.linkUrl());
        float size = 78;
        float textX = MARGIN + size + 12;
        float textWidth = WIDTH - size - 12;
        // a confirmed order has nothing to confirm: the call is to keep its date, progress and tracking up to date
        String call = po.closed() ? po.text().pdf_link_closed()
                : po.status() == null || po.status().awaitsConfirmation() ? po.text().pdf_link()
                        : po.text().pdf_link_confirmed();
        List<String> intro = c.lines(call, textWidth, BODY, false);
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
        c.paragraph(call, textX, textWidth, BODY, false, false);
        c.paragraph(po.linkUrl(), textX, textWidth, BODY, true, false);
        c.y = Math.min(c.y, top - size) - 10;
    }

    private static void table(PdfCanvas c, Document po) throws IOException {
        VendorMessages t = po.text();
        c.columns = new String[] { "#", t.sku(), t.pdf_description(), t.pdf_quantity(), t.pdf_unit(),
                t.pdf_unit_price(), t.pdf_line_total() };
        List<String[]> rows = new ArrayList<>();
        int no = 1;
        for (Line line : po.lines()) {
            rows.add(new String[] { String.valueOf(no++), line.sku(), line.description(), line.quantity(), line.unit(),
                    line.unitPrice(), line.lineTotal() });
        }
        c.widths = widths(c, rows);
        c.ensure(BODY * LEADING * 3);
        c.columnHeader();
        for (String[] row : rows) {
            c.row(row, false);
        }
        c.columns = null;
        c.y -= 6;
    }

    /**
     * Column widths for this document: each numeric column grows (up to {@link #NUMERIC_MAX}) to hold its widest
     * number, taking the room from the description and then the SKU column (down to their minimums), shared in
     * proportion when there is not enough.
     */
    static float[] widths(PdfCanvas c, List<String[]> rows) {
        float[] widths = COLUMN_WIDTHS.clone();
        float[] growth = new float[widths.length];
        float wanted = 0;
        for (int i = 0; i < widths.length; i++) {
            if (!NUMERIC[i]) {
                continue;
            }
            float widest = 0;
            for (String[] row : rows) {
                widest = Math.max(widest, c.widestNumber(row[i], BODY));
            }
            growth[i] = Math.max(0, Math.min(widest + PAD, NUMERIC_MAX[i]) - widths[i]);
            wanted += growth[i];
        }
        float spare = (COLUMN_WIDTHS[2] - DESCRIPTION_MIN) + (COLUMN_WIDTHS[1] - SKU_MIN);
        float share = wanted <= spare ? 1 : spare / wanted;
        float given = 0;
        for (int i = 0; i < widths.length; i++) {
            widths[i] += growth[i] * share;
            given += growth[i] * share;
        }
        float fromDescription = Math.min(given, COLUMN_WIDTHS[2] - DESCRIPTION_MIN);
        widths[2] -= fromDescription;
        widths[1] -= given - fromDescription;
        return widths;
    }

    private static void totals(PdfCanvas c, Document po) throws IOException {
        for (String total : po.totals()) {
            String text = po.text().pdf_order_total() + po.text().colon() + " " + total;
            // a total is a number: break only at plain spaces, never at its no-break grouping spaces
            List<String> lines = PdfText.wrap(PdfCanvas.clean(text), WIDTH,
                    s -> c.fonts.width(PdfText.visual(s), true, 11), PdfText.PLAIN_GAP);
            c.ensure(lines.size() * 11 * LEADING);
            for (String line : lines) {
                float w = c.fonts.width(PdfText.visual(line), true, 11);
                c.y -= 11 * LEADING;
                c.draw(PdfText.visual(line), MARGIN + WIDTH - w, c.y, 11, true);
            }
        }
    }
}
