package io.portlink.organization;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** A person of the organisation who signs in to the staff UI. */
@Entity
public class StaffUser extends PanacheEntity {

    public enum Role {
        /** Users, API keys and organisation settings, plus everything staff do. */
        ADMIN, STAFF;

        public String roleName() {
            return name().toLowerCase();
        }
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    /** Stored lower-case; unique within the organisation. */
    @Column(nullable = false)
    public String email;

    /**
     * The address this account signs in with: set once it has a usable password, unless another organisation's account
     * signs in with the same address (unique across organisations). Null for an invitation not yet accepted.
     */
    public String signInEmail;

    public String displayName;

    @Column(nullable = false)
    public String passwordHash;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Role role;

    public boolean enabled;

    /** Part of the session cookie's principal: raising it ends every session of this user. */
    public int sessionEpoch;

    @Column(nullable = false)
    public Instant createdAt;

    /**
     * The one spelling of an e-mail address that is stored, looked up and throttled: without leading or trailing spaces
     * of any kind or control characters, lower case (root locale). One function for all three, so that no spelling
     * reaches an account while escaping its sign-in counters.
     */
    public static String normalizeEmail(String email) {
        if (email == null) {
            return "";
        }
        return io.portlink.platform.Unicode.trim(email, StaffUser::ignorable).toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean ignorable(int c) {
        return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c);
    }

    /** The account that signs in with this address, if any. */
    public static Optional<StaffUser> findSigningIn(String email) {
        return find("signInEmail", normalizeEmail(email)).firstResultOptional();
    }

    /** The organisation's user with this address, if any. */
    public static Optional<StaffUser> findByEmail(long organizationId, String email) {
        return find("organization.id = ?1 and email = ?2", organizationId, normalizeEmail(email)).firstResultOptional();
    }

    /** The account that signs in with this address, else the oldest with it (an invitation not yet accepted). */
    public static Optional<StaffUser> findByEmail(String email) {
        return find("email = ?1 order by signInEmail nulls last, id", normalizeEmail(email)).firstResultOptional();
    }

    public String label() {
        return displayName == null || displayName.isBlank() ? email : displayName + " <" + email + ">";
    }
}
