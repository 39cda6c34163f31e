package io.portlink.purchasing;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;

/**
 * The staff's vendor records: the list, one vendor with its contacts, editing it, its contacts, and merging two vendors
 * that are one. Every method finds the vendor within the caller's organisation only (another organisation's vendor is
 * "not found").
 * <p>
 * Locks, in the order of {@link OrderLocks}: the organisation's row first when a vendor's identity changes (an edit, a
 * merge: imports hold that lock for their whole transaction, so neither waits for the other while holding a vendor),
 * then vendors by ascending id, then orders by ascending id. Contact changes lock only their vendor.
 */
@ApplicationScoped
public class VendorRecords {

    /** Orders whose timeline entries one flush writes during a merge, so a big vendor stays flat in memory. */
    private static final int FLUSH_EVERY = 200;

    @Inject
    Clock clock;

    @Inject
    EntityManager em;

    @Inject
    Timeline timeline;

    /** One vendor of the list; {@code openOrders} are its orders not yet closed (counted on an index). */
    public record Row(long id, String name, String email, String phone, String language, long openOrders) {
    }

    /** A contact as pages show it. */
    public record ContactView(long id, String name, String email, String phone, String language, ContactRole role,
            long version) {

        /** How a choice of recipients names it: "Ann Lee (Logistics), ann@vendor.example". */
        public String label() {
            return name + " (" + role.label + ")" + (email != null ? ", " + email : phone != null ? ", " + phone : "");
        }
    }

    /**
     * One vendor with its contacts; {@code version} guards the edit form; {@code needsNewEmail}: its address was erased
     * as a person's, and no mail reaches it until staff give it a new one.
     */
    public record View(long id, String name, String email, String phone, String language, long version,
            Instant createdAt, long orders, long openOrders, List<ContactView> contacts, boolean needsNewEmail) {

        /** The vendor's name as a query value, for a link to its links. */
        public String nameInUrl() {
            return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** What an edit form sends; every field as typed (null when absent). */
    public record Edit(String name, String email, String phone, String language) {
    }

    /** What a contact form sends, as typed. */
    public record ContactEdit(String name, String email, String phone, String language, String role) {
    }

    /** A vendor's new name or e-mail is what another vendor of the organisation is known by. */
    public static class Taken extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final long otherId;
        public final String otherName;

        Taken(Vendor other, String field, String value) {
            super(("email".equals(field) ? "E-mail: " : "Name: ") + value + " is already the "
                    + ("email".equals(field) ? "e-mail" : "name") + " of another vendor, " + other.name
                    + ". If they are the same vendor, merge them instead.");
            this.otherId = other.id;
            this.otherName = other.name;
        }
    }

    /** What a merge moved to the vendor kept. */
    public record Merged(long keptId, String keptName, int orders, int links, int contacts) {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * One page of the organisation's vendors by name; {@code q} (optional) finds those whose name starts with it
     * (compared by {@link VendorNames#key}, so case and spacing do not matter) or whose e-mail starts with it. Both are
     * prefix lookups on an index ({@code vendor_org_name_key_ix}, {@code vendor_org_email_ix}; on PostgreSQL the
     * pattern indexes of V57).
     */
    @Transactional
    public Paging.Page<Row> list(long organizationId, String q, Paging paging) {
        String query = q == null ? "" : q.strip();
        boolean search = !query.isEmpty();
        var select = em.createNativeQuery(listSql(search)).setParameter(1, organizationId);
        if (search) {
            select.setParameter(2, like(VendorNames.key(query))).setParameter(3, like(query.toLowerCase(Locale.ROOT)));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = select.setFirstResult(paging.offset()).setMaxResults(paging.fetch()).getResultList();
        return paging.page(rows.stream().map(r -> new Row(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                (String) r[3], (String) r[4], ((Number) r[5]).longValue())).toList());
    }

    /**
     * The list's statement: {@code ?1} the organisation, with {@code search} {@code ?2} a name-key prefix and
     * {@code ?3} an e-mail prefix as {@code like} patterns (escape {@code !}). Its plan is checked on PostgreSQL
     * ({@code VendorPlanTest}).
     */
    static String listSql(boolean search) {
        return "select v.id, v.name, v.email, v.phone, v.language,"
                + " (select count(*) from purchase_order o where o.vendor_id = v.id and o.closed_at is null)"
                + " from vendor v where v.organization_id = ?1"
                + (search ? " and (v.name_key like ?2 escape '!' or v.email like ?3 escape '!')" : "")
                + " order by v.name_key, v.id";
    }

    private static String like(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /** The organisation's vendor with its contacts; empty when it has no vendor of that id. */
    @Transactional
    public Optional<View> view(long organizationId, long vendorId) {
        return find(organizationId, vendorId).map(this::view);
    }

    private View view(Vendor v) {
        long orders = em.createQuery("select count(o) from PurchaseOrder o where o.vendor = ?1", Long.class)
                .setParameter(1, v).getSingleResult();
        long open = em.createQuery("select count(o) from PurchaseOrder o where o.vendor = ?1 and o.closedAt is null",
                Long.class).setParameter(1, v).getSingleResult();
        return new View(v.id, v.name, v.email, v.phone, v.language, v.version, v.createdAt, orders, open,
                contacts(v.id), v.needsNewEmail);
    }

    /** A vendor's contacts in the order they were added. */
    @Transactional
    public List<ContactView> contacts(long vendorId) {
        return VendorContact.<VendorContact> list("vendor.id = ?1 order by id", vendorId).stream()
                .map(c -> new ContactView(c.id, c.name, c.email, c.phone, c.language, c.role, c.version)).toList();
    }

    /** The contacts of an order's vendor (for the order page's choice of recipient); empty for no such order. */
    @Transactional
    public List<ContactView> contactsOfOrder(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference).map(o -> contacts(o.vendor.id))
                .orElse(List.of());
    }

    private static Optional<Vendor> find(long organizationId, long vendorId) {
        return Vendor.<Vendor> find("id = ?1 and organization.id = ?2", vendorId, organizationId).firstResultOptional();
    }

    /** Locks one vendor of the organisation and returns it as committed; empty when there is none (or no longer). */
    private Optional<Vendor> lock(long organizationId, long vendorId) {
        return em.createQuery("from Vendor v where v.id = ?1 and v.organization.id = ?2", Vendor.class)
                .setParameter(1, vendorId).setParameter(2, organizationId).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().map(v -> {
                    // read before this transaction locked it? the committed state, not what was cached
                    em.refresh(v);
                    return v;
                });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Editing the vendor
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Saves a vendor's name, e-mail, phone and language.
     *
     * @param expectedVersion
     *            the version the form was drawn from
     *
     * @return empty when the organisation has no such vendor
     *
     * @throws ValidationException
     *             naming every field that is wrong (nothing is saved)
     * @throws ConflictException
     *             when someone else saved the vendor after the form was drawn (nothing is saved)
     * @throws Taken
     *             when the new e-mail, or the name of a vendor without e-mail, is another vendor's
     */
    @Transactional
    public Optional<View> update(long organizationId, long vendorId, long expectedVersion, Edit input) {
        var errors = new ValidationException.Builder();
        Fields f = new Fields(errors, null, 254);
        String name = f.line("name", input.name(), true, 200);
        String email = f.email("email", input.email(), false);
        String phone = f.phone("phone", input.phone());
        String language = language(errors, input.language());
        errors.throwIfAny();
        String composed = Normalizer.normalize(name, Normalizer.Form.NFC);
        String matchKey = VendorNames.matchKey(email, composed);
        // the organisation first: imports, creates and merges hold it while they find vendors by these keys
        Organization.lockForCreating(organizationId);
        Optional<Vendor> found = lock(organizationId, vendorId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Vendor vendor = found.get();
        if (vendor.version != expectedVersion) {
            throw new ConflictException("Someone else changed this vendor while you were editing it. Your changes"
                    + " were not saved: compare them with what is saved now, then save again.");
        }
        if (!matchKey.equals(vendor.matchKey)) {
            Optional<Vendor> other = Vendor.<Vendor> find("organization.id = ?1 and matchKey = ?2 and id <> ?3",
                    organizationId, matchKey, vendor.id).firstResultOptional();
            if (other.isEmpty() && email == null) {
                // an import naming only this name takes the one vendor of that name with an address (Vendors.find);
                // this vendor without one would take its orders from then on
                other = Vendor.<Vendor> find("organization.id = ?1 and nameKey = ?2 and id <> ?3", organizationId,
                        VendorNames.key(composed), vendor.id).firstResultOptional();
            }
            if (other.isPresent()) {
                throw new Taken(other.get(), email != null ? "email" : "name", email != null ? email : composed);
            }
        }
        vendor.name = composed;
        vendor.nameKey = VendorNames.key(composed);
        vendor.email = email;
        vendor.phone = phone;
        vendor.language = language;
        vendor.matchKey = matchKey;
        em.flush(); // the new version for the page
        return Optional.of(view(vendor));
    }

    /**
     * A new vendor from the staff's form, matched as an import matches: when an import naming these details would take
     * a vendor already there (same e-mail, also a contact's; or the same name without e-mail), nothing is created and
     * {@link Taken} names that vendor.
     *
     * @return the new vendor's id
     *
     * @throws ValidationException
     *             naming every field that is wrong (nothing is saved)
     * @throws Taken
     *             when the organisation has that vendor already
     */
    @Transactional
    public long create(long organizationId, Edit input) {
        var errors = new ValidationException.Builder();
        Fields f = new Fields(errors, null, 254);
        String name = f.line("name", input.name(), true, 200);
        String email = f.email("email", input.email(), false);
        String phone = f.phone("phone", input.phone());
        String language = language(errors, input.language());
        errors.throwIfAny();
        String composed = Normalizer.normalize(name, Normalizer.Form.NFC);
        // the organisation's lock, as imports take it: two forms (or a form and an import) never make two vendors
        Organization org = Organization.lockForCreating(organizationId);
        Optional<Vendor> known = Vendors.existing(org, email, composed);
        if (known.isPresent()) {
            // found by the address (its own or a contact's), else by the name
            boolean byName = email == null
                    || known.get().email == null && VendorNames.key(composed).equals(known.get().nameKey);
            throw new Taken(known.get(), byName ? "name" : "email", byName ? composed : email);
        }
        Vendor v = new Vendor();
        v.organization = org;
        v.name = composed;
        v.nameKey = VendorNames.key(composed);
        v.email = email;
        v.phone = phone;
        v.language = language;
        v.matchKey = VendorNames.matchKey(email, composed);
        v.createdAt = Instant.now(clock);
        v.persist();
        return v.id;
    }

    private static String language(ValidationException.Builder errors, String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        if (Locales.LANGUAGES.contains(v)) {
            return v;
        }
        // another language the import and the API take (ar, fr-BE): kept as the vendor's, its pages and mails in the
        // organisation's language; the form offers it again (Locales.choicesWith), so an unrelated edit keeps it
        String other = new Fields(new ValidationException.Builder(), null, 254).language("language", v);
        if (other == null) {
            errors.add("language", "must be one of " + String.join(", ", Locales.LANGUAGES)
                    + ", or another language code like ar or fr-BE", value.strip());
        }
        return other;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Contacts
    // ---------------------------------------------------------------------------------------------------------------

    private record ContactFields(String name, String email, String phone, String language, ContactRole role) {
    }

    private static ContactFields check(ContactEdit input) {
        var errors = new ValidationException.Builder();
        Fields f = new Fields(errors, null, 254);
        String name = f.line("name", input.name(), true, 200);
        String email = f.email("email", input.email(), false);
        String phone = f.phone("phone", input.phone());
        String language = language(errors, input.language());
        ContactRole role = null;
        String r = input.role() == null ? "" : input.role().strip().toUpperCase(Locale.ROOT);
        try {
            role = ContactRole.valueOf(r);
        } catch (IllegalArgumentException e) {
            errors.add("role", "must be one of sales, logistics, accounts, other", input.role());
        }
        errors.throwIfAny();
        return new ContactFields(name, email, phone, language, role);
    }

    /**
     * Adds a contact to a vendor.
     *
     * @return the new contact's id; empty when the organisation has no such vendor (or it was merged meanwhile)
     *
     * @throws ValidationException
     *             naming every field that is wrong
     */
    @Transactional
    public Optional<Long> addContact(long organizationId, long vendorId, ContactEdit input) {
        ContactFields c = check(input);
        // the vendor's lock: a merge moving its contacts either finished (the vendor is gone: not found) or waits
        return lock(organizationId, vendorId).map(vendor -> {
            VendorContact contact = new VendorContact();
            contact.vendor = vendor;
            apply(contact, c);
            contact.createdAt = Instant.now(clock);
            contact.persist();
            return contact.id;
        });
    }

    /**
     * Changes a vendor's contact.
     *
     * @return false when the organisation has no such vendor or the vendor no such contact
     *
     * @throws ValidationException
     *             naming every field that is wrong
     * @throws ConflictException
     *             when someone else changed the contact after the form was drawn
     */
    @Transactional
    public boolean updateContact(long organizationId, long vendorId, long contactId, long expectedVersion,
            ContactEdit input) {
        ContactFields c = check(input);
        Optional<VendorContact> found = lock(organizationId, vendorId).flatMap(v -> contactOf(v, contactId));
        if (found.isEmpty()) {
            return false;
        }
        VendorContact contact = found.get();
        if (contact.version != expectedVersion) {
            throw new ConflictException("Someone else changed this contact while you were editing it. Your changes"
                    + " were not saved: compare them with what is saved now, then save again.");
        }
        apply(contact, c);
        return true;
    }

    /** Removes a vendor's contact; false when there is no such contact (removed already, say). */
    @Transactional
    public boolean removeContact(long organizationId, long vendorId, long contactId) {
        return lock(organizationId, vendorId).flatMap(v -> contactOf(v, contactId)).map(c -> {
            c.delete();
            return true;
        }).orElse(false);
    }

    private Optional<VendorContact> contactOf(Vendor vendor, long contactId) {
        VendorContact c = VendorContact.findById(contactId);
        if (c == null || !c.vendor.id.equals(vendor.id)) {
            return Optional.empty();
        }
        em.refresh(c);
        return Optional.of(c);
    }

    private static void apply(VendorContact contact, ContactFields c) {
        contact.name = Normalizer.normalize(c.name(), Normalizer.Form.NFC);
        contact.email = c.email();
        contact.phone = c.phone();
        contact.language = c.language();
        contact.role = c.role();
    }

    /**
     * A contact of an order's vendor, to send its link to; the order's lock is the caller's (a merge moving the order
     * waits for it, so the vendor read here is the order's).
     *
     * @throws ValidationException
     *             when the contact is not one of the vendor's
     */
    static VendorContact contactFor(PurchaseOrder order, long contactId) {
        VendorContact c = VendorContact.findById(contactId);
        if (c == null || !c.vendor.id.equals(order.vendor.id)) {
            throw ValidationException.of("contact", "is not a contact of " + order.vendor.name + " (reload the order)",
                    Long.toString(contactId));
        }
        return c;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Merging
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Merges vendor {@code goneId} into {@code keptId}, in one transaction: the gone vendor's orders, links and
     * contacts move to the kept one, its own e-mail and phone become a contact of the kept one (unless the kept vendor
     * has that e-mail already or takes it, having none), each moved order gets a timeline entry, and the gone vendor is
     * deleted. The kept vendor takes the e-mail, phone and language it lacked.
     *
     * @param goneVersion
     *            and {@code keptVersion}: the versions the confirmation showed
     *
     * @return empty when either is not a vendor of the organisation
     *
     * @throws ValidationException
     *             when they are the same vendor
     * @throws ConflictException
     *             when either vendor changed or disappeared (another merge) since the confirmation
     */
    @Transactional
    public Optional<Merged> merge(long organizationId, long goneId, long keptId, long goneVersion, long keptVersion,
            Actor actor) {
        if (goneId == keptId) {
            throw ValidationException.of("into", "is this vendor itself: choose the other vendor to keep",
                    Long.toString(keptId));
        }
        if (find(organizationId, goneId).isEmpty() || find(organizationId, keptId).isEmpty()) {
            return Optional.empty();
        }
        // the organisation first (imports and creates hold it), then both vendors by ascending id: two merges, or a
        // merge and an import, wait for each other instead of deadlocking
        Organization.lockForCreating(organizationId);
        Optional<Vendor> first = lock(organizationId, Math.min(goneId, keptId));
        Optional<Vendor> second = lock(organizationId, Math.max(goneId, keptId));
        Optional<Vendor> gone = goneId < keptId ? first : second;
        Optional<Vendor> kept = goneId < keptId ? second : first;
        if (gone.isEmpty() || kept.isEmpty()) {
            throw new ConflictException("One of the two vendors no longer exists: it was merged into another one"
                    + " meanwhile. Nothing was changed; open the vendor list to see where things stand.");
        }
        Vendor g = gone.get();
        Vendor k = kept.get();
        if (g.version != goneVersion || k.version != keptVersion) {
            throw new ConflictException("One of the two vendors was changed after you opened this page. Nothing was"
                    + " merged: review the two vendors again, then confirm.");
        }
        // the gone vendor's orders, locked by ascending id as every writer of an order locks them
        @SuppressWarnings("unchecked")
        List<Number> orderIds = em
                .createNativeQuery("select id from purchase_order where vendor_id = ?1 order by id for update")
                .setParameter(1, g.id).getResultList();
        em.createQuery("update PurchaseOrder o set o.vendor = ?1 where o.vendor = ?2").setParameter(1, k)
                .setParameter(2, g).executeUpdate();
        int links = em.createQuery("update AccessLink l set l.vendorId = ?1 where l.vendorId = ?2")
                .setParameter(1, k.id).setParameter(2, g.id).executeUpdate();
        int contacts = em.createQuery("update VendorContact c set c.vendor = ?1 where c.vendor = ?2").setParameter(1, k)
                .setParameter(2, g).executeUpdate();
        String goneName = g.name;
        String goneEmail = g.email;
        String gonePhone = g.phone;
        String goneLanguage = g.language;
        long goneRowId = g.id;
        g.delete();
        em.flush(); // its match key is free before the kept vendor may take its e-mail
        if (k.email == null && goneEmail != null) {
            k.email = goneEmail;
            k.matchKey = VendorNames.matchKey(k.email, k.name);
        } else if (goneEmail != null && !goneEmail.equals(k.email)
                || goneEmail == null && gonePhone != null && !gonePhone.equals(k.phone)) {
            // what reached the gone vendor is not lost: it becomes one of the kept vendor's contacts
            VendorContact c = new VendorContact();
            c.vendor = k;
            c.name = goneName;
            c.email = goneEmail;
            c.phone = gonePhone;
            // the language its mail came in: a contact without one would write in the kept vendor's language
            c.language = goneLanguage != null ? goneLanguage : k.organization.formatFor(null).language();
            c.role = ContactRole.OTHER;
            c.createdAt = Instant.now(clock);
            c.persist();
            contacts++;
        }
        if (k.phone == null) {
            k.phone = gonePhone;
        }
        if (k.language == null) {
            k.language = goneLanguage;
        }
        // what the kept vendor has changed: a confirmation drawn before this merge is refused as out of date
        em.lock(k, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
        String detail = "vendor " + goneName + " (#" + goneRowId + ") merged into " + k.name + " (#" + k.id + ")";
        Merged merged = new Merged(k.id, k.name, orderIds.size(), links, contacts);
        em.flush();
        for (int i = 0; i < orderIds.size(); i++) {
            timeline.record(Subject.purchaseOrder(organizationId, orderIds.get(i).longValue()), actor,
                    OrderEvent.VENDOR_MERGED, detail, Visibility.INTERNAL);
            if ((i + 1) % FLUSH_EVERY == 0) {
                em.flush();
                em.clear();
            }
        }
        return Optional.of(merged);
    }
}
