package io.portlink.order;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.portlink.vendor.VendorNames;
import io.portlink.vendor.Vendors;

/**
 * Reads a purchase-order CSV (one row per order line) into drafts, or into a list of every problem found, each with its
 * row (header = row 1) and column. Streams the file; holds only the drafts.
 */
public final class OrderCsv {

    public static final List<String> COLUMNS = List.of("reference", "vendor_name", "vendor_email", "vendor_phone",
            "vendor_language", "delivery_address", "requested_date", "sku", "description", "quantity", "unit",
            "unit_price", "currency");
    private static final List<String> REQUIRED = List.of("reference", "vendor_name", "quantity");
    /** Past this many problems the report stops growing: the file needs fixing first. */
    static final int MAX_ERRORS = 200;

    private OrderCsv() {
    }

    /**
     * The drafts of a whole file, numbers and dates read under {@code convention}.
     *
     * @throws ValidationException
     *             with every problem (row, column, value), nothing half-read
     */
    public static List<OrderDraft> parse(InputStream stream, PortlinkConfig.Import limits, Convention convention) {
        var errors = new ValidationException.Builder();
        Map<String, Builder> orders = new LinkedHashMap<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int row = 1;
        try (Reader reader = new InputStreamReader(new Limited(stream, limits.maxBytes()), decoder)) {
            CsvReader csv = new CsvReader(reader, limits.maxFieldLength());
            List<String> header = csv.header();
            if (header == null) {
                throw ValidationException.of("file",
                        "is empty: the first row must name the columns " + String.join(", ", COLUMNS), null);
            }
            Map<String, Integer> index = columns(header, errors);
            errors.throwIfAny();
            List<String> record;
            while ((record = csv.next()) != null) {
                row++;
                if (record.stream().allMatch(String::isBlank)) {
                    continue; // blank lines and rows of empty cells (;;;; that spreadsheets leave) carry no line
                }
                if (row - 1 > limits.maxRows()) {
                    errors.add(row, "file", "has more than " + limits.maxRows() + " rows; split it into smaller files",
                            null);
                    break;
                }
                readRow(row, record, index, header.size(), new Fields(errors, row, limits.maxFieldLength(), convention),
                        orders, errors);
                if (errors.size() >= MAX_ERRORS) {
                    break;
                }
            }
        } catch (CharacterCodingException e) {
            errors.add(row + 1, "file", "is not UTF-8 text; save it as \"CSV UTF-8\"", null);
        } catch (CsvReader.TooLongException e) {
            errors.add(row + 1, "file", e.getMessage() + " (the limit is " + limits.maxFieldLength() + ")", null);
        } catch (Limited.TooLargeException e) {
            errors.add(null, "file",
                    "is larger than " + limits.maxBytes() / (1024 * 1024) + " MB; split it into smaller files", null);
        } catch (IOException e) {
            errors.add(row + 1, "file", "cannot be read as CSV: " + e.getMessage(), null);
        }
        if (errors.isEmpty() && orders.isEmpty()) {
            errors.add(2, "file", "has a header but no order rows", null);
        }
        errors.throwIfAny();
        return orders.values().stream().map(Builder::build).toList();
    }

    /**
     * A template file: the header and a two-line example order, written as this convention writes numbers and dates
     * (with a decimal comma, semicolons between cells, as such spreadsheets do). UTF-8 with a byte order mark, CRLF;
     * importable as it is. {@code year} is the year of the example's requested date (20 December, unambiguous).
     */
    public static String template(Convention convention, String currency, int year) {
        boolean comma = convention.decimal() == Convention.DecimalMark.COMMA;
        char delimiter = comma ? ';' : ',';
        String date = switch (convention.dates()) {
        case DAY_FIRST -> "20/12/" + year;
        case MONTH_FIRST -> "12/20/" + year;
        case YEAR_FIRST -> year + "-12-20";
        };
        String thousands = "2" + convention.decimal().group + "500";
        String price = comma ? "0,12" : "0.12";
        List<List<String>> rows = List.of(COLUMNS,
                List.of("PO-EXAMPLE-1", "Example Supplies Ltd", "orders@supplier.example", "+44 20 7946 0000", "en",
                        "Unit 4, Dockside Road\nLondon E16 2QD", date, "BOLT-M8", "Hex bolt M8 x 40, zinc plated",
                        thousands, "pcs", price, currency),
                List.of("PO-EXAMPLE-1", "Example Supplies Ltd", "orders@supplier.example", "+44 20 7946 0000", "en",
                        "Unit 4, Dockside Road\nLondon E16 2QD", date, "NUT-M8", "Hex nut M8", "250", "pcs",
                        comma ? "0,04" : "0.04", currency));
        StringBuilder out = new StringBuilder("\uFEFF");
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                boolean quote = cell.indexOf(delimiter) >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0;
                out.append(i == 0 ? "" : delimiter).append(quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    private static Map<String, Integer> columns(List<String> header, ValidationException.Builder errors) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT).replace(' ', '_');
            if (name.isEmpty()) {
                continue;
            }
            if (!COLUMNS.contains(name)) {
                errors.add(1, header.get(i), "is not a known column; the columns are " + String.join(", ", COLUMNS),
                        null);
            } else if (index.putIfAbsent(name, i) != null) {
                errors.add(1, name, "appears twice in the header", null);
            }
        }
        for (String required : REQUIRED) {
            if (!index.containsKey(required)) {
                errors.add(1, required, "column is missing from the header", null);
            }
        }
        if (!index.containsKey("sku") && !index.containsKey("description")) {
            errors.add(1, "sku", "column (or description) is missing from the header", null);
        }
        return index;
    }

    private static void readRow(int row, List<String> record, Map<String, Integer> index, int width, Fields f,
            Map<String, Builder> orders, ValidationException.Builder errors) {
        if (record.size() > width && record.subList(width, record.size()).stream().anyMatch(s -> !s.isBlank())) {
            errors.add(row, "file", "has " + record.size() + " cells but the header names " + width
                    + " columns (a delimiter inside a value needs \"quotes\")", null);
            return;
        }
        int before = errors.size();
        String reference = f.reference("reference", cell(record, index, "reference"));
        String vendorName = f.line("vendor_name", cell(record, index, "vendor_name"), true, 200);
        String email = f.email("vendor_email", cell(record, index, "vendor_email"), false);
        String phone = f.phone("vendor_phone", cell(record, index, "vendor_phone"));
        String language = f.language("vendor_language", cell(record, index, "vendor_language"));
        String address = f.text("delivery_address", cell(record, index, "delivery_address"), false, 1000);
        var requested = f.date("requested_date", cell(record, index, "requested_date"), false);
        String sku = f.line("sku", cell(record, index, "sku"), false, 64);
        String description = f.text("description", cell(record, index, "description"), false, 1000);
        if (sku == null && description == null && errors.size() == before) {
            errors.add(row, "sku", "a line needs a sku or a description", null);
        }
        var quantity = f.decimal("quantity", cell(record, index, "quantity"), false, true, true);
        String unit = f.line("unit", cell(record, index, "unit"), false, 16);
        var price = f.decimal("unit_price", cell(record, index, "unit_price"), false, false, false);
        String currency = f.currency("currency", cell(record, index, "currency"));
        if (price != null && currency == null && errors.size() == before) {
            errors.add(row, "currency", "is required when unit_price is given", null);
        }
        if (errors.size() != before) {
            return;
        }
        var contact = new Vendors.Contact(vendorName, email, phone, language);
        Builder order = orders.get(reference);
        if (order == null) {
            orders.put(reference, new Builder(row, reference, contact, address, requested));
        } else {
            // Order-level columns repeat on every line of an order; they must agree.
            // One vendor written two ways (case, accents composed or not, spaces) is still one vendor.
            if (!Objects.equals(VendorNames.key(order.vendor.name()), VendorNames.key(vendorName))) {
                order.check(row, "vendor_name", order.vendor.name(), vendorName, errors);
            }
            order.check(row, "vendor_email", order.vendor.email(), email, errors);
            order.check(row, "delivery_address", order.address, address, errors);
            order.check(row, "requested_date", Objects.toString(order.requested, null),
                    Objects.toString(requested, null), errors);
        }
        orders.get(reference).lines.add(new OrderDraft.Line(sku, description, quantity, unit, price, currency));
    }

    private static String cell(List<String> record, Map<String, Integer> index, String column) {
        Integer i = index.get(column);
        return i == null || i >= record.size() ? null : record.get(i);
    }

    private static final class Builder {
        final int firstRow;
        final String reference;
        final Vendors.Contact vendor;
        final String address;
        final java.time.LocalDate requested;
        final List<OrderDraft.Line> lines = new ArrayList<>();

        Builder(int firstRow, String reference, Vendors.Contact vendor, String address, java.time.LocalDate requested) {
            this.firstRow = firstRow;
            this.reference = reference;
            this.vendor = vendor;
            this.address = address;
            this.requested = requested;
        }

        void check(int row, String column, String first, String value, ValidationException.Builder errors) {
            if (!Objects.equals(first, value)) {
                errors.add(row, column, "differs from row " + firstRow + " of the same order " + reference + " (\""
                        + Objects.toString(first, "") + "\")", value);
            }
        }

        OrderDraft build() {
            return new OrderDraft(reference, vendor, address, requested, List.copyOf(lines), firstRow);
        }
    }

    /** Stops reading past the size limit instead of buffering an oversized upload. */
    static final class Limited extends FilterInputStream {
        static final class TooLargeException extends IOException {
        }

        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > max) {
                throw new TooLargeException();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (count += n) > max) {
                throw new TooLargeException();
            }
            return n;
        }
    }
}
