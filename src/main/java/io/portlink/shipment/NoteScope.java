package io.portlink.shipment;

/** Who may read a shipment note: the customer (on the tracking page and in mails) or staff only. */
public enum NoteScope {
    CUSTOMER, INTERNAL;

    public String getName() {
        return name();
    }

    /** CUSTOMER or INTERNAL in any case, or null. */
    public static NoteScope parse(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.strip().toUpperCase(java.util.Locale.ROOT)) {
        case "CUSTOMER" -> CUSTOMER;
        case "INTERNAL" -> INTERNAL;
        default -> null;
        };
    }
}
