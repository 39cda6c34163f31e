package io.portlink.purchasing;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;

/**
 * One purchase order as an integration sends it (the JSON body of {@code POST /api/v1/purchase-orders}). Everything
 * arrives as text and is checked by the same rules as the CSV import, so the errors read alike. Fields that are not
 * here (prices of the whole order, organisation, status) cannot be set.
 */
public record OrderInput(String reference, VendorInput vendor, String deliveryAddress, String requestedDate,
        List<LineInput> lines, SendOption send,
        @Schema(description = "Optional: who receives the goods. Shipments the vendor creates for the order take it as"
                + " their customer (milestone mails go to this e-mail, in this language); the vendor never sees it.") ConsigneeInput consignee) {

    /** An order without a consignee. */
    public OrderInput(String reference, VendorInput vendor, String deliveryAddress, String requestedDate,
            List<LineInput> lines, SendOption send) {
        this(reference, vendor, deliveryAddress, requestedDate, lines, send, null);
    }

    public record VendorInput(String name, String email, String phone, String language) {
    }

    /** The consignee, every field optional; language one of en, de, fr, es. */
    public record ConsigneeInput(@Schema(maxLength = 200) String name, String email, String phone,
            @Schema(enumeration = {
                    "en", "de", "fr", "es" }) String language){
    }

    /** One line; quantity and unitPrice are JSON numbers or strings (see {@link DecimalInput}). */
    public record LineInput(String sku, String description, DecimalInput quantity, String unit, DecimalInput unitPrice,
            String currency) {
    }

    /** The validated draft under {@link Convention#JSON}. */
    public OrderDraft toDraft(int maxFieldLength) {
        return toDraft(maxFieldLength, Convention.JSON);
    }

    /**
     * The validated draft, or every problem at once with its JSON path. String quantities and prices and the date are
     * read under {@code convention}.
     */
    public OrderDraft toDraft(int maxFieldLength, Convention convention) {
        return toDraft(maxFieldLength, convention, false);
    }

    /** {@link #toDraft(int, Convention)}; {@code form}: the staff order form's inputs (its refusals say so). */
    public OrderDraft toDraft(int maxFieldLength, Convention convention, boolean form) {
        var errors = new ValidationException.Builder();
        Fields f = new Fields(errors, null, maxFieldLength, convention, form);
        if (!form) {
            f.withDecimalParameter(); // the purchase-order API reads number texts under ?decimal=
        }
        String ref = f.reference("reference", reference);
        Vendors.Contact contact = null;
        if (vendor == null) {
            errors.add("vendor", "is required: {name, email, phone, language}", null);
        } else {
            String name = f.line("vendor.name", vendor.name(), true, 200);
            String email = f.email("vendor.email", vendor.email(), false);
            String phone = f.phone("vendor.phone", vendor.phone());
            String language = f.language("vendor.language", vendor.language());
            contact = new Vendors.Contact(name, email, phone, language);
        }
        Consignee receiver = consignee == null ? Consignee.NONE : Consignee.read(f, errors, null, "consignee.",
                consignee.name(), consignee.email(), consignee.phone(), consignee.language());
        String address = f.text("deliveryAddress", deliveryAddress, false, 1000);
        var requested = f.date("requestedDate", requestedDate, false);
        List<OrderDraft.Line> draftLines = readLines(f, errors);
        errors.throwIfAny();
        return new OrderDraft(ref, contact, address, requested, List.copyOf(draftLines), 0, receiver);
    }

    /**
     * The lines as far as they can be read, whatever else is wrong, one per line given (a part that cannot be read is
     * null): what an amendment form compares with the quantities already shipped, so that it names those problems in
     * the same answer as the cells it refuses ({@link OrderRevisions#shippedProblems}). Never throws.
     */
    public List<OrderDraft.Line> linesAsRead(int maxFieldLength, Convention convention, boolean form) {
        var ignored = new ValidationException.Builder();
        Fields f = new Fields(ignored, null, maxFieldLength, convention, form);
        if (!form) {
            f.withDecimalParameter();
        }
        return readLines(f, ignored);
    }

    private List<OrderDraft.Line> readLines(Fields f, ValidationException.Builder errors) {
        List<OrderDraft.Line> draftLines = new ArrayList<>();
        if (lines == null || lines.isEmpty()) {
            errors.add("lines", "must contain at least one line", null);
        } else if (lines.size() > 1000) {
            errors.add("lines", "may contain at most 1000 lines, got " + lines.size(), null);
        } else {
            for (int i = 0; i < lines.size(); i++) {
                LineInput l = lines.get(i);
                String at = "lines[" + i + "].";
                if (l == null) {
                    errors.add("lines[" + i + "]", "must be an object", null);
                    draftLines.add(new OrderDraft.Line(null, null, null, null, null, null));
                    continue;
                }
                int before = errors.size();
                String sku = f.line(at + "sku", l.sku(), false, 64);
                String description = f.text(at + "description", l.description(), false, 1000);
                if (sku == null && description == null && errors.size() == before) {
                    errors.add(at + "sku", "a line needs a sku or a description", null);
                }
                var quantity = decimal(f, at + "quantity", l.quantity(), true, true);
                String unit = f.line(at + "unit", l.unit(), false, 16);
                var price = decimal(f, at + "unitPrice", l.unitPrice(), false, false);
                String currency = f.currency(at + "currency", l.currency());
                if (price != null && currency == null && errors.size() == before) {
                    errors.add(at + "currency", "is required when unitPrice is given", null);
                }
                draftLines.add(new OrderDraft.Line(sku, description, quantity, unit, price, currency));
            }
        }
        return draftLines;
    }

    private static java.math.BigDecimal decimal(Fields f, String place, DecimalInput value, boolean required,
            boolean positive) {
        if (value != null && value.otherType() != null) {
            f.invalid(place, "must be a number like 12.5 or a string like \"12.5\", got " + value.otherType(), null);
            return null;
        }
        return f.decimal(place, value == null ? null : value.text(), value != null && value.jsonNumber(), required,
                positive);
    }
}
