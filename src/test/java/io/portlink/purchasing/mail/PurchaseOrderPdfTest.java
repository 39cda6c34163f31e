package io.portlink.purchasing.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import io.portlink.platform.Locales;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.VendorTexts;
import io.portlink.testing.Images;
import io.quarkus.test.junit.QuarkusTest;

/** The PDF read back with PDFBox's text extraction: every script prints, nothing is cut, pages say where they are. */
@QuarkusTest
class PurchaseOrderPdfTest {

    static final List<String> SCRIPTS = List.of("Łódź", "Győr", "Dvořák", "Şişecam", "Αθήνα", "ООО Ромашка",
            "深圳市华强电子有限公司", "شركة الخليج");

    private static PurchaseOrderPdf.Document document(String language, String organization, String vendor,
            String address, String link, List<PurchaseOrderPdf.Line> lines) {
        return new PurchaseOrderPdf.Document(VendorTexts.in(language), organization, "PO-4711", "30 Nov 2026", vendor,
                "sales@vendor.example", address, "1 Jul 2026", null,
                new Buyer("Dana Buyer", "dana@buyer.example", "+44 20 7946 0001"), link, null, lines,
                List.of("12.00 GBP"), null);
    }

    private static PurchaseOrderPdf.Line line(String sku, String description, String quantity) {
        return new PurchaseOrderPdf.Line(sku, description, quantity, "pcs", "0.12 GBP", "12.00 GBP");
    }

    static String text(byte[] pdf) throws Exception {
        String dump = System.getProperty("pdf.dump");
        if (dump != null) { // -Dpdf.dump=dir keeps the documents for a look
            java.nio.file.Files.write(java.nio.file.Path.of(dump, "po-" + System.nanoTime() + ".pdf"), pdf);
        }
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    /** Extraction puts line breaks where the PDF wrapped: compare without any white space. */
    static String squeezed(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).replaceAll("\\s+", "");
    }

    @Test
    void everyScriptPrintsAndReadsBack() throws Exception {
        List<PurchaseOrderPdf.Line> lines = SCRIPTS.stream().map(s -> line("SKU-" + s, s + " sample", "1")).toList();
        byte[] pdf = PurchaseOrderPdf.render(
                document("en", "ООО Ромашка", "深圳市华强电子有限公司", "ul. Piotrkowska 1\n90-001 Łódź\nΑθήνα", null, lines));
        String text = text(pdf);
        for (String script : SCRIPTS) {
            assertTrue(squeezed(text).contains(squeezed(script)), script + " is printed and reads back:\n" + text);
        }
        assertFalse(text.contains("?"), "no character was replaced by '?':\n" + text);
    }

    @Test
    void arabicIsJoinedAndRightToLeft() throws Exception {
        byte[] pdf = PurchaseOrderPdf.render(document("en", "Org", "شركة الخليج", null, null, List.of()));
        String text = text(pdf);
        // the extractor reorders right-to-left runs back to reading order and unjoins presentation forms (NFKC)
        assertTrue(Normalizer.normalize(text, Normalizer.Form.NFKC).contains("شركة الخليج"), text);
        // joined: the drawn glyphs are contextual forms, not the isolated letters
        String shaped = PdfText.shapeArabic("شركة الخليج");
        assertEquals("ﺷﺮﻛﺔ ﺍﻟﺨﻠﻴﺞ", shaped);
        assertEquals("ﺞﻴﻠﺨﻟﺍ ﺔﻛﺮﺷ", PdfText.visual(shaped), "drawn right to left");
    }

    @Test
    void nothingIsCut() throws Exception {
        String description = IntStream.range(0, 120).mapToObj(i -> "word" + i).reduce((a, b) -> a + " " + b)
                .orElseThrow();
        String token = "X".repeat(40) + "-UNBROKEN-" + "Y".repeat(120);
        String sku = "SKU-" + "9".repeat(60);
        String quantity = "123,456,789.125";
        String price = "98,765,432.123456 GBP";
        String address = IntStream.range(0, 30).mapToObj(i -> "Street" + i).reduce((a, b) -> a + " " + b).orElseThrow()
                + "\nIndustrial Estate Unit 7\nŁódź 90-001";
        var lines = List.of(line(sku, description, quantity),
                new PurchaseOrderPdf.Line("S2", token, "1", "pcs", price, price));
        byte[] pdf = PurchaseOrderPdf.render(document("en", "Org", "Vendor", address, null, lines));
        String all = squeezed(text(pdf));
        // the description's row may run onto the next page, its other cells in between: every word, once, in order
        var words = java.util.regex.Pattern.compile("\\bword(\\d+)\\b").matcher(text(pdf)).results()
                .map(m -> Integer.parseInt(m.group(1))).toList();
        assertEquals(IntStream.range(0, 120).boxed().toList(), words, "the description printed whole");
        for (String whole : List.of(token, sku, quantity, price, address)) {
            assertTrue(all.contains(squeezed(whole)), "printed whole: " + whole + "\n" + all);
        }
    }

    @Test
    void manyLinesMakePagesThatSayWhereTheyAre() throws Exception {
        List<PurchaseOrderPdf.Line> lines = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            lines.add(line("L-" + i, "Line " + i + " " + "long description ".repeat(i % 5), String.valueOf(i)));
        }
        byte[] pdf = PurchaseOrderPdf.render(document("de", "Org", "Vendor", null, null, lines));
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            int pages = doc.getNumberOfPages();
            assertTrue(pages >= 3, "150 lines need several pages, got " + pages);
            for (int page = 1; page <= pages; page++) {
                PDFTextStripper stripper = new PDFTextStripper();
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = stripper.getText(doc);
                assertTrue(text.contains("Seite " + page + " von " + pages), "page number on page " + page);
                assertTrue(text.contains("PO-4711"), "reference on page " + page);
                if (page > 1 && text.contains("L-")) {
                    assertTrue(text.contains("Bestellung PO-4711 (Fortsetzung)"), text);
                    assertTrue(text.contains("Beschreibung") && text.contains("Einzelpreis"),
                            "column header repeated on page " + page + ":\n" + text);
                }
            }
            String all = squeezed(new PDFTextStripper().getText(doc));
            for (int i = 1; i <= 150; i++) {
                assertTrue(all.contains("L-" + i + "Line" + i), "line " + i + " printed");
            }
        }
    }

    @Test
    void aRowLongerThanAPageContinuesOnTheNext() throws Exception {
        String description = IntStream.range(0, 1500).mapToObj(i -> "w" + i).reduce((a, b) -> a + " " + b)
                .orElseThrow();
        byte[] pdf = PurchaseOrderPdf
                .render(document("en", "Org", "Vendor", null, null, List.of(line("ONE", description, "5"))));
        String text = text(pdf);
        // page furniture (footer, continuation header) sits between the parts: read the words back in order
        var words = java.util.regex.Pattern.compile("\\bw(\\d+)\\b").matcher(text).results()
                .map(m -> Integer.parseInt(m.group(1))).toList();
        assertEquals(IntStream.range(0, 1500).boxed().toList(), words, "every word, once, in order");
        assertTrue(text.contains("Page 2 of"), text.substring(0, 200));
    }

    @Test
    void theLinkPrintsWithItsQrCodeAndTheLogoWithoutAwt() throws Exception {
        String url = "http://localhost/v/pv_" + "a".repeat(43);
        var doc = document("fr", "Org", "Vendor", null, url, List.of(line("A", "B", "1")));
        for (String type : List.of("png", "jpg")) {
            var withLogo = new PurchaseOrderPdf.Document(doc.text(), doc.organization(), doc.reference(),
                    doc.orderDate(), doc.vendorName(), doc.vendorEmail(), doc.deliveryAddress(), doc.requestedDate(),
                    doc.expectedDate(), doc.buyer(), doc.linkUrl(),
                    new PurchaseOrderPdf.Logo(type.equals("png") ? "image/png" : "image/jpeg",
                            Images.of(type, 120, 40)),
                    doc.lines(), doc.totals(), null);
            byte[] pdf = PurchaseOrderPdf.render(withLogo);
            String text = text(pdf);
            assertTrue(squeezed(text).contains(squeezed(url)), "the link is printed whole");
            assertTrue(text.contains("Votre acheteur") && text.contains("dana@buyer.example")
                    && text.contains("+44 20 7946 0001"), "the buyer's contact:\n" + text);
            try (PDDocument loaded = Loader.loadPDF(pdf)) {
                var images = new ArrayList<String>();
                for (var name : loaded.getPage(0).getResources().getXObjectNames()) {
                    images.add(name.getName());
                }
                assertEquals(1, images.size(), type + " logo embedded");
            }
        }
    }

    @Test
    void aPngLogoWithTransparencyKeepsItsAlphaAsASoftMask() throws Exception {
        var image = new java.awt.image.BufferedImage(60, 20, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        image.setRGB(5, 5, 0x801f5fbf);
        var png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        var doc = document("en", "Org", "Vendor", null, null, List.of(line("A", "B", "1")));
        var withLogo = new PurchaseOrderPdf.Document(doc.text(), doc.organization(), doc.reference(), doc.orderDate(),
                doc.vendorName(), doc.vendorEmail(), doc.deliveryAddress(), doc.requestedDate(), doc.expectedDate(),
                doc.buyer(), null, new PurchaseOrderPdf.Logo("image/png", png.toByteArray()), doc.lines(), doc.totals(),
                null);
        try (PDDocument loaded = Loader.loadPDF(PurchaseOrderPdf.render(withLogo))) {
            var resources = loaded.getPage(0).getResources();
            var name = resources.getXObjectNames().iterator().next();
            var logo = (org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject) resources.getXObject(name);
            assertEquals(60, logo.getWidth());
            assertTrue(logo.getCOSObject().containsKey(org.apache.pdfbox.cos.COSName.SMASK), "alpha kept");
        }
    }

    @Test
    void quantitiesAndMoneyArePrintedExactly() {
        var gb = Locales.Format.of("GB", "Europe/London", "en");
        var de = Locales.Format.of("DE", "Europe/Berlin", "de");
        assertEquals("123,456,789.125", PoDocuments.exact(gb, new BigDecimal("123456789.125"), 0));
        assertEquals("123.456.789,125", PoDocuments.exact(de, new BigDecimal("123456789.125"), 0));
        assertEquals("0.123456", PoDocuments.exact(gb, new BigDecimal("0.123456"), 0));
        assertEquals("2,500", PoDocuments.exact(gb, new BigDecimal("2500.000"), 0));
        assertEquals("0.12 GBP", PoDocuments.money(gb, new BigDecimal("0.1200"), "GBP"));
        assertEquals("14,814,814.695 GBP",
                PoDocuments.money(gb, new BigDecimal("123456789.125").multiply(new BigDecimal("0.12")), "GBP"));
    }

    private static PurchaseOrderPdf.Document withLogo(PurchaseOrderPdf.Document doc, String type, byte[] logo) {
        return new PurchaseOrderPdf.Document(doc.text(), doc.organization(), doc.reference(), doc.orderDate(),
                doc.vendorName(), doc.vendorEmail(), doc.deliveryAddress(), doc.requestedDate(), doc.expectedDate(),
                doc.buyer(), doc.linkUrl(), new PurchaseOrderPdf.Logo(type, logo), doc.lines(), doc.totals(),
                doc.status());
    }

    private static PurchaseOrderPdf.Document withStatus(PurchaseOrderPdf.Document doc, OrderStatus status) {
        return new PurchaseOrderPdf.Document(doc.text(), doc.organization(), doc.reference(), doc.orderDate(),
                doc.vendorName(), doc.vendorEmail(), doc.deliveryAddress(), doc.requestedDate(), doc.expectedDate(),
                doc.buyer(), doc.linkUrl(), doc.logo(), doc.lines(), doc.totals(), status);
    }

    /** Extraction may give grouping no-break spaces as plain ones: compare with all spaces plain. */
    private static String plain(String text) {
        return text.replace('\u00A0', ' ').replace('\u202F', ' ');
    }

    @Test
    void extremeNumbersAreNeverBrokenInside() throws Exception {
        // the input limit: 15 digits before the decimal mark and 4 after; the amount has up to 30 and 8
        BigDecimal biggest = new BigDecimal("999999999999999.9999");
        BigDecimal long19 = new BigDecimal("123456789012345.1255");
        for (var format : List.of(Locales.Format.of("GB", "Europe/London", "en"),
                Locales.Format.of("DE", "Europe/Berlin", "de"), Locales.Format.of("FR", "Europe/Paris", "fr"),
                Locales.Format.of("PL", "Europe/Warsaw", "pl"))) {
            List<String> numbers = new ArrayList<>();
            List<PurchaseOrderPdf.Line> lines = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            for (BigDecimal[] qp : new BigDecimal[][] { { new BigDecimal("123456789.125"), biggest },
                    { biggest, new BigDecimal("99999999999.9999") }, { long19, long19 } }) {
                BigDecimal amount = qp[0].multiply(qp[1]);
                total = total.add(amount);
                String quantity = PoDocuments.exact(format, qp[0], 0);
                String price = PoDocuments.money(format, qp[1], "GBP");
                String lineTotal = PoDocuments.money(format, amount, "GBP");
                lines.add(new PurchaseOrderPdf.Line("SKU-1", "Steel bolts M8 x 40 zinc plated", quantity, "pcs", price,
                        lineTotal));
                numbers.add(quantity);
                numbers.add(PoDocuments.exact(format, qp[1], 2));
                numbers.add(PoDocuments.exact(format, amount, 2));
            }
            numbers.add(PoDocuments.exact(format, total, 2));
            var doc = new PurchaseOrderPdf.Document(VendorTexts.in(format.language()), "Org", "PO-4711", "30 Nov 2026",
                    "Vendor", "sales@vendor.example", null, null, null, null, null, null, lines,
                    List.of(PoDocuments.money(format, total, "GBP")), null);
            List<String> extracted = plain(text(PurchaseOrderPdf.render(doc))).lines().toList();
            for (String number : numbers) {
                assertTrue(extracted.stream().anyMatch(l -> l.contains(plain(number))),
                        format.locale() + ": " + number + " whole on one line:\n" + String.join("\n", extracted));
            }
        }
    }

    @Test
    void hebrewGeorgianAndArmenianPrintAndHebrewReadsRightToLeft() throws Exception {
        List<String> samples = List.of("חברת הגליל בע\"מ", "საქართველო", "Հայաստան");
        List<PurchaseOrderPdf.Line> lines = samples.stream().map(s -> line("S", s, "1")).toList();
        byte[] pdf = PurchaseOrderPdf.render(document("en", "Org", "חברת הגליל", null, null, lines));
        String text = text(pdf);
        for (String sample : samples) {
            assertTrue(squeezed(text).contains(squeezed(sample)), sample + " reads back:\n" + text);
        }
        assertFalse(text.contains("?"), "nothing replaced by '?':\n" + text);
        assertEquals("מ\"עב לילגה תרבח", PdfText.visual("חברת הגליל בע\"מ"), "drawn right to left");
    }

    @Test
    void charactersWithoutAFontAreNamedInTheDocument() throws Exception {
        byte[] pdf = PurchaseOrderPdf
                .render(document("de", "Org", "Vendor", null, null, List.of(line("S", "नमस्ते 📦 ok", "1"))));
        String text = text(pdf);
        assertTrue(text.contains("??"), text);
        assertTrue(squeezed(text).contains(squeezed("konnten in diesem Dokument nicht gedruckt werden")), text);
        assertTrue(text.contains("U+0928") && text.contains("U+1F4E6"), "the characters are named:\n" + text);

        String clean = text(PurchaseOrderPdf.render(document("de", "Org", "Vendor", null, null, List.of())));
        assertFalse(clean.contains("nicht gedruckt"), "no note when everything printed");
    }

    @Test
    void bidiOverridesCannotReorderTheText() throws Exception {
        List<String> spoofs = List.of("x\u202Eevil line 26", "a\u202Dlre 12\u202C", "b\u2067 34 56\u2069 c",
                "pay \u202B1 2\u202A3");
        byte[] pdf = PurchaseOrderPdf.render(document("en", "Org", "Vendor\u202E 99", null, null,
                spoofs.stream().map(s -> line("S", s, "1")).toList()));
        String text = text(pdf);
        assertTrue(text.contains("xevil line 26"), text);
        assertFalse(text.contains("62"), text);
        assertTrue(text.contains("Vendor 99"), text);
        assertTrue(text.contains("b 34 56 c"), text);
        assertEquals("pay 1 23", PdfText.withoutBidiControls("pay \u202B1 2\u202A3"));
    }

    @Test
    void aPaletteLogoWithTransparentEntriesGetsASoftMask() throws Exception {
        for (int bits : new int[] { 8, 4, 2, 1 }) {
            int size = 1 << bits;
            byte[] r = new byte[size], g = new byte[size], b = new byte[size], a = new byte[size];
            for (int i = 0; i < size; i++) {
                r[i] = (byte) 0x1f;
                g[i] = (byte) 0x5f;
                b[i] = (byte) 0xbf;
                a[i] = (byte) 255;
            }
            a[0] = 0; // entry 0 is the transparent background
            var model = new java.awt.image.IndexColorModel(bits, size, r, g, b, a);
            var image = bits == 8
                    ? new java.awt.image.BufferedImage(30, 10, java.awt.image.BufferedImage.TYPE_BYTE_INDEXED, model)
                    : new java.awt.image.BufferedImage(30, 10, java.awt.image.BufferedImage.TYPE_BYTE_BINARY, model);
            image.getRaster().setSample(7, 3, 0, 1); // one opaque pixel
            byte[] png = png(image);
            assertEquals(3, png[25], "a palette PNG");
            assertEquals(bits, png[24], "of " + bits + " bits");
            var logo = logo(withLogo(document("en", "Org", "Vendor", null, null, List.of()), "image/png", png));
            var mask = logo.getSoftMask();
            assertTrue(mask != null, bits + "-bit palette: tRNS becomes a soft mask");
            var alpha = mask.getImage();
            assertEquals(0, alpha.getRaster().getSample(0, 0, 0), "transparent entry");
            assertEquals(255, alpha.getRaster().getSample(7, 3, 0), "opaque entry");
            assertEquals(0x1f5fbf, logo.getImage().getRGB(7, 3) & 0xFFFFFF, "palette colour");
        }
    }

    @Test
    void sixteenBitPngLogosAreShown() throws Exception {
        var image = new java.awt.image.BufferedImage(20, 10, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(3, 3, 0, 0xFFFF);
        byte[] png = png(image);
        assertEquals(16, png[24], "a 16-bit PNG");
        var logo = logo(withLogo(document("en", "Org", "Vendor", null, null, List.of()), "image/png", png));
        assertEquals(255, logo.getImage().getRaster().getSample(3, 3, 0));
        assertEquals(0, logo.getImage().getRaster().getSample(0, 0, 0));
    }

    private static byte[] png(java.awt.image.BufferedImage image) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        assertTrue(javax.imageio.ImageIO.write(image, "png", out));
        return out.toByteArray();
    }

    /** The one image on page 1 of the rendered document (kept open: the test only reads it). */
    private static org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject logo(PurchaseOrderPdf.Document doc)
            throws Exception {
        PDDocument loaded = Loader.loadPDF(PurchaseOrderPdf.render(doc));
        var resources = loaded.getPage(0).getResources();
        var names = new ArrayList<org.apache.pdfbox.cos.COSName>();
        resources.getXObjectNames().forEach(names::add);
        assertEquals(1, names.size(), "the logo is embedded");
        return (org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject) resources.getXObject(names.get(0));
    }

    @Test
    void closedOrdersSayItAndAskForNothing() throws Exception {
        String url = "http://localhost/v/pv_" + "a".repeat(43);
        var open = document("de", "Org", "Vendor", null, url, List.of(line("A", "B", "1")));
        assertFalse(text(PurchaseOrderPdf.render(open)).contains("STORNIERT"));
        assertTrue(squeezed(text(PurchaseOrderPdf.render(open))).contains(squeezed("Bestätigen Sie diese Bestellung")));
        for (var status : List.of(OrderStatus.CANCELLED, OrderStatus.DECLINED, OrderStatus.DELIVERED)) {
            String text = text(PurchaseOrderPdf.render(withStatus(open, status)));
            String banner = VendorTexts.in("de").status(status).toUpperCase(java.util.Locale.ROOT);
            assertTrue(text.contains(banner), status + " banner:\n" + text);
            assertFalse(squeezed(text).contains(squeezed("Bestätigen Sie")), "no call to confirm:\n" + text);
            assertTrue(squeezed(text).contains(squeezed("nichts zu bestätigen")), text);
        }
        assertTrue(text(PurchaseOrderPdf.render(withStatus(open, OrderStatus.CANCELLED))).contains("STORNIERT"));
        assertFalse(text(PurchaseOrderPdf.render(withStatus(open, OrderStatus.ACKNOWLEDGED))).contains("BESTÄTIGT"));
        // a confirmed order is not asked to be confirmed again: its date, progress and tracking are
        String confirmed = squeezed(text(PurchaseOrderPdf.render(withStatus(open, OrderStatus.ACKNOWLEDGED))));
        assertFalse(confirmed.contains(squeezed("Bestätigen Sie")), confirmed);
        assertTrue(confirmed.contains(squeezed("Nennen Sie Liefertermin, Fortschritt")), confirmed);
    }

    /** French puts a no-break space before a colon, in the PDF as on the page and in the mails. */
    @Test
    void frenchLabelsHaveTheirSpaceBeforeTheColon() throws Exception {
        String text = text(
                PurchaseOrderPdf.render(document("fr", "Org", "Vendor", null, null, List.of(line("A", "B", "1")))));
        assertTrue(text.contains("Date de commande\u00a0: 30 Nov 2026"), text);
        assertTrue(text.contains("Total de la commande\u00a0: 12.00 GBP"), text);
        assertFalse(text.contains("commande: "), text);
    }
}
