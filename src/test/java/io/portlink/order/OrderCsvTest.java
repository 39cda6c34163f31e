package io.portlink.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/** The CSV reader alone: encodings, delimiters, quoting, limits, and where problems are reported. */
class OrderCsvTest {

    record Limits(long maxBytes, int maxRows, int maxFieldLength) implements PortlinkConfig.Import {
    }

    static final Limits LIMITS = new Limits(1_000_000, 100, 200);

    static List<OrderDraft> parse(byte[] bytes, Limits limits) {
        return OrderCsv.parse(new ByteArrayInputStream(bytes), limits);
    }

    static List<OrderDraft> parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8), LIMITS);
    }

    static ValidationException failure(String text, Limits limits) {
        return assertThrows(ValidationException.class, () -> parse(text.getBytes(StandardCharsets.UTF_8), limits));
    }

    @Test
    void readsExcelStyleSemicolonFilesWithBomQuotesAndCrlf() {
        var drafts = parse("\uFEFFREFERENCE;Vendor Name;Quantity;Description;Unit_Price;Currency\r\n"
                + "PO-1;Müller GmbH;1,5;\"Schraube; \"\"M8\"\"\r\nverzinkt\";2,50;eur\r\n"
                + "PO-1;Müller GmbH;3;Mutter;;\r\n");
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
    }

    @Test
    void headerProblemsAreNamed() {
        var e = failure("reference,vendor,qty\nPO-1,V,1\n", LIMITS);
        assertTrue(e.errors().stream().anyMatch(x -> x.row() == 1 && x.field().equals("vendor")));
        assertTrue(e.errors().stream().anyMatch(x -> x.field().equals("quantity") && x.message().contains("missing")));
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
}
