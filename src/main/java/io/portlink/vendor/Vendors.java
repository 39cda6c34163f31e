package io.portlink.vendor;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.organization.Organization;

/** Finding vendors the way an import names them: by e-mail first, then by name. */
@ApplicationScoped
public class Vendors {

    @Inject
    Clock clock;

    /** Contact details as an order or a file row gives them. */
    public record Contact(String name, String email, String phone, String language) {

        /** The key that makes two rows of one file name the same vendor. */
        public String key() {
            return email != null ? "e:" + email.toLowerCase() : "n:" + name.toLowerCase();
        }
    }

    /** Must run inside the caller's transaction. */
    public Vendor findOrCreate(Organization organization, Contact contact) {
        Optional<Vendor> found = contact.email() != null
                ? Vendor.find("organization = ?1 and email = ?2", organization, contact.email().toLowerCase())
                        .firstResultOptional()
                : Vendor.find("organization = ?1 and name = ?2 and email is null", organization, contact.name())
                        .firstResultOptional();
        Vendor vendor = found.orElseGet(() -> {
            Vendor v = new Vendor();
            v.organization = organization;
            v.name = contact.name();
            v.email = contact.email() == null ? null : contact.email().toLowerCase();
            v.createdAt = Instant.now(clock);
            return v;
        });
        // Newer imports may complete what older ones left out; never blank out what is known.
        if (vendor.phone == null && contact.phone() != null) {
            vendor.phone = contact.phone();
        }
        if (vendor.language == null && contact.language() != null) {
            vendor.language = contact.language();
        }
        if (!vendor.isPersistent()) {
            vendor.persist();
        }
        return vendor;
    }
}
