package io.portlink.staff;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.portlink.purchasing.OrderInput;

/**
 * The revision an amendment form started from, carried by the form itself (hidden fields {@code baseOrder} and one
 * {@code baseLine} per line) so that, when a colleague saved another revision meanwhile, the clerk's own changes can be
 * told apart from the values the form merely showed ({@link AmendMerge}). Each is a list of texts, every one
 * percent-encoded and joined by commas: {@code order} in {@link #ORDER_FIELDS}' order, each line in
 * {@link #LINE_FIELDS}' order.
 */
public record AmendBase(List<String> order, List<List<String>> lines) {

    /** The order's own fields: requested date, delivery address, consignee's name, e-mail, phone, language. */
    static final List<String> ORDER_FIELDS = List.of("requestedDate", "deliveryAddress", "consignee-name",
            "consignee-email", "consignee-phone", "consignee-language");

    /** What the form calls them (problems and changes are said with these). */
    static final List<String> ORDER_LABELS = List.of("Requested date", "Delivery address", "Consignee, name",
            "Consignee, e-mail", "Consignee, phone", "Consignee, language");

    /** A line's fields, as the form's input ids end: {@code line-3-quantity}. */
    static final List<String> LINE_FIELDS = List.of("sku", "description", "quantity", "unit", "unitPrice", "currency");

    static final List<String> LINE_LABELS = List.of("SKU", "description", "quantity", "unit", "unit price", "currency");

    /** The order as the amendment form shows it. */
    static AmendBase of(OrderInput order) {
        var c = order.consignee();
        List<String> head = List.of(StaffOrderForm.nz(order.requestedDate()),
                StaffOrderForm.nz(order.deliveryAddress()), c == null ? "" : StaffOrderForm.nz(c.name()),
                c == null ? "" : StaffOrderForm.nz(c.email()), c == null ? "" : StaffOrderForm.nz(c.phone()),
                c == null ? "" : StaffOrderForm.nz(c.language()));
        return new AmendBase(head,
                StaffOrderForm.lineRows(order).stream().map(StaffOrderForm.LineRow::values).toList());
    }

    /** The base a posted form carries; null when it carries none or a malformed one (a hand-made or old form). */
    static AmendBase read(String order, List<String> lines) {
        List<String> head = decode(order, ORDER_FIELDS.size());
        if (head == null) {
            return null;
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines == null ? List.<String> of() : lines) {
            List<String> row = decode(line, LINE_FIELDS.size());
            if (row == null) {
                return null;
            }
            rows.add(row);
        }
        return new AmendBase(head, rows);
    }

    /** The hidden field {@code baseOrder}. */
    public String orderField() {
        return encode(order);
    }

    /** The hidden fields {@code baseLine}, one per line. */
    public List<String> lineFields() {
        return lines.stream().map(AmendBase::encode).toList();
    }

    private static String encode(List<String> values) {
        return String.join(",",
                values.stream().map(v -> URLEncoder.encode(v == null ? "" : v, StandardCharsets.UTF_8)).toList());
    }

    private static List<String> decode(String text, int size) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(",", -1);
        if (parts.length != size) {
            return null;
        }
        try {
            return Arrays.stream(parts).map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8)).toList();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
