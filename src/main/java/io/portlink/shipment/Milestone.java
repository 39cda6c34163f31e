package io.portlink.shipment;

/**
 * The standard steps every pipeline maps its stages to, so that rules (progress tracker, milestone mails, ETA) work the
 * same for freight, vehicle imports and any pipeline an organisation defines. {@link #rank} orders them; the two last
 * miles (delivery to the door, collection by the customer) share a rank.
 */
public enum Milestone {
    BOOKED(0, "Booked"), DISPATCHED(1, "Dispatched"), IN_TRANSIT(2, "In transit"), ARRIVED(3, "Arrived"),
    OUT_FOR_DELIVERY(4, "Out for delivery"), READY_FOR_COLLECTION(4, "Ready for collection"), DELIVERED(5, "Delivered");

    /** Progress from 0 (booked) to 5 (delivered). */
    public final int rank;
    /** How staff read it in English. */
    public final String label;

    Milestone(int rank, String label) {
        this.rank = rank;
        this.label = label;
    }

    public String getLabel() {
        return label;
    }

    public String getName() {
        return name();
    }

    /** The milestone written as its name (any case, blanks or dashes for underscores), or null. */
    public static Milestone parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip().toUpperCase(java.util.Locale.ROOT).replace(' ', '_').replace('-', '_');
        for (Milestone m : values()) {
            if (m.name().equals(v)) {
                return m;
            }
        }
        return null;
    }
}
