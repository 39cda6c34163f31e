package io.portlink.organization;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** A key for automation. Only the SHA-256 of the key is stored; the key itself is shown once. */
@Entity
public class ApiKey extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String keyHash;

    /** The first characters, so staff can tell their keys apart. */
    @Column(nullable = false)
    public String keyHint;

    @Column(nullable = false)
    public Instant createdAt;

    public String createdBy;

    public Instant lastUsedAt;

    public Instant revokedAt;

    /** Scopes: every key may read; only write keys may create or import orders. */
    public boolean canWrite = true;

    public Instant expiresAt;

    public static Optional<ApiKey> findActiveByHash(String hash) {
        return find("keyHash = ?1 and revokedAt is null", hash).firstResultOptional();
    }
}
