package io.portlink.organization;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.LockModeType;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.portlink.platform.Locales;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** A tenant: the company using Portlink. Everything else belongs to exactly one. */
@Entity
public class Organization extends PanacheEntity {

    public enum Status {
        ACTIVE,
        /** Billing lockdown: every link answers "not available", staff cannot sign in. */
        LOCKED
    }

    @Column(nullable = false)
    public String name;

    /** ISO 3166 alpha-2; drives date and number formatting and the default time zone. */
    @Column(nullable = false)
    public String country;

    @Column(nullable = false)
    public String timeZone;

    /** Language of vendor pages and mails (unless a vendor has its own) and of dates: one of Locales.LANGUAGES. */
    @Column(nullable = false)
    public String language;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Status status;

    @Column(nullable = false)
    public Instant createdAt;

    /** Action queue: a sent link still unconfirmed after this many hours is "pending response". */
    public int pendingResponseHours = 48;

    /** Days a link keeps working after its order closes; null = the installation default. */
    public Integer linkExpiryDays;

    /** Automatic reminders (off unless the organisation turns them on). */
    public boolean remindersEnabled;
    /** Remind when a sent link is still unconfirmed after this many hours (and again after as many more). */
    public int remindAfterHours = 48;
    /** Ask the vendor to re-confirm the expected date this many days before it. */
    public int reconfirmDaysBefore = 2;
    /** At most this many reminders per order. */
    public int maxReminders = 3;

    /** Action queue: an open order without vendor activity for this many days is "stale". */
    public int staleDays = 7;

    /** SHA-256 of the current logo ({@link OrganizationLogo}), or null without one. */
    public String logoDigest;

    /**
     * The purchasing desk vendors reply to when no staff user sent the mail (API, reminders); all optional, the e-mail
     * makes it usable.
     */
    public String purchasingName;
    public String purchasingEmail;
    public String purchasingPhone;

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    public Locales.Format format() {
        return Locales.Format.of(country, timeZone, language);
    }

    /** Dates for one vendor: in the vendor's language when Portlink writes it, by this organisation's conventions. */
    public Locales.Format formatFor(String vendorLanguage) {
        return formatFor(country, timeZone, language, vendorLanguage);
    }

    /**
     * {@link #formatFor(String)} of an organisation read as plain values (its country, zone id and language as stored).
     */
    public static Locales.Format formatFor(String country, String timeZone, String language, String vendorLanguage) {
        return Locales.Format.of(country, timeZone, Locales.languageFor(language, vendorLanguage));
    }

    /**
     * Locks the organisation's row until the transaction ends and returns the organisation: the one lock that
     * serialises the writers creating its vendors and orders (two identical imports at once: the second waits, then
     * sees the first's orders), and its personal-data erasures (two identical ones at once: the second finds nothing
     * left). On PostgreSQL a "for no key update" lock, so rows that only reference the organisation (new orders, links,
     * events, mails) are inserted without waiting for it. Must run inside a transaction.
     * <p>
     * <b>The lock order of Portlink</b>, the one rule every writer follows: this row first, then an order's or a
     * shipment's row (OrderLocks, Shipments.locked; several by ascending id), then their children (an order's links; a
     * shipment's stops, proof of delivery, notes, problem reports, photos and links; a sales order's dropshipments). A
     * writer that may need this row (a shipment's new reference) takes it before the record's, deciding from its
     * request; an erasure ({@code PersonalDataErasures.inBatches}) locks a child's parent before the child. Two
     * transactions taking two rows the other way round deadlock on PostgreSQL, and one of them answers 409.
     */
    public static Organization lockForCreating(long id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
