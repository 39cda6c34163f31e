package io.portlink.purchasing;

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
 * Reads a purchase-order CSV (one row per order line) into drafts, or into a list of every problem found, each with its
 * row (header = row 1) and column. Streams the file; holds only the drafts.
 */
public final class OrderCsv {

    public static final List<String> COLUMNS = List.of("reference", "vendor_name", "vendor_email", "vendor_phone",
            "vendor_language", "delivery_address", "requested_date", "sku", "description", "quantity", "unit",
            "unit_price", "currency", "consignee_name", "consignee_email", "consignee_phone", "consignee_language");
    private static final List<String> REQUIRED = List.of("reference", "vendor_name", "quantity");
    /** The header's rules: the known and required columns, and a line needs a sku or a description. */
    private static final CsvFile.Columns HEADER = new CsvFile.Columns(COLUMNS, REQUIRED, (present, errors) -> {
        if (!present.contains("sku") && !present.contains("description")) {
            errors.add(1, "sku", "column (or description) is missing from the header", null);
        }
    });

    private OrderCsv() {
    }

    /**
     * The drafts of a whole file, numbers and dates read under {@code convention}.
     *
     * @throws ValidationException
     *             with every problem (row, column, value), nothing half-read; past {@link CsvFile#MAX_ERRORS} problems,
     *             a last one on "file" says how many more there were
     */
    public static List<OrderDraft> parse(InputStream stream, PortlinkConfig.Import limits, Convention convention) {
        // every row is checked; the answer lists the first problems and counts the rest
        var errors = new ValidationException.Builder().capped(CsvFile.MAX_ERRORS);
        Map<String, Builder> orders = new LinkedHashMap<>();
        int valid = read(stream, limits, convention, errors, row -> {
            Builder order = orders.get(row.reference());
            if (order == null) {
                orders.put(row.reference(), new Builder(row));
            } else {
                differences(order.first, row, errors::add);
                order.lines.add(row.line());
            }
        });
        if (errors.isEmpty() && valid == 0) {
            errors.add(2, "file", "has a header but no order rows", null);
        }
        errors.throwIfAny();
        return orders.values().stream().map(Builder::build).toList();
    }

    /**
     * One valid row of a file: its number (header = row 1), the order-level columns as this row gives them, and its
     * line.
     */
    public record Row(int number, String reference, Vendors.Contact vendor, String address,
            java.time.LocalDate requested, Consignee consignee, OrderDraft.Line line) {
    }

    /** Receives the valid rows of a file, in file order. */
    @FunctionalInterface
    public interface RowSink {
        void accept(Row row);
    }

    /** Receives one problem: row, column, message, value. */
    @FunctionalInterface
    public interface ProblemSink {
        void add(Integer row, String column, String message, String value);
    }

    /**
     * Streams a file row by row: every row is checked on its own (the header, each cell's rules, a line needs a sku or
     * a description), its problems go into {@code errors}, and each row without a problem goes to {@code rows}. What
     * spans rows (the order-level columns agreeing, {@link #differences}) is the caller's. Holds one row at a time.
     * Returns the number of valid rows.
     */
    public static int read(InputStream stream, PortlinkConfig.Import limits, Convention convention,
            ValidationException.Builder errors, RowSink rows) {
        int[] valid = { 0 };
        CsvFile.read(stream, limits, HEADER, (cells, problems) -> {
            Row row = readRow(cells, new Fields(problems, cells.number(), limits.maxFieldLength(), convention),
                    problems);
            if (row != null) {
                valid[0]++;
                rows.accept(row);
            }
        }, errors);
        return valid[0];
    }

    /**
     * The order-level columns of a later row of an order that differ from its first row, one problem each ("differs
     * from row 2 of the same order PO-1 ("...")"), in column order. They repeat on every line of an order and must
     * agree; one vendor written two ways (case, accents composed or not, spaces) is still one vendor. The vendor's
     * phone and language are the first row's.
     */
    public static void differences(Row first, Row later, ProblemSink problems) {
        int row = later.number();
        if (!Objects.equals(first.vendor().name(), later.vendor().name())
                && !Objects.equals(VendorNames.key(first.vendor().name()), VendorNames.key(later.vendor().name()))) {
            differs(first, row, "vendor_name", first.vendor().name(), later.vendor().name(), problems);
        }
        differs(first, row, "vendor_email", first.vendor().email(), later.vendor().email(), problems);
        differs(first, row, "delivery_address", first.address(), later.address(), problems);
        differs(first, row, "requested_date", Objects.toString(first.requested(), null),
                Objects.toString(later.requested(), null), problems);
        differs(first, row, "consignee_name", first.consignee().name(), later.consignee().name(), problems);
        differs(first, row, "consignee_email", first.consignee().email(), later.consignee().email(), problems);
        differs(first, row, "consignee_phone", first.consignee().phone(), later.consignee().phone(), problems);
        differs(first, row, "consignee_language", first.consignee().language(), later.consignee().language(), problems);
    }

    private static void differs(Row first, int row, String column, String firstValue, String value,
            ProblemSink problems) {
        if (!Objects.equals(firstValue, value)) {
            problems.add(row, column, "differs from row " + first.number() + " of the same order " + first.reference()
                    + " (\"" + Objects.toString(firstValue, "") + "\")", value);
        }
    }

    /**
     * A template file: the header and a two-line example order, written as this convention writes numbers and dates
     * (with a decimal comma, semicolons between cells, as such spreadsheets do). UTF-8 with a byte order mark, CRLF;
     * importable as it is. {@code year} is the year of the example's requested date (20 December, unambiguous).
     */
    public static String template(Convention convention, String currency, int year) {
        boolean comma = convention.decimal() == Convention.DecimalMark.COMMA;
        char delimiter = comma ? ';' : ',';
        String date = convention.write(java.time.LocalDate.of(year, 12, 20));
        String thousands = "2" + convention.decimal().group + "500";
        String price = comma ? "0,12" : "0.12";
        List<List<String>> rows = List.of(COLUMNS,
                List.of("PO-EXAMPLE-1", "Example Supplies Ltd", "orders@supplier.example", "+44 20 7946 0000", "en",
                        "Unit 4, Dockside Road\nLondon E16 2QD", date, "BOLT-M8", "Hex bolt M8 x 40, zinc plated",
                        thousands, "pcs", price, currency, "Harbour Works Ltd", "goods-in@harbour.example",
                        "+44 20 7946 0100", "en"),
                List.of("PO-EXAMPLE-1", "Example Supplies Ltd", "orders@supplier.example", "+44 20 7946 0000", "en",
                        "Unit 4, Dockside Road\nLondon E16 2QD", date, "NUT-M8", "Hex nut M8", "250", "pcs",
                        comma ? "0,04" : "0.04", currency, "Harbour Works Ltd", "goods-in@harbour.example",
                        "+44 20 7946 0100", "en"));
        return CsvFile.write(rows, delimiter);
    }

    private static boolean blank(String cell) {
        return cell == null || cell.isBlank();
    }

    private static Row readRow(CsvFile.Row cells, Fields f, ValidationException.Builder errors) {
        int row = cells.number();
        int before = errors.size();
        String reference = f.reference("reference", cells.cell("reference"));
        String vendorName = f.line("vendor_name", cells.cell("vendor_name"), true, 200);
        String email = f.email("vendor_email", cells.cell("vendor_email"), false);
        String phone = f.phone("vendor_phone", cells.cell("vendor_phone"));
        String language = f.language("vendor_language", cells.cell("vendor_language"));
        String address = f.text("delivery_address", cells.cell("delivery_address"), false, 1000);
        var requested = f.date("requested_date", cells.cell("requested_date"), false);
        String sku = f.line("sku", cells.cell("sku"), false, 64);
        String description = f.text("description", cells.cell("description"), false, 1000);
        // both cells empty, whatever else the row has wrong (a refused sku is named as itself, not as missing)
        if (blank(cells.cell("sku")) && blank(cells.cell("description"))) {
            errors.add(row, "sku", "a line needs a sku or a description", null);
        }
        var quantity = f.decimal("quantity", cells.cell("quantity"), false, true, true);
        String unit = f.line("unit", cells.cell("unit"), false, 16);
        var price = f.decimal("unit_price", cells.cell("unit_price"), false, false, false);
        String currency = f.currency("currency", cells.cell("currency"));
        if (price != null && blank(cells.cell("currency"))) {
            errors.add(row, "currency", "is required when unit_price is given", null);
        }
        Consignee consignee = Consignee.read(f, errors, row, "consignee_", cells.cell("consignee_name"),
                cells.cell("consignee_email"), cells.cell("consignee_phone"), cells.cell("consignee_language"));
        if (errors.size() != before) {
            return null;
        }
        return new Row(row, reference, new Vendors.Contact(vendorName, email, phone, language), address, requested,
                consignee, new OrderDraft.Line(sku, description, quantity, unit, price, currency));
    }

    private static final class Builder {
        final Row first;
        final List<OrderDraft.Line> lines = new ArrayList<>();

        Builder(Row first) {
            this.first = first;
            lines.add(first.line());
        }

        OrderDraft build() {
            return new OrderDraft(first.reference(), first.vendor(), first.address(), first.requested(),
                    List.copyOf(lines), first.number(), first.consignee());
        }
    }
}
