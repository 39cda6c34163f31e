package io.portlink.purchasing;

import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

/**
 * The order list as CSV and XLSX, orders and lines: the filter applied, the content as written, formulas defused, the
 * workbook read back with a reader, batches joined without a gap or a repeat, and another organisation's orders out of
 * reach.
 */
@QuarkusTest
class OrderExportTest {

    static final String FORMULA = "=HYPERLINK(\"http://evil.example\",\"Click\")";

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    Fixtures.Tenant tenant;
    String tag;
    String alpha;
    String beta;

    @BeforeEach
    void orders() {
        tenant = fixtures.tenant("GB");
        tag = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        alpha = "PO-" + tag + "-ALPHA";
        beta = "PO-" + tag + "-BETA";
        create(tenant, alpha, "Northwind Traders", List.of(line("BR-1", "Steel bracket", "10", "2.5"),
                line("-LEAD", FORMULA, "1.25", null), line("@AT", "+44 extra", "3", "0.1")));
        create(tenant, beta, "@Contoso", List.of(line("HX-8", "Hex bolt", "100", "0.12")));
    }

    static Map<String, Object> line(String sku, String description, String quantity, String price) {
        var line = new java.util.HashMap<String, Object>(
                Map.of("sku", sku, "description", description, "quantity", quantity, "unit", "pcs"));
        if (price != null) {
            line.put("unitPrice", price);
            line.put("currency", "GBP");
        }
        return line;
    }

    static void create(Fixtures.Tenant tenant, String reference, String vendor, List<Map<String, Object>> lines) {
        Fixtures.post(tenant.apiKey(),
                Map.of("reference", reference, "vendor",
                        Map.of("name", vendor, "email", vendor.replaceAll("\\W", "") + "@vendor.example"),
                        "requestedDate", "2026-07-01", "deliveryAddress", "1 Dock Road, London", "lines", lines))
                .statusCode(201);
    }

    private Response export(Fixtures.Tenant who, String... parameters) {
        var request = given().header("Authorization", "Bearer " + who.apiKey());
        for (int i = 0; i < parameters.length; i += 2) {
            request = request.queryParam(parameters[i], parameters[i + 1]);
        }
        return request.get("/api/v1/purchase-orders/export");
    }

    /** The CSV's lines without the byte order mark (checked) and the last CR LF. */
    static List<String> csvLines(Response response) {
        String body = new String(response.asByteArray(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("\uFEFF"), "a byte order mark, so spreadsheets read UTF-8");
        assertTrue(body.endsWith("\r\n"));
        return Arrays.asList(body.substring(1, body.length() - 2).split("\r\n", -1));
    }

    @Test
    void ordersCsvOfTheFilteredList() {
        Response response = export(tenant, "format", "csv", "q", tag + "-ALP");
        assertEquals(200, response.statusCode());
        assertTrue(response.contentType().startsWith("text/csv"));
        String today = LocalDate.ofInstant(clock.instant(), java.time.ZoneId.of("Europe/London")).toString();
        String slug = tenant.name().toLowerCase().replace(' ', '-');
        assertEquals("attachment; filename=\"purchase-orders-" + slug + "-" + today + ".csv\"",
                response.header("Content-Disposition"));
        List<String> lines = csvLines(response);
        assertEquals(String.join(",", OrderExport.ORDER_COLUMNS), lines.get(0));
        assertEquals(2, lines.size(), "the header and the one order that matches: " + lines);
        assertTrue(lines.get(1)
                .matches(Pattern.quote(alpha + ",Pending,Northwind Traders,northwindtraders@vendor.example,")
                        + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)"
                        + Pattern.quote(",2026-07-01,,,,\"1 Dock Road, London\",3,") + ".+"),
                lines.get(1));
        // revision, the total per currency (the line without a price adds nothing), no cancel reason
        assertTrue(lines.get(1).endsWith(",1,GBP 25.30,"), lines.get(1));

        List<String> both = csvLines(export(tenant, "format", "csv", "q", tag));
        assertEquals(3, both.size());
        assertTrue(both.get(2).startsWith(beta + ",Pending,'@Contoso,"), "a vendor name starting with @ is defused");
    }

    @Test
    void linesCsvDefusesFormulasAndWritesNumbersPlain() {
        List<String> lines = csvLines(export(tenant, "format", "csv", "rows", "lines", "q", tag, "vendor", "north"));
        assertEquals(String.join(",", OrderExport.LINE_COLUMNS), lines.get(0));
        assertEquals(4, lines.size(), "one row per line of the one order: " + lines);
        assertTrue(lines.get(1).startsWith(alpha + ",Pending,Northwind Traders,"));
        assertTrue(lines.get(1).endsWith(",2026-07-01,,1,BR-1,Steel bracket,10,pcs,2.5,GBP"), lines.get(1));
        assertTrue(
                lines.get(2)
                        .endsWith(",2,'-LEAD,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",1.25,pcs,,"),
                lines.get(2));
        assertTrue(lines.get(3).endsWith(",3,'@AT,'+44 extra,3,pcs,0.1,GBP"), lines.get(3));
    }

    @Test
    void aDecimalCommaOrganisationGetsSemicolonsAndCommas() {
        Fixtures.Tenant de = fixtures.tenant("DE");
        create(de, alpha, "Nordwind GmbH", List.of(line("BR-1", "Winkel; verzinkt", "1000", "2.5")));
        List<String> lines = csvLines(export(de, "format", "csv", "rows", "lines"));
        assertEquals(String.join(";", OrderExport.LINE_COLUMNS), lines.get(0));
        assertTrue(lines.get(1).endsWith(";1;BR-1;\"Winkel; verzinkt\";1000;pcs;2,5;GBP"), lines.get(1));
    }

    /** The workbook uploaded where a CSV is read: told it is a workbook and how to save it as CSV, nothing imported. */
    @Test
    void theXlsxUploadedToTheCsvImportIsToldToBeSavedAsCsv() {
        byte[] workbook = export(tenant, "format", "xlsx", "rows", "lines", "q", tag).asByteArray();
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv").body(workbook)
                .post("/api/v1/purchase-orders/import").then().statusCode(422)
                .body("errors.size()", org.hamcrest.Matchers.equalTo(1))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("file")).body("errors[0].message",
                        org.hamcrest.Matchers.equalTo(
                                "is a spreadsheet workbook (.xlsx or .ods), not CSV: open it in the spreadsheet"
                                        + " program, save it as \"CSV UTF-8\" and upload that file"));
        // an old .xls starts with the OLE signature
        byte[] xls = { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1 };
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv").body(xls)
                .post("/api/v1/purchase-orders/import").then().statusCode(422)
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("is an Excel workbook (.xls), not CSV"));
    }

    @Test
    void xlsxReadsBackWithNumbersAndDates() throws Exception {
        Response response = export(tenant, "format", "xlsx", "rows", "lines", "q", tag);
        assertEquals(200, response.statusCode());
        assertEquals("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.contentType());
        assertTrue(response.header("Content-Disposition")
                .matches("attachment; filename=\"purchase-order-lines-.+\\.xlsx\""));
        try (var workbook = new ReadableWorkbook(new ByteArrayInputStream(response.asByteArray()))) {
            var sheet = workbook.getFirstSheet();
            assertEquals("Lines", sheet.getName());
            List<Row> rows = sheet.read();
            assertEquals(5, rows.size(), "header, 3 lines of the one order, 1 of the other");
            for (int c = 0; c < OrderExport.LINE_COLUMNS.size(); c++) {
                assertEquals(OrderExport.LINE_COLUMNS.get(c), rows.get(0).getCell(c).asString());
            }
            Row first = rows.get(1);
            assertEquals(alpha, first.getCell(0).asString());
            assertEquals(CellType.NUMBER, first.getCell(4).getType(), "created is a date cell");
            assertEquals(LocalDateTime.of(2026, 7, 1, 0, 0), first.getCell(5).asDate());
            assertEquals(CellType.NUMBER, first.getCell(7).getType());
            assertEquals(0, new BigDecimal("10").compareTo(first.getCell(10).asNumber()));
            assertEquals(0, new BigDecimal("2.5").compareTo(first.getCell(12).asNumber()));
            Row formula = rows.get(2);
            assertEquals(CellType.STRING, formula.getCell(9).getType());
            assertEquals(FORMULA, formula.getCell(9).asString(), "text cells are text in a workbook: kept as written");
            assertNull(formula.getCell(9).getFormula());
            assertFalse(formula.getOptionalCell(12).map(c -> c.getType() != CellType.EMPTY).orElse(false),
                    "no price: an empty cell");
            assertEquals(beta, rows.get(4).getCell(0).asString());
        }
        try (var workbook = new ReadableWorkbook(
                new ByteArrayInputStream(export(tenant, "format", "xlsx", "q", tag).asByteArray()))) {
            List<Row> rows = workbook.getFirstSheet().read();
            assertEquals(3, rows.size());
            assertEquals(0, new BigDecimal("3").compareTo(rows.get(1).getCell(10).asNumber()), "3 lines");
            assertEquals("@Contoso", rows.get(2).getCell(2).asString());
        }
    }

    @Test
    void anotherOrganisationCannotExportTheseOrders() {
        Fixtures.Tenant other = fixtures.tenant("GB");
        for (String rows : List.of("orders", "lines")) {
            List<String> lines = csvLines(export(other, "format", "csv", "rows", rows, "q", tag));
            assertEquals(1, lines.size(), "only the header: " + lines);
            String all = String.join("\n", csvLines(export(other, "format", "csv", "rows", rows)));
            assertFalse(all.contains(tag), all);
        }
        CookieFilter staff = signIn(other.adminEmail(), Fixtures.PASSWORD);
        String body = given().filter(staff).queryParam("format", "csv").queryParam("q", tag).get("/app/orders/export")
                .then().statusCode(200).extract().asString();
        assertFalse(body.contains(tag), body);
        given().redirects().follow(false).queryParam("format", "csv").get("/app/orders/export").then().statusCode(302);
    }

    @Test
    void theListPagesLinksExportWhatItShows() {
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).queryParam("q", "bracket").queryParam("requestedFrom", "2026-07-01")
                .get("/app/orders").then().statusCode(200).extract().asString();
        for (String id : List.of("export-csv", "export-xlsx", "export-lines-csv", "export-lines-xlsx")) {
            Matcher m = Pattern.compile("href=\"([^\"]+)\" id=\"" + id + "\"").matcher(page);
            assertTrue(m.find(), id);
            String href = m.group(1).replace("&amp;", "&");
            assertTrue(href.contains("q=bracket") && href.contains("requestedFrom=2026-07-01"), href);
            Response file = given().filter(staff).urlEncodingEnabled(false).get(href);
            assertEquals(200, file.statusCode(), href);
            if (id.endsWith("csv")) {
                List<String> lines = csvLines(file);
                assertEquals(id.contains("lines") ? 4 : 2, lines.size(), id + ": " + lines);
                assertTrue(lines.get(1).startsWith(alpha + ","));
            }
        }
    }

    @Test
    void wrongParametersAreNamed() {
        export(tenant, "format", "pdf", "rows", "cells", "createdFrom", "yesterday").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItems("format", "rows", "createdFrom"));
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).queryParam("format", "pdf").get("/app/orders/export").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("Format: must be csv or xlsx (got &quot;pdf&quot;)"));
    }

    /**
     * 2,500 one-line orders and one of 2,100 lines, written straight into the tables: the export reads them in batches
     * of 1,000 orders and 1,000 lines and writes each exactly once, in order.
     */
    @Test
    void batchesJoinWithoutGapOrRepeat() throws Exception {
        Fixtures.Tenant big = fixtures.tenant("GB");
        long base = 1_000_000_000_000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000) * 10_000;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Timestamp now = Timestamp.from(clock.instant());
            try (PreparedStatement v = c.prepareStatement("insert into vendor (id, organization_id, name, email,"
                    + " name_key, match_key, created_at) values (?, ?, 'Bulk vendor', ?, 'bulk vendor', ?, ?)")) {
                v.setLong(1, base);
                v.setLong(2, big.id());
                v.setString(3, "bulk-" + base + "@vendor.example");
                v.setString(4, "e:bulk-" + base + "@vendor.example");
                v.setTimestamp(5, now);
                v.executeUpdate();
            }
            try (PreparedStatement o = c.prepareStatement("insert into purchase_order (id, organization_id, vendor_id,"
                    + " reference, status, content_hash, created_at, updated_at, version) values (?, ?, ?, ?, 'PENDING',"
                    + " 'x', ?, ?, 0)");
                    PreparedStatement l = c.prepareStatement("insert into order_line (id, order_id, line_no, sku,"
                            + " quantity) values (?, ?, ?, ?, 1)")) {
                long lineId = base;
                for (int i = 1; i <= 2501; i++) {
                    o.setLong(1, base + i);
                    o.setLong(2, big.id());
                    o.setLong(3, base);
                    o.setString(4, String.format("BULK-%05d", i));
                    o.setTimestamp(5, now);
                    o.setTimestamp(6, now);
                    o.addBatch();
                    int count = i == 1500 ? 2100 : 1;
                    for (int n = 1; n <= count; n++) {
                        l.setLong(1, ++lineId);
                        l.setLong(2, base + i);
                        l.setInt(3, n);
                        l.setString(4, "L" + n);
                        l.addBatch();
                    }
                }
                o.executeBatch();
                l.executeBatch();
            }
            c.commit();
        }
        List<String> orders = csvLines(export(big, "format", "csv"));
        assertEquals(2502, orders.size());
        for (int i = 1; i <= 2501; i++) {
            assertTrue(orders.get(i).startsWith(String.format("BULK-%05d,", i)), orders.get(i));
        }
        List<String> lines = csvLines(export(big, "format", "csv", "rows", "lines"));
        assertEquals(1 + 2500 + 2100, lines.size());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 2501; i++) {
            for (int n = 1; n <= (i == 1500 ? 2100 : 1); n++) {
                expected.add(String.format("BULK-%05d", i) + "/" + n);
            }
        }
        List<String> actual = lines.subList(1, lines.size()).stream().map(r -> {
            String[] cells = r.split(",", -1);
            return cells[0] + "/" + cells[7];
        }).toList();
        assertEquals(expected, actual);
    }
}
