package io.portlink.dropship;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;

/**
 * A validated sales order, before it is stored: what the API, a CSV file and the sales channel's webhook all become.
 * Quantities are whole units (1 to {@value #MAX_QUANTITY}); prices are the merchant's, in its currency, optional.
 * {@code firstRow} is the CSV row of its first line (0 for JSON), so file errors can name it.
 */
public record SalesOrderDraft(String reference, ShipTo shipTo, String shippingMethod, String internalNote,
        List<Line> lines, int firstRow) {

    /** Most units on one line. */
    public static final int MAX_QUANTITY = 1_000_000;
    /** Most lines in one order. */
    public static final int MAX_LINES = 1000;

    /** Where the goods go; the address keeps its line breaks. */
    public record ShipTo(String name, String company, String address, String phone) {
    }

    public record Line(String sku, String description, int quantity, BigDecimal unitPrice) {
    }

    /**
     * The names a source gives the fields, for error messages: JSON paths ({@code shipTo.name}) or CSV columns
     * ({@code ship_to_name}).
     */
    public record Places(String reference, String name, String company, String address, String phone, String method,
            String note) {

        public static final Places JSON = new Places("reference", "shipTo.name", "shipTo.company", "shipTo.address",
                "shipTo.phone", "shippingMethod", "internalNote");
        public static final Places CSV = new Places("reference", "ship_to_name", "ship_to_company", "ship_to_address",
                "ship_to_phone", "shipping_method", "internal_note");
    }

    /** The order-level fields read by the shared rules; null values where a problem was reported into {@code f}. */
    static Header header(Fields f, Places at, String reference, String name, String company, String address,
            String phone, String method, String note) {
        return new Header(f.reference(at.reference(), reference),
                new ShipTo(f.line(at.name(), name, true, 200), f.line(at.company(), company, false, 200),
                        f.text(at.address(), address, true, 1000), f.phone(at.phone(), phone)),
                f.line(at.method(), method, false, 100), f.text(at.note(), note, false, 2000));
    }

    /** The order-level part of a draft. */
    record Header(String reference, ShipTo shipTo, String shippingMethod, String internalNote) {
    }

    /**
     * One line read by the shared rules: SKU required (up to 100 characters), description optional (500), quantity a
     * whole number from 1 to {@value #MAX_QUANTITY}, price optional and not negative. Null when a problem was reported.
     */
    static Line line(Fields f, ValidationException.Builder errors, Integer row, String skuAt, String sku,
            String descriptionAt, String description, String quantityAt, String quantity, boolean quantityIsNumber,
            String priceAt, String price, boolean priceIsNumber) {
        int before = errors.size();
        String s = f.line(skuAt, sku, true, 100);
        String d = f.text(descriptionAt, description, false, 500);
        String wholeUnits = "must be a whole number of units from 1 to " + MAX_QUANTITY;
        if (!quantityIsNumber) {
            // written as text: read as a whole number, so that "1,5" is told it is no whole number rather than to
            // write 1.5, which would be refused next
            Integer units = f.whole(quantityAt, quantity, true, 1, MAX_QUANTITY, wholeUnits);
            BigDecimal p = f.decimal(priceAt, price, priceIsNumber, false, false);
            return errors.size() > before ? null : new Line(s, d, units, p);
        }
        BigDecimal q = f.decimal(quantityAt, quantity, quantityIsNumber, true, true);
        Integer units = null;
        if (q != null) {
            if (q.scale() > 0 || q.compareTo(BigDecimal.valueOf(MAX_QUANTITY)) > 0) {
                errors.add(row, quantityAt, wholeUnits, quantity);
            } else {
                units = q.intValueExact();
            }
        }
        BigDecimal p = f.decimal(priceAt, price, priceIsNumber, false, false);
        return errors.size() > before ? null : new Line(s, d, units, p);
    }

    /** Builds the draft once every problem is known. */
    static SalesOrderDraft of(Header header, List<Line> lines, int firstRow) {
        return new SalesOrderDraft(header.reference(), header.shipTo(), header.shippingMethod(), header.internalNote(),
                List.copyOf(lines), firstRow);
    }

    /**
     * The fields in which a stored order differs from this draft, each with what is stored (for a 409 that says what
     * differs). Empty: the same order.
     */
    List<ValidationException.FieldError> differences(SalesOrder order, List<SalesOrderLine> stored, Places at) {
        List<ValidationException.FieldError> diff = new ArrayList<>();
        compare(diff, at.name(), order.shipToName, shipTo.name());
        compare(diff, at.company(), order.shipToCompany, shipTo.company());
        compare(diff, at.address(), order.shipToAddress, shipTo.address());
        compare(diff, at.phone(), order.shipToPhone, shipTo.phone());
        compare(diff, at.method(), order.shippingMethod, shippingMethod);
        compare(diff, at.note(), order.internalNote, internalNote);
        if (stored.size() != lines.size()) {
            diff.add(new ValidationException.FieldError(null, "lines",
                    "the stored order has " + stored.size() + (stored.size() == 1 ? " line" : " lines"),
                    Integer.toString(lines.size())));
            return diff;
        }
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            SalesOrderLine s = stored.get(i);
            String p = "lines[" + i + "].";
            compare(diff, p + "sku", s.sku, l.sku());
            compare(diff, p + "description", s.description, l.description());
            compare(diff, p + "quantity", Integer.toString(s.quantity), Integer.toString(l.quantity()));
            boolean samePrice = s.unitPrice == null ? l.unitPrice() == null
                    : l.unitPrice() != null && s.unitPrice.compareTo(l.unitPrice()) == 0;
            if (!samePrice) {
                diff.add(new ValidationException.FieldError(null, p + "unitPrice",
                        "is stored as "
                                + (s.unitPrice == null ? "none" : s.unitPrice.stripTrailingZeros().toPlainString()),
                        l.unitPrice() == null ? "none" : l.unitPrice().toPlainString()));
            }
        }
        return diff;
    }

    private static void compare(List<ValidationException.FieldError> diff, String field, String stored, String sent) {
        if (!Objects.equals(stored, sent)) {
            diff.add(new ValidationException.FieldError(null, field,
                    "is stored as " + (stored == null ? "empty" : "\"" + stored + "\""), sent == null ? "" : sent));
        }
    }
}
