package io.portlink.organization;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An organisation's logo: checked image bytes, served under their SHA-256 ({@link Logos}). */
@Entity
public class OrganizationLogo extends PanacheEntityBase {

    @Id
    public Long organizationId;

    @Column(nullable = false)
    public String digest;

    /** Decided from the bytes, never from what the upload claimed. */
    @Column(nullable = false)
    public String contentType;

    @Column(nullable = false)
    public byte[] content;

    @Column(nullable = false)
    public Instant uploadedAt;
}
