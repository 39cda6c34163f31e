package io.portlink.purchasing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;

/**
 * A purchase order as an import gives it, already validated. {@code firstRow} is the file row it started on (0 for
 * JSON), so a conflict can still be reported where the person can find it. {@code consignee}: who receives the goods
 * ({@link Consignee#NONE} when unknown).
 */
public record OrderDraft(String reference, Vendors.Contact vendor, String deliveryAddress, LocalDate requestedDate,
        List<Line> lines, int firstRow, Consignee consignee) {

    public OrderDraft {
        consignee = consignee == null ? Consignee.NONE : consignee;
    }

    /** An order without a consignee. */
    public OrderDraft(String reference, Vendors.Contact vendor, String deliveryAddress, LocalDate requestedDate,
            List<Line> lines, int firstRow) {
        this(reference, vendor, deliveryAddress, requestedDate, lines, firstRow, Consignee.NONE);
    }

    public record Line(String sku, String description, BigDecimal quantity, String unit, BigDecimal unitPrice,
            String currency) {
    }

    /**
     * The same order imported again hashes the same, whatever the file's column order or number format, and however the
     * vendor's name is spelled: the vendor counts by its match identity (its e-mail, else its name's
     * {@link io.portlink.purchasing.VendorNames#key}), so {@code Café} composed or decomposed and {@code CAFÉ} are one.
     * A 64-character hex SHA-256.
     */
    public String contentHash() {
        return hash(vendor.key());
    }

    /**
     * The hash as orders created before the vendor's match identity were stored with it (the raw vendor name and the
     * e-mail): a re-import of such an order is still unchanged, see {@link #sameContent}.
     */
    String legacyContentHash() {
        return hash(null);
    }

    /** Whether an order stored with {@code storedHash} has this content, whichever way its hash was computed. */
    public boolean sameContent(String storedHash) {
        return storedHash != null && (storedHash.equals(contentHash()) || storedHash.equals(legacyContentHash()));
    }

    /** {@code vendorKey} null: the legacy canonical form (raw name, lower-cased e-mail). */
    private String hash(String vendorKey) {
        StringBuilder canonical = new StringBuilder();
        field(canonical, reference);
        if (vendorKey == null) {
            field(canonical, vendor.name());
            field(canonical, vendor.email() == null ? null : vendor.email().toLowerCase());
        } else {
            // a legacy form has a length or "-" here, never "v2": the two forms cannot hash one text
            canonical.append("v2;");
            field(canonical, vendorKey);
        }
        field(canonical, vendor.phone());
        field(canonical, deliveryAddress);
        field(canonical, requestedDate == null ? null : requestedDate.toString());
        for (Line line : lines) {
            field(canonical, line.sku());
            field(canonical, line.description());
            field(canonical, plain(line.quantity()));
            field(canonical, line.unit());
            field(canonical, plain(line.unitPrice()));
            field(canonical, line.currency());
        }
        if (!consignee.isEmpty()) {
            // only when given: orders without a consignee keep the hash they were stored with
            canonical.append("c;");
            field(canonical, consignee.name());
            field(canonical, consignee.email() == null ? null : consignee.email().toLowerCase());
            field(canonical, consignee.phone());
            field(canonical, consignee.language());
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }

    private static void field(StringBuilder out, String value) {
        // length-prefixed, so no value can fake a field boundary
        if (value == null) {
            out.append("-;");
        } else {
            out.append(value.length()).append(':').append(value).append(';');
        }
    }
}
