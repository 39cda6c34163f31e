package io.portlink.staff;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.portlink.platform.ValidationException;
import io.quarkus.qute.TemplateExtension;

/**
 * Refusals and counts as the staff pages say them. The services name fields as the API does ({@code unitCost},
 * {@code lines[0].quantity}); a page names them by the label its form shows ("Unit cost", "Line 1, quantity"). A file's
 * problems keep the file's column names (row 3, {@code supplier_sku}): that is what the person has in front of them.
 */
public final class FormErrors {

    private FormErrors() {
    }

    /** Where a form's label is not the field's name in words. */
    static final Map<String, String> LABELS = Map.ofEntries(Map.entry("sku", "SKU"),
            Map.entry("supplierSku", "Supplier's SKU"), Map.entry("supplierName", "Supplier's name"),
            Map.entry("shippingMethod", "Method"), Map.entry("email", "E-mail"), Map.entry("physicalOnHand", "On hand"),
            Map.entry("availableOnHand", "Available"), Map.entry("onHand", "On hand"),
            Map.entry("warehouseId", "Warehouse"), Map.entry("organization", "Organisation name"),
            Map.entry("confirmation", "The same password again"), Map.entry("interval", "Sync with my suppliers"),
            Map.entry("shipTo", "Ship-to"), Map.entry("q", "Search"), Map.entry("url", "URL"),
            Map.entry("linkDays", "Tracking and driver links end after delivery"),
            Map.entry("imageDays", "Photos and proof-of-delivery images are deleted after delivery"),
            Map.entry("positionDays", "Location history is deleted after delivery"));

    private static final Pattern INDEXED = Pattern.compile("([A-Za-z]+)\\[(\\d+)\\](?:\\.(.+))?");

    private static final Pattern WORD = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");

    /**
     * The label a form shows for an API field name: {@code unitCost} "Unit cost", {@code lines[0].quantity} "Line 1,
     * quantity", {@code vendor.email} "Vendor, e-mail" ({@code lineNumber} turns the list index into the line's number
     * as the page shows it).
     */
    public static String label(String field, IntFunction<String> lineNumber) {
        if (field == null || field.isEmpty()) {
            return "";
        }
        Matcher m = INDEXED.matcher(field);
        if (m.matches()) {
            String item = words(
                    m.group(1).endsWith("s") ? m.group(1).substring(0, m.group(1).length() - 1) : m.group(1));
            String head = item + " " + lineNumber.apply(Integer.parseInt(m.group(2)));
            return m.group(3) == null ? head : head + ", " + lowerFirst(label(m.group(3), lineNumber));
        }
        int dot = field.indexOf('.');
        if (dot > 0 && dot < field.length() - 1) {
            // a field of a part of the record: vendor.email "Vendor, e-mail"
            return words(field.substring(0, dot)) + ", " + lowerFirst(label(field.substring(dot + 1), lineNumber));
        }
        return words(field);
    }

    private static String words(String field) {
        String known = LABELS.get(field);
        if (known != null) {
            return known;
        }
        String spaced = String.join(" ", WORD.split(field)).toLowerCase();
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    private static String lowerFirst(String label) {
        // "SKU" and "Supplier's SKU" keep their capitals after the first word
        return label.length() > 1 && Character.isUpperCase(label.charAt(1)) ? label
                : Character.toLowerCase(label.charAt(0)) + label.substring(1);
    }

    /** One problem as a page says it ({@code {e.text}}); lines are numbered from 1 in the order they were sent. */
    @TemplateExtension
    public static String text(ValidationException.FieldError e) {
        return text(e, i -> Integer.toString(i + 1));
    }

    /** One problem as a page says it, the line numbers given by {@code lineNumber} (index → number shown). */
    public static String text(ValidationException.FieldError e, IntFunction<String> lineNumber) {
        if (e.row() != null) {
            return e.describe();
        }
        return new ValidationException.FieldError(null, label(e.field(), lineNumber), e.message(), e.value())
                .describe();
    }

    /** Every problem as a page says it. */
    public static List<String> texts(List<ValidationException.FieldError> errors) {
        return errors.stream().map(FormErrors::text).toList();
    }

    /** "1 order", "2 orders", "0 orders": a count with the word that fits it ({@code {n.count('order', 'orders')}}). */
    @TemplateExtension
    public static String count(Number n, String one, String many) {
        return n + " " + (n.longValue() == 1 ? one : many);
    }
}
