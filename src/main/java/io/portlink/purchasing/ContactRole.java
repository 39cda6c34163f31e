package io.portlink.purchasing;

/** What a vendor's contact does for the buyer (stored by name in {@code vendor_contact.role}). */
public enum ContactRole {
    SALES("Sales"), LOGISTICS("Logistics"), ACCOUNTS("Accounts"), OTHER("Other");

    public final String label;

    ContactRole(String label) {
        this.label = label;
    }
}
