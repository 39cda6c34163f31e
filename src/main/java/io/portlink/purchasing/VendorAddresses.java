package io.portlink.purchasing;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;

/**
 * Giving a vendor that has none an e-mail address, from one of its orders ("Add an e-mail" where the queue cannot offer
 * a reminder): afterwards links and reminders can be e-mailed. An address already known is never overwritten here.
 */
@ApplicationScoped
public class VendorAddresses {

    @Inject
    OrderLocks locks;

    @Inject
    EntityManager em;

    @Inject
    OrderTimeline timeline;

    /**
     * Adds {@code email} to the vendor of the organisation's order {@code reference}; the same address again changes
     * nothing.
     *
     * @return empty when the organisation has no such order
     *
     * @throws ValidationException
     *             not an e-mail address, or another vendor of the organisation has it
     * @throws ConflictException
     *             the vendor has another address already (added meanwhile)
     */
    @Transactional
    public Optional<Vendor> addEmail(long organizationId, String reference, String email, Actor actor) {
        // the lock order (Organization.lockForCreating): an erasure of the vendor's phone holds the organisation, then
        // the vendor, then its orders; taking the order first here would deadlock with it
        Organization.lockForCreating(organizationId);
        return locks.order(organizationId, reference).map(order -> {
            var errors = new ValidationException.Builder();
            String address = new Fields(errors, null, 254).email("E-mail", email, true);
            errors.throwIfAny();
            Vendor vendor = order.vendor;
            // two staff adding addresses from two orders of one vendor: one after the other
            em.refresh(vendor, LockModeType.PESSIMISTIC_WRITE);
            if (address.equals(vendor.email)) {
                return vendor;
            }
            if (vendor.email != null) {
                throw new ConflictException(vendor.name + " has the e-mail address " + vendor.email
                        + " already (added meanwhile); reload the order");
            }
            String matchKey = VendorNames.matchKey(address, vendor.name);
            Optional<Vendor> other = Vendor
                    .<Vendor> find("organization.id = ?1 and matchKey = ?2", organizationId, matchKey)
                    .firstResultOptional();
            if (other.isPresent()) {
                throw ValidationException.of("E-mail",
                        "belongs to another of your vendors, " + other.get().name + "; check the address", address);
            }
            vendor.email = address;
            vendor.matchKey = matchKey;
            timeline.record(order, actor, OrderEvent.VENDOR_EMAIL, "e-mail address added for " + vendor.name);
            return vendor;
        });
    }
}
