package io.portlink.purchasing.mail;

import java.util.Optional;

import io.portlink.organization.Organization;
import io.portlink.organization.StaffUser;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.timeline.Actor;

/**
 * Who the vendor deals with for an order: its mails' Reply-To and the contact in the PDF and on the vendor page. Name,
 * e-mail and phone as printed, any may be null; never a line break (the e-mail ends up in a header).
 * <p>
 * A staff user who sends the order becomes its buyer; mails nobody sent by hand (API, reminders) name that buyer, else
 * the organisation's purchasing desk (Admin), else no one (no Reply-To: replies go to the sender address).
 */
public record Buyer(String name, String email, String phone) {

    public Buyer {
        name = clean(name);
        email = clean(email);
        phone = clean(phone);
    }

    /** Shown as "Name", falling back to the e-mail address. */
    public String label() {
        return name != null ? name : email;
    }

    /** True when there is nothing to show. */
    public boolean isEmpty() {
        return name == null && email == null && phone == null;
    }

    /**
     * The buyer of a mail being queued (inside the caller's transaction). A staff actor becomes the order's buyer;
     * otherwise the order's buyer, else the purchasing desk.
     */
    public static Optional<Buyer> forSend(PurchaseOrder order, Actor actor) {
        if (actor != null && actor.type() == Actor.Type.STAFF && actor.id() != null) {
            StaffUser user = StaffUser.findById(actor.id());
            if (user != null && user.organization.id.equals(order.organization.id)) {
                order.buyer = user;
            }
        }
        return of(order);
    }

    /**
     * The order's buyer, else the organisation's purchasing desk, else empty. Reads lazy relations: in a transaction.
     */
    public static Optional<Buyer> of(PurchaseOrder order) {
        Organization org = order.organization;
        StaffUser user = order.buyer;
        return of(user != null && user.enabled, user == null ? null : user.displayName,
                user == null ? null : user.email, org.purchasingName, org.purchasingEmail, org.purchasingPhone);
    }

    /**
     * {@link #of(PurchaseOrder)} from plain values: {@code enabledBuyer} says the order has a buyer whose account is
     * enabled (named by {@code buyerName} and {@code buyerEmail}); the rest is the organisation's purchasing desk.
     */
    public static Optional<Buyer> of(boolean enabledBuyer, String buyerName, String buyerEmail, String purchasingName,
            String purchasingEmail, String purchasingPhone) {
        if (enabledBuyer) {
            return Optional.of(new Buyer(buyerName, buyerEmail, purchasingPhone));
        }
        Buyer desk = new Buyer(purchasingName, purchasingEmail, purchasingPhone);
        return desk.isEmpty() ? Optional.empty() : Optional.of(desk);
    }

    /** Header-safe: no CR, LF or other control characters; blank becomes null. */
    static String clean(String value) {
        if (value == null) {
            return null;
        }
        String cleaned = value.replaceAll("\\p{Cntrl}+", " ").strip();
        return cleaned.isEmpty() ? null : cleaned;
    }
}
