package io.portlink.purchasing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.portlink.platform.Convention;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/** The CSV reader alone: encodings, delimiters, quoting, limits, and where problems are reported. */
class OrderCsvTest {

    record Limits(long maxBytes, int maxRows, int maxFieldLength) implements PortlinkConfig.Import {
    }

    static final Limits LIMITS = new Limits(1_000_000, 100, 200);

    static final Convention GB = Convention.of("GB", null);
    static final Convention DE = Convention.of("DE", null);
    static final Convention US = Convention.of("US", null);

    static List<OrderDraft> parse(byte[] bytes, Limits limits) {
        return OrderCsv.parse(new ByteArrayInputStream(bytes), limits, GB);
    }

    static List<OrderDraft> parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8), LIMITS);
    }

    static List<OrderDraft> parse(String text, Convention convention) {
        return OrderCsv.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LIMITS, convention);
    }

    static ValidationException failure(String text, Limits limits) {
        return assertThrows(ValidationException.class, () -> parse(text.getBytes(StandardCharsets.UTF_8), limits));
    }

    @Test
    void readsExcelStyleSemicolonFilesWithBomQuotesAndCrlf() {
        var drafts = parse("\uFEFFREFERENCE;Vendor Name;Quantity;Description;Unit_Price;Currency\r\n"
                + "PO-1;Müller GmbH;1,5;\"Schraube; \"\"M8\"\"\r\nverzinkt\";2,50;eur\r\n"
                + "PO-1;Müller GmbH;3;Mutter;;\r\n", DE);
        assertEquals(1, drafts.size());
        OrderDraft po = drafts.get(0);
        assertEquals("Müller GmbH", po.vendor().name());
        assertEquals(2, po.lines().size());
        assertEquals("Schraube; \"M8\"\nverzinkt", po.lines().get(0).description());
        assertEquals(new BigDecimal("1.5"), po.lines().get(0).quantity());
        assertEquals("EUR", po.lines().get(0).currency());
        assertEquals(2, po.firstRow());
    }

    @Test
    void readsTheOptionalConsigneeColumns() {
        var drafts = parse("reference,vendor_name,sku,quantity,consignee_name,consignee_email,consignee_phone,"
                + "consignee_language\nPO-1,V,A,2,Camille Martin,camille@client.example,+33 1 44 55 66 77,FR\n"
                + "PO-1,V,B,1,Camille Martin,camille@client.example,+33 1 44 55 66 77,fr\nPO-2,V,C,1,,,,\n");
        assertEquals(new Consignee("Camille Martin", "camille@client.example", "+33 1 44 55 66 77", "fr"),
                drafts.get(0).consignee());
        assertEquals(Consignee.NONE, drafts.get(1).consignee());
        var without = parse("reference,vendor_name,sku,quantity\nPO-2,V,C,1\n").get(0);
        assertEquals(without.contentHash(), drafts.get(1).contentHash(), "no consignee: the hash orders had before");
        assertFalse(
                drafts.get(0).contentHash().equals(
                        parse("reference,vendor_name,sku,quantity\nPO-1,V,A,2\nPO-1,V,B,1\n").get(0).contentHash()),
                "a consignee is part of the order's content");
    }

    @Test
    void aBadConsigneeIsNamedByRowAndColumnAndMustAgreeAcrossTheOrdersRows() {
        var e = failure(
                "reference,vendor_name,sku,quantity,consignee_email,consignee_language\n"
                        + "PO-1,V,A,2,not-mail,it\nPO-2,V,B,1,a@client.example,en\nPO-2,V,C,1,b@client.example,en\n",
                LIMITS);
        assertEquals(List.of("2:consignee_email", "2:consignee_language", "4:consignee_email"),
                e.errors().stream().map(x -> x.row() + ":" + x.field()).toList());
    }

    @Test
    void sameOrderInAnyColumnOrderHashesTheSame() {
        var a = parse("reference,vendor_name,sku,quantity\nPO-1,V,A,2.0\n").get(0);
        var b = parse("quantity;sku;vendor_name;reference\n2;A;V;PO-1\n").get(0);
        assertEquals(a.contentHash(), b.contentHash());
    }

    @Test
    void reportsEveryProblemWithSpreadsheetRowAndColumn() {
        var e = failure("reference,vendor_name,vendor_email,quantity,sku,requested_date\n"
                + "PO-1,V,v@x.example,2,A,2026-01-01\n" + "PO-2,V,not-mail,0,B,2026-02-30\n"
                + "PO-1,Other name,v@x.example,1,C,2026-01-01\n", LIMITS);
        var errors = e.errors();
        assertEquals(List.of(3, 3, 3, 4), errors.stream().map(ValidationException.FieldError::row).toList());
        assertEquals(List.of("vendor_email", "requested_date", "quantity", "vendor_name"),
                errors.stream().map(ValidationException.FieldError::field).toList());
        assertTrue(errors.get(3).message().contains("differs from row 2"));

        // a row with a bad address and no line at all: both, at once
        var both = failure("reference,vendor_name,vendor_email,quantity,sku,description,unit_price\n"
                + "PO-3,V,not-mail,2,,,1.50\n", LIMITS);
        assertEquals(List.of("vendor_email", "sku", "currency"),
                both.errors().stream().map(ValidationException.FieldError::field).toList());
    }

    @Test
    void headerProblemsAreNamed() {
        var e = failure("reference,vendor,qty\nPO-1,V,1\n", LIMITS);
        assertTrue(e.errors().stream().anyMatch(x -> x.row() == 1 && x.field().equals("vendor")));
        assertTrue(e.errors().stream().anyMatch(x -> x.field().equals("quantity") && x.message().contains("missing")));
    }

    /** A file separated by tabs or bars: one problem saying so and how to save it, not a column unknown. */
    @Test
    void aFileSeparatedByTabsOrBarsIsToldSo() {
        for (String separator : List.of("\t", "|")) {
            var e = failure(String.join(separator, "reference", "vendor_name", "sku", "quantity") + "\n"
                    + String.join(separator, "PO-1", "V", "S", "1") + "\n", LIMITS);
            assertEquals(1, e.errors().size(), e.errors().toString());
            assertEquals("file", e.errors().get(0).field());
            assertTrue(
                    e.errors().get(0).message().startsWith("separates its columns with "
                            + (separator.equals("\t") ? "tabs" : "\"|\"") + "; Portlink reads CSV separated by commas"),
                    e.errors().get(0).message());
        }
    }

    @Test
    void limitsOnSizeRowsAndFieldsAreClear() {
        String header = "reference,vendor_name,quantity,sku\n";
        assertTrue(failure(header + "PO-1,V,1," + "x".repeat(300) + "\n", LIMITS).getMessage().contains("200"));
        var rows = new StringBuilder(header);
        for (int i = 0; i < 101; i++) {
            rows.append("PO-").append(i).append(",V,1,A\n");
        }
        assertTrue(failure(rows.toString(), LIMITS).getMessage().contains("more than 100 rows"));
        assertTrue(failure(rows.toString(), new Limits(500, 1000, 200)).getMessage().contains("larger than"));
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() {
        byte[] latin1 = "reference,vendor_name,quantity,sku\nPO-1,Müller,1,A\n".getBytes(StandardCharsets.ISO_8859_1);
        var e = assertThrows(ValidationException.class, () -> parse(latin1, LIMITS));
        assertTrue(e.getMessage().contains("UTF-8"));
    }

    @Test
    void anUnclosedQuoteIsReported() {
        assertTrue(
                failure("reference,vendor_name,quantity,sku\nPO-1,\"V,1,A\n", LIMITS).getMessage().contains("quoted"));
    }

    @Test
    void crAloneEndsLinesAsExcelForMacWritesThem() {
        var drafts = parse("reference;vendor_name;sku;quantity\rPO-1;V;A;1\rPO-1;V;B;2\rPO-2;W;C;3\r", DE);
        assertEquals(List.of("PO-1", "PO-2"), drafts.stream().map(OrderDraft::reference).toList());
        assertEquals(2, drafts.get(0).lines().size());
        assertEquals(4, drafts.get(1).firstRow(), "rows are counted across CR line breaks");
        // a quoted line break inside a cell stays inside it
        var quoted = parse("reference,vendor_name,sku,delivery_address,quantity\rPO-3,V,A,\"1 Road\rTown\",1\r");
        assertEquals("1 Road\nTown", quoted.get(0).deliveryAddress());
    }

    @Test
    void rowsOfEmptyCellsAreSkippedWhereverTheyAre() {
        var drafts = parse("reference;vendor_name;sku;quantity\r\n;;;\r\nPO-1;V;A;1\r\n;;;\r\n\r\nPO-2;V;B;2\r\n"
                + ";;;\r\n;;;\r\n; ;;\r\n", DE);
        assertEquals(2, drafts.size());
        assertEquals(6, drafts.get(1).firstRow(), "skipped rows still count, so errors name the spreadsheet's row");
        assertEquals(1, parse("reference,vendor_name,sku,quantity\nPO-1,V,A,1\n,,,\n,,,,,,\n").size());
        // a row with something in it is still checked
        var e = failure("reference,vendor_name,sku,quantity\nPO-1,V,A,1\n,,,2\n", LIMITS);
        assertEquals(3, e.errors().get(0).row());
        // a file of only empty rows has no orders
        assertTrue(failure("reference,vendor_name,sku,quantity\n,,,\n,,,\n", LIMITS).getMessage()
                .contains("no order rows"));
    }

    @Test
    void datesInTheOrganisationsOwnOrder() {
        String header = "reference,vendor_name,sku,quantity,requested_date\n";
        assertEquals(java.time.LocalDate.of(2026, 12, 20),
                parse(header + "PO-1,V,A,1,20/12/2026\n", GB).get(0).requestedDate());
        assertEquals(java.time.LocalDate.of(2026, 12, 20),
                parse(header + "PO-1,V,A,1,12/20/2026\n", US).get(0).requestedDate());
        assertEquals(java.time.LocalDate.of(2026, 12, 20),
                parse("reference;vendor_name;sku;quantity;requested_date\nPO-1;V;A;1;20.12.2026\n", DE).get(0)
                        .requestedDate());
        // 03/04/2026 is 3 April in a GB file and 4 March in a US one: each organisation's spreadsheet writes it so
        assertEquals(java.time.LocalDate.of(2026, 4, 3),
                parse(header + "PO-1,V,A,1,03/04/2026\n", GB).get(0).requestedDate());
        assertEquals(java.time.LocalDate.of(2026, 3, 4),
                parse(header + "PO-1,V,A,1,03/04/2026\n", US).get(0).requestedDate());
        // a GB file read as American: the day-first date is not a date there, and the message names what it would be
        var us = assertThrows(ValidationException.class, () -> parse(header + "PO-1,V,A,1,20/12/2026\n", US));
        assertEquals(
                "row 2, requested_date: is not a date when read MM/DD/YYYY, as this organisation writes dates;"
                        + " if you mean 20 December 2026, write it as 2026-12-20 (got \"20/12/2026\")",
                us.errors().get(0).describe());
    }

    @Test
    void overridesOfTextDirectionAndAddressListsAreRefused() {
        String header = "reference,vendor_name,vendor_email,sku,description,quantity\n";
        var bidi = assertThrows(ValidationException.class,
                () -> parse(header + "PO-1,V,v@example.com,A,\"x\u202Eevil line 26\",1\n", GB));
        assertEquals("row 2, description: must not contain right-to-left override or isolate characters (U+202A to"
                + " U+202E, U+2066 to U+2069)", bidi.errors().get(0).describe());
        for (String list : new String[] { "a,b@example.com", "V <v@example.com>", "a@example.com;b@example.com" }) {
            var e = assertThrows(ValidationException.class,
                    () -> parse(header + "PO-1,V,\"" + list + "\",A,Bolt,1\n", GB), list);
            assertTrue(e.errors().get(0).describe().startsWith("row 2, vendor_email: must be an e-mail address"),
                    e.errors().get(0).describe());
        }
        // right-to-left text itself is welcome, and so are the marks that only place punctuation
        assertEquals("شركة الخليج\u200F.", parse(header + "PO-1,V,v@example.com,A,شركة الخليج\u200F.,1\n", GB).get(0)
                .lines().get(0).description());
    }

    @Test
    void numbersOfTheIssueAreReadAsTheirConventionWritesThem() {
        String header = "reference,vendor_name,sku,quantity,unit_price,currency\n";
        var gb = parse(header + "PO-1,V,A,\"2,500\",2.35000,GBP\nPO-1,V,B,10.000000,0.5,GBP\n", GB).get(0);
        assertEquals(new BigDecimal("2500"), gb.lines().get(0).quantity());
        assertEquals(new BigDecimal("2.35"), gb.lines().get(0).unitPrice());
        assertEquals(new BigDecimal("10"), gb.lines().get(1).quantity());
        var de = parse("reference;vendor_name;sku;quantity;unit_price;currency\nPO-1;V;A;1.000;2,35;EUR\n", DE).get(0);
        assertEquals(new BigDecimal("1000"), de.lines().get(0).quantity());
        var e = assertThrows(ValidationException.class,
                () -> parse(header + "PO-1,V,A,1.5E+3,1,GBP\nPO-2,V,A,1.000,1,GBP\n", GB));
        assertEquals("row 2, quantity: is in scientific notation; write the number in full: 1500 (got \"1.5E+3\")",
                e.errors().get(0).describe());
        assertEquals("row 3, quantity: is that 1 or 1000? write 1 or 1000 (got \"1.000\")",
                e.errors().get(1).describe());
    }

    @Test
    void theTemplateImportsAsItIsInEveryConvention() {
        for (String country : List.of("GB", "US", "DE", "NL", "FR", "JP")) {
            Convention convention = Convention.of(country, null);
            String csv = OrderCsv.template(convention, Convention.currency(country), 2027);
            assertTrue(csv.startsWith("\uFEFF"
                    + String.join(convention.decimal() == Convention.DecimalMark.COMMA ? ";" : ",", OrderCsv.COLUMNS)
                    + "\r\n"), csv);
            var drafts = parse(csv, convention);
            assertEquals(1, drafts.size(), country);
            OrderDraft po = drafts.get(0);
            assertEquals(java.time.LocalDate.of(2027, 12, 20), po.requestedDate(), country);
            assertEquals(new BigDecimal("2500"), po.lines().get(0).quantity(), country);
            assertEquals(new BigDecimal("0.12"), po.lines().get(0).unitPrice(), country);
            assertEquals("Unit 4, Dockside Road\nLondon E16 2QD", po.deliveryAddress());
            assertEquals("goods-in@harbour.example", po.consignee().email(), country);
        }
        assertTrue(OrderCsv.template(GB, "GBP", 2027).contains(",\"2,500\",pcs,0.12,GBP,Harbour Works Ltd,"));
        assertTrue(OrderCsv.template(DE, "EUR", 2027).contains(";2.500;pcs;0,12;EUR;Harbour Works Ltd;"));
        assertTrue(OrderCsv.template(DE, "EUR", 2027).contains(";20.12.2027;"));
        assertTrue(OrderCsv.template(US, "USD", 2027).contains(",12/20/2027,"));
    }
}
