package io.portlink.purchasing;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.organization.Organization;

/**
 * Finding vendors the way an import names them: by e-mail first, then by name, names compared by
 * {@link VendorNames#key} (case, Unicode form and spaces do not make a second vendor).
 */
@ApplicationScoped
public class Vendors {

    @Inject
    Clock clock;

    /** Contact details as an order or a file row gives them. */
    public record Contact(String name, String email, String phone, String language) {

        /** The key that makes two rows of one file name the same vendor. */
        public String key() {
            return VendorNames.matchKey(email, name);
        }

        /** The details a stored vendor has (an order matched to it uses its address even when the row had none). */
        static Contact of(Vendor vendor) {
            return new Contact(vendor.name, vendor.email, vendor.phone, vendor.language);
        }
    }

    /**
     * The organisation's vendor for these contact details, created when there is none. Must run inside the caller's
     * transaction. The rules, in order:
     * <ol>
     * <li>with an e-mail address: the vendor with that address; else the vendor with a contact of that address (a
     * merged vendor's address is a contact of the vendor kept); else the vendor of that name known without an address,
     * which now gains it; else a new vendor;</li>
     * <li>without: the vendor of that name known without an address; else the one vendor of that name with an address,
     * if there is exactly one; else a new vendor (two vendors of one name with different addresses stay two: which of
     * them would it be?).</li>
     * </ol>
     */
    public Vendor findOrCreate(Organization organization, Contact contact) {
        return resolve(organization, contact).vendor();
    }

    /** A vendor {@link #findOrCreate} gave, and whether it created it (an import says so to its buyer). */
    public record Resolved(Vendor vendor, boolean created) {
    }

    /** {@link #findOrCreate}, saying whether the vendor is new. */
    public Resolved resolve(Organization organization, Contact contact) {
        String nameKey = VendorNames.key(contact.name());
        String email = contact.email() == null ? null : contact.email().toLowerCase(java.util.Locale.ROOT);
        Optional<Vendor> found = find(organization, email, nameKey);
        if (found.isEmpty()) {
            // Two imports naming the same new vendor at once: the second waits here for the first to commit, then
            // finds its vendor instead of failing on the unique key. Only creating takes this lock (on PostgreSQL a
            // "no key update" lock, which inserting orders of the organisation does not wait for).
            Organization.lockForCreating(organization.id);
            found = find(organization, email, nameKey);
        }
        Vendor vendor = found.orElseGet(() -> {
            Vendor v = new Vendor();
            v.organization = organization;
            // Stored composed, so that one name prints and searches alike whatever keyboard typed it.
            v.name = Normalizer.normalize(contact.name(), Normalizer.Form.NFC);
            v.nameKey = nameKey;
            v.createdAt = Instant.now(clock);
            return v;
        });
        // Newer imports may complete what older ones left out; never blank out what is known.
        if (vendor.email == null && email != null) {
            vendor.email = email;
        }
        if (vendor.phone == null && contact.phone() != null) {
            vendor.phone = contact.phone();
        }
        if (vendor.language == null && contact.language() != null) {
            vendor.language = contact.language();
        }
        vendor.matchKey = VendorNames.matchKey(vendor.email, vendor.name);
        boolean created = !vendor.isPersistent();
        if (created) {
            // Rows of an import already written for known vendors go out first: the inserts are batched in order of
            // their kind (hibernate.order_inserts), and a vendor inserted in the same flush as earlier orders pulls
            // the orders' batch after their timeline entries, which then name orders not yet written (a foreign key
            // error for a file whose known vendor came before a new one). The query that looks for the next vendor
            // flushes each new vendor anyway, so this costs no more flushes than a file of new vendors did.
            Vendor.getEntityManager().flush();
            vendor.persist();
        }
        return new Resolved(vendor, created);
    }

    /**
     * The vendor an import would take for these details (see {@link #findOrCreate}), without creating one; the caller
     * holds the organisation's lock when it creates on an empty answer.
     */
    static Optional<Vendor> existing(Organization organization, String email, String name) {
        return find(organization, email == null ? null : email.toLowerCase(java.util.Locale.ROOT),
                VendorNames.key(name));
    }

    private static Optional<Vendor> find(Organization organization, String email, String nameKey) {
        if (email != null) {
            Optional<Vendor> byEmail = byMatchKey(organization, "e:" + email);
            if (byEmail.isEmpty()) {
                // a merged vendor's address lives on as a contact of the vendor kept (vendor_contact_email_ix)
                byEmail = byContactEmail(organization, email);
            }
            return byEmail.isPresent() ? byEmail : byMatchKey(organization, "n:" + nameKey);
        }
        Optional<Vendor> byName = byMatchKey(organization, "n:" + nameKey);
        if (byName.isPresent()) {
            return byName;
        }
        List<Vendor> named = Vendor.<Vendor> find("organization = ?1 and nameKey = ?2", organization, nameKey)
                .page(0, 2).list();
        return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
    }

    private static Optional<Vendor> byContactEmail(Organization organization, String email) {
        return VendorContact.<VendorContact> find("email = ?1 and vendor.organization = ?2 order by vendor.id, id",
                email, organization).page(0, 1).firstResultOptional().map(c -> c.vendor);
    }

    private static Optional<Vendor> byMatchKey(Organization organization, String matchKey) {
        return Vendor.find("organization = ?1 and matchKey = ?2", organization, matchKey).firstResultOptional();
    }
}
