package io.portlink.purchasing;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A person at a vendor besides the vendor's own (default) contact: name, e-mail, phone, language and a role. Staff may
 * send an order's link and mail to one of them instead of the vendor's address. Written only by {@link VendorRecords}.
 */
@Entity
public class VendorContact extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Vendor vendor;

    @Column(nullable = false)
    public String name;

    /** Stored lower-case. */
    public String email;

    public String phone;

    /** One of {@link io.portlink.platform.Locales#LANGUAGES}; null: the organisation's. */
    public String language;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public ContactRole role;

    @Column(nullable = false)
    public Instant createdAt;

    @Version
    public long version;
}
