package io.portlink.organization;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Failed sign-ins counted for one key (see {@link SignInThrottle}); found by the key's SHA-256, its primary key. */
@Entity
public class SignInCounter extends PanacheEntityBase {

    public enum Kind {
        /** One e-mail address from one client address. */
        CLIENT,
        /** One client address, whatever e-mail it tries. */
        ADDRESS,
        /** One e-mail address from every client together. */
        ACCOUNT
    }

    @Id
    public String keyHash;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Kind kind;

    /** SHA-256 of the e-mail for CLIENT and ACCOUNT rows, so that an admin's unlock finds them. */
    public String accountHash;

    public int failures;

    public Instant lastFailureAt;

    /** Attempts are answered "try again later" without a password check until then. */
    public Instant blockedUntil;

    /** {@link #blockedUntil} is a lock (logged, shown to admins), not one of the growing delays before it. */
    public boolean locked;

    /** CLIENT rows: when this client last signed in to the account. */
    public Instant lastSuccessAt;

    @Column(nullable = false)
    public Instant updatedAt;
}
