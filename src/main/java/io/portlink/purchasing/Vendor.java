package io.portlink.purchasing;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;

import io.portlink.organization.Organization;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A supplier of purchase orders, within one organisation. Its name, e-mail, phone and language are its default contact:
 * links and mails go there unless staff choose one of its {@link VendorContact}s.
 */
@Entity
public class Vendor extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    @Column(nullable = false)
    public String name;

    /** Stored lower-case; the key vendors are found by on import. */
    public String email;

    /** {@link VendorNames#key} of the name: how a file's spelling of the name is matched. */
    @Column(nullable = false)
    public String nameKey;

    /** {@link VendorNames#matchKey}: unique per organisation, so one vendor is one row. */
    @Column(nullable = false)
    public String matchKey;

    /** Also used for WhatsApp and SMS links. */
    public String phone;

    /** BCP 47 language tag, e.g. "en" or "de". */
    public String language;

    @Column(nullable = false)
    public Instant createdAt;

    /** Two staff editing the vendor at once: the second save is refused with a message ({@link VendorRecords}). */
    @Version
    public long version;

    /**
     * The vendor's e-mail address was erased as a person's ({@link PurchasingPersonalData}): no mail can go to it until
     * staff give it a new address, which clears the flag (V67).
     */
    @Column(nullable = false)
    public boolean needsNewEmail;

    @jakarta.persistence.PreUpdate
    void addressGiven() {
        if (email != null) {
            needsNewEmail = false;
        }
    }
}
