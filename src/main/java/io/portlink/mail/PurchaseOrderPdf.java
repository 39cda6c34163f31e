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
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Renders a purchase order as an A4 PDF with Apache PDFBox (built-in Helvetica, no font files). */
public final class PurchaseOrderPdf {

    /** Everything the document shows, already formatted for the organisation. */
    public record Document(String organization, String reference, String vendorName, String vendorEmail,
            String deliveryAddress, String requestedDate, String expectedDate, List<Line> lines) {
    }

    public record Line(String sku, String description, String quantity, String unit, String unitPrice) {
    }

    private static final float MARGIN = 50;
    private static final float[] COLUMNS = { 50, 140, 360, 430, 480 };

    private PurchaseOrderPdf() {
    }

    public static byte[] render(Document po) {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            Writer w = new Writer(doc, regular, bold);
            w.text(bold, 18, MARGIN, "Purchase order " + po.reference());
            w.gap(24);
            w.text(regular, 11, MARGIN, "From: " + po.organization());
            w.gap(15);
            w.text(regular, 11, MARGIN,
                    "To: " + po.vendorName() + (po.vendorEmail() == null ? "" : " <" + po.vendorEmail() + ">"));
            w.gap(15);
            if (po.requestedDate() != null && !po.requestedDate().isEmpty()) {
                w.text(regular, 11, MARGIN, "Requested delivery: " + po.requestedDate());
                w.gap(15);
            }
            if (po.expectedDate() != null && !po.expectedDate().isEmpty()) {
                w.text(regular, 11, MARGIN, "Expected delivery: " + po.expectedDate());
                w.gap(15);
            }
            if (po.deliveryAddress() != null) {
                w.text(bold, 11, MARGIN, "Deliver to:");
                w.gap(15);
                for (String line : po.deliveryAddress().split("\\R")) {
                    w.text(regular, 11, MARGIN + 10, line);
                    w.gap(14);
                }
            }
            w.gap(12);
            w.row(bold, "SKU", "Description", "Qty", "Unit", "Unit price");
            for (Line line : po.lines()) {
                w.row(regular, line.sku(), line.description(), line.quantity(), line.unit(), line.unitPrice());
            }
            w.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render purchase order " + po.reference(), e);
        }
    }

    /** Keeps the cursor and starts a new page when the current one is full. */
    private static final class Writer {
        private final PDDocument doc;
        private final PDType1Font regular;
        private final PDType1Font bold;
        private PDPageContentStream stream;
        private float y;

        Writer(PDDocument doc, PDType1Font regular, PDType1Font bold) throws IOException {
            this.doc = doc;
            this.regular = regular;
            this.bold = bold;
            newPage();
        }

        void newPage() throws IOException {
            if (stream != null) {
                stream.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            stream = new PDPageContentStream(doc, page);
            y = page.getMediaBox().getHeight() - MARGIN;
        }

        void gap(float height) throws IOException {
            y -= height;
            if (y < MARGIN) {
                newPage();
            }
        }

        void text(PDType1Font font, float size, float x, String value) throws IOException {
            stream.beginText();
            stream.setFont(font, size);
            stream.newLineAtOffset(x, y);
            stream.showText(printable(font, value));
            stream.endText();
        }

        void row(PDType1Font font, String... cells) throws IOException {
            List<String> description = wrap(font, cells[1] == null ? "" : cells[1], COLUMNS[2] - COLUMNS[1] - 8);
            float height = 14 * Math.max(1, description.size());
            if (y - height < MARGIN) {
                newPage();
            }
            for (int i = 0; i < cells.length; i++) {
                if (i == 1) {
                    float top = y;
                    for (String part : description) {
                        text(font, 10, COLUMNS[1], part);
                        y -= 14;
                    }
                    y = top;
                } else if (cells[i] != null) {
                    text(font, 10, COLUMNS[i],
                            clip(font, cells[i], (i + 1 < COLUMNS.length ? COLUMNS[i + 1] : 560) - COLUMNS[i] - 6));
                }
            }
            y -= height + 2;
        }

        private List<String> wrap(PDType1Font font, String text, float width) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String word : printable(font, text).split("\\s+")) {
                String candidate = current.isEmpty() ? word : current + " " + word;
                if (current.isEmpty() || font.getStringWidth(candidate) / 1000 * 10 <= width) {
                    current.setLength(0);
                    current.append(candidate);
                } else {
                    lines.add(current.toString());
                    current.setLength(0);
                    current.append(word);
                }
            }
            lines.add(current.toString());
            return lines.size() > 6 ? lines.subList(0, 6) : lines;
        }

        private String clip(PDType1Font font, String text, float width) throws IOException {
            String value = printable(font, text);
            while (value.length() > 1 && font.getStringWidth(value) / 1000 * 10 > width) {
                value = value.substring(0, value.length() - 1);
            }
            return value;
        }

        void close() throws IOException {
            stream.close();
        }

        /** The built-in fonts cover Western European text; anything else becomes '?' rather than failing. */
        private static String printable(PDType1Font font, String value) {
            StringBuilder out = new StringBuilder(value.length());
            value.codePoints().forEach(cp -> {
                String ch = cp == '\t' || cp == '\r' || cp == '\n' ? " " : new String(Character.toChars(cp));
                try {
                    font.encode(ch);
                    out.append(ch);
                } catch (IOException | IllegalArgumentException e) {
                    out.append('?');
                }
            });
            return out.toString();
        }
    }
}
