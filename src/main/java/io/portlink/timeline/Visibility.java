package io.portlink.timeline;

/** Who may read a timeline entry besides staff. */
public enum Visibility {
    /** Shown to the customer on the tracking page (and in customer mails) as well as to staff. */
    CUSTOMER,
    /** Staff only. */
    INTERNAL
}
