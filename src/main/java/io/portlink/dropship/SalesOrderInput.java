package io.portlink.dropship;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.DecimalInput;

/**
 * One sales order as the API and the sales channel's webhook send it (JSON). Everything is checked by the same rules as
 * the CSV upload ({@link SalesOrderDraft}), so errors read alike; each names its JSON path.
 */
@Schema(description = "A sales order: the channel's reference (unique per merchant), where it goes, the requested"
        + " shipping method, the merchant's internal note (never passed to a supplier unless its connection passes"
        + " notes) and the lines")
public record SalesOrderInput(@Schema(examples = "SO-1001") String reference, ShipToInput shipTo,
        @Schema(examples = "Ground") String shippingMethod, String internalNote, List<LineInput> lines) {

    /** Where the goods go: name and address required; address lines separated by newlines. */
    public record ShipToInput(String name, String company, String address, String phone) {
    }

    /** One line: SKU and quantity (whole units) required; unitPrice the merchant's (never passed by default). */
    public record LineInput(String sku, String description, DecimalInput quantity, DecimalInput unitPrice) {
    }

    /**
     * The validated draft, or every problem at once with its JSON path.
     *
     * @throws ValidationException
     *             naming every problem
     */
    public SalesOrderDraft toDraft(int maxFieldLength) {
        return toDraft(new ValidationException.Builder(), maxFieldLength, null);
    }

    /**
     * {@link #toDraft(int)} for a staff form's inputs: numbers typed as the organisation writes them
     * ({@code convention}: "4,50" in Germany), every problem named by its JSON path, which the page turns into its
     * labels ("Line 2, quantity").
     *
     * @throws ValidationException
     *             naming every problem
     */
    public SalesOrderDraft toDraftFromForm(int maxFieldLength, io.portlink.platform.Convention convention) {
        return toDraft(new ValidationException.Builder(), maxFieldLength, convention);
    }

    private SalesOrderDraft toDraft(ValidationException.Builder errors, int maxFieldLength,
            io.portlink.platform.Convention form) {
        Fields f = form == null ? new Fields(errors, null, maxFieldLength)
                : new Fields(errors, null, maxFieldLength, form, true);
        ShipToInput to = shipTo == null ? new ShipToInput(null, null, null, null) : shipTo;
        if (shipTo == null) {
            errors.add("shipTo", "is required: {name, company, address, phone}", null);
        }
        var header = SalesOrderDraft.header(f, SalesOrderDraft.Places.JSON, reference, shipTo == null ? "-" : to.name(),
                to.company(), shipTo == null ? "-" : to.address(), to.phone(), shippingMethod, internalNote);
        List<SalesOrderDraft.Line> read = new ArrayList<>();
        if (lines == null || lines.isEmpty()) {
            errors.add("lines", "must contain at least one line", null);
        } else if (lines.size() > SalesOrderDraft.MAX_LINES) {
            errors.add("lines", "may contain at most " + SalesOrderDraft.MAX_LINES + " lines, got " + lines.size(),
                    null);
        } else {
            for (int i = 0; i < lines.size(); i++) {
                LineInput l = lines.get(i);
                String at = "lines[" + i + "].";
                if (l == null) {
                    errors.add("lines[" + i + "]", "must be an object {sku, description, quantity, unitPrice}", null);
                    continue;
                }
                if (wrongType(f, at + "quantity", l.quantity()) | wrongType(f, at + "unitPrice", l.unitPrice())) {
                    continue;
                }
                read.add(SalesOrderDraft.line(f, errors, null, at + "sku", l.sku(), at + "description", l.description(),
                        at + "quantity", text(l.quantity()), l.quantity() != null && l.quantity().jsonNumber(),
                        at + "unitPrice", text(l.unitPrice()), l.unitPrice() != null && l.unitPrice().jsonNumber()));
            }
        }
        errors.throwIfAny();
        return SalesOrderDraft.of(header, read, 0);
    }

    private static String text(DecimalInput value) {
        return value == null ? null : value.text();
    }

    private static boolean wrongType(Fields f, String place, DecimalInput value) {
        if (value != null && value.otherType() != null) {
            f.invalid(place, "must be a number like 12 or a string like \"12\", got " + value.otherType(), null);
            return true;
        }
        return false;
    }
}
