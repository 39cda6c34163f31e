package io.portlink.dropship;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.portlink.platform.Convention;
import io.portlink.platform.CsvFile;
import io.portlink.platform.Fields;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/**
 * Sales orders from a CSV file: one row per line, grouped into orders by {@code reference} (rows of one order need not
 * be next to each other). The order's fields (ship-to, method, note) come from its first row; a later row of the same
 * order may leave them empty, and one that gives another value is refused. Numbers are read under the organisation's
 * convention. All or nothing: any problem, with its row and column, and no order is returned.
 */
public final class SalesOrderCsv {

    public static final List<String> COLUMNS = List.of("reference", "ship_to_name", "ship_to_company",
            "ship_to_address", "ship_to_phone", "shipping_method", "internal_note", "sku", "description", "quantity",
            "unit_price");
    static final List<String> REQUIRED = List.of("reference", "ship_to_name", "ship_to_address", "sku", "quantity");
    private static final List<String> ORDER_COLUMNS = COLUMNS.subList(1, 7);

    private SalesOrderCsv() {
    }

    /**
     * Every order of the file in the order of its first row.
     *
     * @throws ValidationException
     *             naming each problem's row (the header is row 1) and column
     */
    public static List<SalesOrderDraft> parse(InputStream in, PortlinkConfig.Import limits, Convention convention) {
        var errors = new ValidationException.Builder();
        Map<String, Group> groups = new LinkedHashMap<>();
        CsvFile.read(in, limits, new CsvFile.Columns(COLUMNS, REQUIRED), (row, problems) -> {
            Fields f = new Fields(problems, row.number(), limits.maxFieldLength(), convention);
            String reference = f.reference("reference", row.cell("reference"));
            if (reference == null) {
                return;
            }
            Group group = groups.get(reference);
            if (group == null) {
                var header = SalesOrderDraft.header(f, SalesOrderDraft.Places.CSV, reference, row.cell("ship_to_name"),
                        row.cell("ship_to_company"), row.cell("ship_to_address"), row.cell("ship_to_phone"),
                        row.cell("shipping_method"), row.cell("internal_note"));
                group = new Group(header, row.number(), orderCells(row));
                groups.put(reference, group);
            } else {
                List<String> cells = orderCells(row);
                for (int i = 0; i < cells.size(); i++) {
                    String cell = cells.get(i);
                    if (cell != null && !Objects.equals(cell, group.cells.get(i))) {
                        problems.add(row.number(), ORDER_COLUMNS.get(i), group.cells.get(i) == null
                                ? "is empty on row " + group.firstRow + ", order " + reference + "'s first row, where"
                                        + " an order's fields are read: give it there, and leave it empty here"
                                : "differs from row " + group.firstRow + " of order " + reference + " (\""
                                        + group.cells.get(i) + "\"); leave it empty or give the same value",
                                cell);
                    }
                }
            }
            var line = SalesOrderDraft.line(f, problems, row.number(), "sku", row.cell("sku"), "description",
                    row.cell("description"), "quantity", row.cell("quantity"), false, "unit_price",
                    row.cell("unit_price"), false);
            if (line != null) {
                if (group.lines.size() >= SalesOrderDraft.MAX_LINES) {
                    problems.add(row.number(), "reference",
                            "order " + reference + " has more than " + SalesOrderDraft.MAX_LINES + " lines", reference);
                } else {
                    group.lines.add(line);
                }
            }
        }, errors);
        if (errors.isEmpty() && groups.isEmpty()) {
            errors.add(null, "file", "has no order rows below the header", null);
        }
        errors.throwIfAny();
        List<SalesOrderDraft> drafts = new ArrayList<>(groups.size());
        groups.values().forEach(g -> drafts.add(SalesOrderDraft.of(g.header, g.lines, g.firstRow)));
        return drafts;
    }

    /**
     * A template file: the header and a two-line example order, written as {@code convention} writes numbers (with a
     * decimal comma, semicolons between cells, as such spreadsheets save). UTF-8 with a byte order mark, CRLF.
     * Importable as it is: it creates sales order {@code SO-EXAMPLE-1}, whose SKUs ({@code EXAMPLE-…}) name no product,
     * so it routes to no supplier.
     */
    public static String template(Convention convention) {
        boolean comma = convention.decimal() == Convention.DecimalMark.COMMA;
        List<List<String>> rows = List.of(COLUMNS,
                List.of("SO-EXAMPLE-1", "Jane Example", "", "12 Example Street\nLeeds LS1 4AB", "+44 113 496 0000",
                        "Standard", "gift wrap", "EXAMPLE-MUG", "Mug, red", "2", comma ? "8,50" : "8.50"),
                List.of("SO-EXAMPLE-1", "", "", "", "", "", "", "EXAMPLE-TEE", "T-shirt, size M", "1",
                        comma ? "14,00" : "14.00"));
        return CsvFile.write(rows, comma ? ';' : ',');
    }

    /** The order-level cells of a row, trimmed, blank as null. */
    private static List<String> orderCells(CsvFile.Row row) {
        List<String> cells = new ArrayList<>(ORDER_COLUMNS.size());
        for (String column : ORDER_COLUMNS) {
            String v = row.cell(column);
            cells.add(v == null || v.isBlank() ? null : v.strip().replace("\r\n", "\n"));
        }
        return cells;
    }

    private static final class Group {
        final SalesOrderDraft.Header header;
        final int firstRow;
        final List<String> cells;
        final List<SalesOrderDraft.Line> lines = new ArrayList<>();

        Group(SalesOrderDraft.Header header, int firstRow, List<String> cells) {
            this.header = header;
            this.firstRow = firstRow;
            this.cells = cells;
        }
    }
}
