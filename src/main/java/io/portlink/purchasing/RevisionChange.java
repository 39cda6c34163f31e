package io.portlink.purchasing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.platform.Locales;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One difference between two revisions of a purchase order: a field of one line ({@code line} its line number,
 * {@code item} its description or SKU, {@code unit} its unit), a line added or removed ({@code from}/{@code to} its
 * quantity), or a field of the order ({@code line} null). Values are stored raw (numbers plain like {@code 12.5}, dates
 * ISO), so each reader gets them in its own format; null is "none".
 */
@RegisterForReflection
public record RevisionChange(Integer line, String item, String unit, Field field, String from, String to) {

    /** What changed. Consignee fields are the buyer's own business: the vendor never reads them. */
    public enum Field {
        LINE_ADDED, LINE_REMOVED, SKU, DESCRIPTION, QUANTITY, UNIT, UNIT_PRICE, CURRENCY, REQUESTED_DATE,
        DELIVERY_ADDRESS, CONSIGNEE_NAME, CONSIGNEE_EMAIL, CONSIGNEE_PHONE, CONSIGNEE_LANGUAGE;

        public boolean vendorVisible() {
            return !name().startsWith("CONSIGNEE_");
        }

        /** How staff pages and the timeline name the field. */
        public String label() {
            return name().toLowerCase().replace('_', ' ');
        }

        boolean numeric() {
            return this == QUANTITY || this == UNIT_PRICE || this == LINE_ADDED || this == LINE_REMOVED;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean vendorVisible() {
        return field.vendorVisible();
    }

    /**
     * In English for staff, numbers and dates the organisation's way ({@code format}, as its pages write them), e.g.
     * {@code line 2 (Blue mug): quantity 1.000 → 1.200} or {@code requested date 20.12.2026 → 22.12.2026} in Germany;
     * {@code format} null writes them plain ({@code 1000}, {@code 2026-12-20}), as the timeline stores them for the
     * API's readers too.
     */
    public String english(Locales.Format format) {
        return switch (field) {
        case LINE_ADDED -> "line " + line + " (" + item + ") added: " + shown(to, format)
                + (unit == null ? "" : " " + unit);
        case LINE_REMOVED -> "line " + line + " (" + item + ") removed: was " + shown(from, format)
                + (unit == null ? "" : " " + unit);
        default -> (line == null ? "" : "line " + line + " (" + item + "): ") + field.label() + " "
                + shown(from, format) + " → " + shown(to, format);
        };
    }

    private String shown(String value, Locales.Format format) {
        if (value == null) {
            return "(none)";
        }
        if (field == Field.REQUESTED_DATE) {
            return format == null ? value : format.date(LocalDate.parse(value));
        }
        if (field.numeric() || field == Field.LINE_ADDED || field == Field.LINE_REMOVED) {
            return format == null ? value : format.number(new BigDecimal(value));
        }
        return "“" + value + "”";
    }

    /** In the vendor's language and formats (numbers and dates as the vendor reads them). */
    public String forVendor(VendorMessages text, Locales.Format format) {
        return switch (field) {
        case LINE_ADDED -> text.change_line_added(line, item, quantity(to, format));
        case LINE_REMOVED -> text.change_line_removed(line, item, quantity(from, format));
        case REQUESTED_DATE -> text.change_order(text.requested_delivery(), value(from, text, format),
                value(to, text, format));
        case DELIVERY_ADDRESS -> text.change_order(text.deliver_to(), value(from, text, format),
                value(to, text, format));
        default -> text.change_line(line == null ? 0 : line, item, name(text), value(from, text, format),
                value(to, text, format));
        };
    }

    private String name(VendorMessages text) {
        return switch (field) {
        case SKU -> text.sku();
        case DESCRIPTION -> text.pdf_description();
        case QUANTITY -> text.pdf_quantity();
        case UNIT -> text.pdf_unit();
        case UNIT_PRICE -> text.pdf_unit_price();
        case CURRENCY -> text.currency();
        default -> field.label();
        };
    }

    private String quantity(String value, Locales.Format format) {
        return format.number(new BigDecimal(value)) + (unit == null ? "" : " " + unit);
    }

    private String value(String value, VendorMessages text, Locales.Format format) {
        if (value == null) {
            return text.none_value();
        }
        if (field == Field.REQUESTED_DATE) {
            return format.date(LocalDate.parse(value));
        }
        if (field.numeric()) {
            return format.number(new BigDecimal(value));
        }
        return "“" + value + "”";
    }

    /** The changes as stored in {@link OrderRevision#changes}. */
    public static String toJson(List<RevisionChange> changes) {
        try {
            return JSON.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<RevisionChange> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<RevisionChange>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable revision changes: " + e.getMessage(), e);
        }
    }
}
